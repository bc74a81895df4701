import fs from 'node:fs';
import Database from 'better-sqlite3';

/**
 * Overwrites bytes in the middle of a database file (not its header): 200 bytes of 0xAB every
 * 512 bytes over 32 KiB, as a failing disk or a bad copy would. SQLite then reports
 * "database disk image is malformed" when it reads those pages.
 *
 * With `table`, only that table's pages are damaged (found through SQLite's dbstat table), so a
 * test that needs the damage where a given read goes does not depend on where the schema's
 * other tables happen to lie in the file.
 */
export function corruptDataPages(file: string, table?: string): void {
  const size = fs.statSync(file).size;
  const ranges =
    table === undefined
      ? [{ start: Math.floor(size / 2), length: 32768 }]
      : tablePages(file, table);
  const fd = fs.openSync(file, 'r+');
  try {
    for (const { start, length } of ranges)
      for (let off = start; off < start + length && off < size; off += 512)
        fs.writeSync(fd, Buffer.alloc(200, 0xab), 0, 200, off);
  } finally {
    fs.closeSync(fd);
  }
}

function tablePages(file: string, table: string): Array<{ start: number; length: number }> {
  const db = new Database(file, { readonly: true });
  try {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    const pages = db
      .prepare('SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno')
      .pluck()
      .all(table) as number[];
    if (pages.length === 0) throw new Error(`table ${table} has no pages`);
    return pages.map((p) => ({ start: (p - 1) * pageSize, length: pageSize }));
  } finally {
    db.close();
  }
}
