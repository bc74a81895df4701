import type fs from 'node:fs';

/** What a path that is not a regular file is, in words for the user (`a directory`, `a FIFO (named pipe)`). */
export function fileKind(entry: fs.Dirent | fs.Stats): string {
  if (entry.isFile()) return 'a regular file';
  if (entry.isDirectory()) return 'a directory';
  if (entry.isFIFO()) return 'a FIFO (named pipe)';
  if (entry.isSocket()) return 'a socket';
  if (entry.isCharacterDevice()) return 'a character device';
  if (entry.isBlockDevice()) return 'a block device';
  if (entry.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}
