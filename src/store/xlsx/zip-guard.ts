import JSZip from 'jszip';
import { ValidationError } from '../../domain/errors';

/**
 * Limits on what an .xlsx may unpack to before exceljs reads it (README "Excel workbooks",
 * Import, Size limit). A FundMix workbook of a 43-year scenario unpacks to about 2 MB in some
 * twenty entries; the 5 MB upload limit alone lets through a zip bomb (a small file that
 * inflates to gigabytes), which exceljs would inflate whole into memory.
 */
export const UNZIPPED_MAX_BYTES = 50 * 1024 * 1024;
export const ZIP_MAX_ENTRIES = 1000;

export const ZIP_MESSAGES = {
  tooManyEntries: (count: number, max: number) =>
    `The workbook holds ${count} files inside its zip, more than the ${max} a workbook may hold: it is not a FundMix workbook`,
  tooLargeUnzipped: (maxBytes: number) =>
    `The workbook unpacks to more than ${maxBytes / (1024 * 1024)} MB: a FundMix workbook unpacks to a few MB; remove other sheets or pictures (or the file is a zip bomb)`,
} as const;

const refused = (message: string) =>
  new ValidationError([{ path: 'file', message }], 'The workbook cannot be imported');

/**
 * Inflates one entry, counting its bytes, and stops as soon as `budget` bytes are passed: the
 * sizes a zip declares can lie, so what counts is what its data inflates to.
 * @returns the entry's inflated size, or null once it passes `budget`
 */
function inflatedSize(entry: JSZip.JSZipObject, budget: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const stream = entry.nodeStream('nodebuffer');
    let bytes = 0;
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > budget) {
        stream.removeAllListeners('data');
        stream.pause();
        resolve(null);
      }
    });
    stream.on('end', () => resolve(bytes));
    stream.on('error', reject);
  });
}

/**
 * Refuses an .xlsx whose zip has more than `maxEntries` entries or whose entries inflate to more
 * than `maxBytes` in all, before anything reads it whole. Reads the zip with JSZip, the reader
 * exceljs itself uses, so both see the same entries. A file that is no zip is let through (the
 * workbook reader then refuses it as not an .xlsx).
 * @throws ValidationError at `file` with {@link ZIP_MESSAGES}
 */
export async function checkUnzippedSize(
  bytes: Uint8Array,
  maxBytes = UNZIPPED_MAX_BYTES,
  maxEntries = ZIP_MAX_ENTRIES,
): Promise<void> {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(bytes);
  } catch {
    return;
  }
  const entries = Object.values(zip.files).filter((f) => !f.dir);
  if (entries.length > maxEntries)
    throw refused(ZIP_MESSAGES.tooManyEntries(entries.length, maxEntries));
  let left = maxBytes;
  for (const entry of entries) {
    let size: number | null;
    try {
      size = await inflatedSize(entry, left);
    } catch {
      return;
    }
    if (size === null) throw refused(ZIP_MESSAGES.tooLargeUnzipped(maxBytes));
    left -= size;
  }
}
