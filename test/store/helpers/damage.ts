import fs from 'node:fs';

/**
 * Overwrites bytes in the middle of a database file (not its header): 200 bytes of 0xAB every
 * 512 bytes over 32 KiB, as a failing disk or a bad copy would. SQLite then reports
 * "database disk image is malformed" when it reads those pages.
 */
export function corruptDataPages(file: string): void {
  const size = fs.statSync(file).size;
  const fd = fs.openSync(file, 'r+');
  try {
    for (let off = Math.floor(size / 2); off < size / 2 + 32768; off += 512)
      fs.writeSync(fd, Buffer.alloc(200, 0xab), 0, 200, off);
  } finally {
    fs.closeSync(fd);
  }
}
