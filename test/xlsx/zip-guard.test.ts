import JSZip from 'jszip';
import { ValidationError } from '../../src/domain/errors';
import { readScenarioWorkbook } from '../../src/store/xlsx/read-workbook';
import { checkUnzippedSize, UNZIPPED_MAX_BYTES } from '../../src/store/xlsx/zip-guard';

/**
 * The upload guard against zip bombs (issue 13): a small .xlsx that unpacks to more than 50 MB,
 * or holds too many entries, is refused before exceljs reads it.
 */

const MB = 1024 * 1024;

async function zipOf(files: Record<string, Buffer | string>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, data] of Object.entries(files)) zip.file(name, data);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

async function issuesOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    if (err instanceof ValidationError) return err.issues;
    throw err;
  }
  return [];
}

const TOO_LARGE = {
  path: 'file',
  message:
    'The workbook unpacks to more than 50 MB: a FundMix workbook unpacks to a few MB; remove other sheets or pictures (or the file is a zip bomb)',
};

describe('the zip guard', () => {
  it('refuses a 51 MB sheet that compresses to some 50 KB, before exceljs reads it', async () => {
    const bomb = await zipOf({
      '[Content_Types].xml': '<Types/>',
      'xl/worksheets/sheet1.xml': Buffer.alloc(UNZIPPED_MAX_BYTES + MB, 0x20),
    });
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(await issuesOf(readScenarioWorkbook(bomb))).toEqual([TOO_LARGE]);
  });

  it('counts the entries together, and the limit itself passes', async () => {
    const limit = 100_000;
    const check = async (files: Record<string, Buffer>) =>
      (await issuesOf(checkUnzippedSize(await zipOf(files), limit))).map((i) => i.message);
    const over = [
      'The workbook unpacks to more than 0.095367431640625 MB: a FundMix workbook unpacks to a few MB; remove other sheets or pictures (or the file is a zip bomb)',
    ];
    expect(await check({ a: Buffer.alloc(60_000), b: Buffer.alloc(60_000) })).toEqual(over);
    expect(await check({ a: Buffer.alloc(60_000), b: Buffer.alloc(40_000) })).toEqual([]);
    expect(await check({ a: Buffer.alloc(limit + 1) })).toEqual(over);
  });

  it('refuses more than 1000 entries', async () => {
    const files = Object.fromEntries(Array.from({ length: 1001 }, (_, i) => [`f${i}.xml`, '']));
    expect(await issuesOf(checkUnzippedSize(await zipOf(files)))).toEqual([
      {
        path: 'file',
        message:
          'The workbook holds 1001 files inside its zip, more than the 1000 a workbook may hold: it is not a FundMix workbook',
      },
    ]);
  });

  it('does not trust the sizes a zip declares: a 4 GB declaration over 11 bytes is read as 11', async () => {
    const zip = new JSZip();
    zip.file('xl/workbook.xml', '<workbook/>');
    const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'STORE' });
    // Declared uncompressed size 4 GB in the local header (offset 22) and central directory (+24).
    bytes.writeUInt32LE(0xfffffff0, 22);
    bytes.writeUInt32LE(0xfffffff0, bytes.indexOf(Buffer.from('PK\x01\x02', 'latin1')) + 24);
    expect(await issuesOf(checkUnzippedSize(bytes, 11))).toEqual([]);
    expect((await issuesOf(checkUnzippedSize(bytes, 10)))[0]?.path).toBe('file');
  });
});
