import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';

/**
 * Recomputes workbooks with LibreOffice Calc headless (an implementation nobody here wrote): one
 * soffice start for all the files given, a fresh user profile (so parallel runs never share one)
 * and a timeout. Returns each file's recomputed copy read back with exceljs: formula cells carry
 * LibreOffice's results.
 */
export async function recomputeWithLibreOffice(
  files: Record<string, Uint8Array>,
  timeoutMs = 120_000,
): Promise<Record<string, ExcelJS.Workbook>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fundmix-lo-'));
  const inDir = path.join(dir, 'in');
  const outDir = path.join(dir, 'out');
  fs.mkdirSync(inDir);
  fs.mkdirSync(outDir);
  writeRecalcProfile(path.join(dir, 'profile'));
  try {
    const names = Object.keys(files);
    // LibreOffice converts xlsx to xlsx only from another extension's name; .xlsm is read the same.
    for (const name of names) fs.writeFileSync(path.join(inDir, `${name}.xlsm`), files[name]!);
    execFileSync(
      'soffice',
      [
        `-env:UserInstallation=file://${path.join(dir, 'profile')}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'xlsx:Calc MS Excel 2007 XML',
        '--outdir',
        outDir,
        ...names.map((n) => path.join(inDir, `${n}.xlsm`)),
      ],
      { timeout: timeoutMs, stdio: 'pipe' },
    );
    const out: Record<string, ExcelJS.Workbook> = {};
    for (const name of names) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(path.join(outDir, `${name}.xlsx`));
      out[name] = wb;
    }
    return out;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A cell's recomputed value: a formula cell's result, else its value. */
export function computed(cell: ExcelJS.Cell): unknown {
  const v = cell.value as unknown;
  // Formula cells whose recomputed result is 0 read back with no result (seen with this
  // LibreOffice and exceljs; not yet traced to which side): they are taken as 0.
  if (v && typeof v === 'object' && 'formula' in v) return (v as { result?: unknown }).result ?? 0;
  return v;
}

/**
 * A user profile telling Calc to recompute every formula of an .xlsx on load (by default it
 * keeps the file's cached values, which would only echo what FundMix wrote).
 */
function writeRecalcProfile(profile: string): void {
  const user = path.join(profile, 'user');
  fs.mkdirSync(user, { recursive: true });
  fs.writeFileSync(
    path.join(user, 'registrymodifications.xcu'),
    `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`,
  );
}
