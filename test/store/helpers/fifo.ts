import { execFileSync, spawn } from 'node:child_process';

/** Makes a FIFO (named pipe) at `file`. */
export function mkfifo(file: string): void {
  execFileSync('mkfifo', [file]);
}

/**
 * Watches FIFOs from a separate process while `fn` runs: whenever something in this process has
 * one open for reading (and is blocked there, as opening a FIFO blocks until a writer comes), the
 * watcher opens it for writing and closes it again, which unblocks the reader with an empty read.
 * So a regression that reads a FIFO fails with the FIFO listed in `openedForReading` instead of
 * hanging the test run.
 */
export async function guardFifos<T>(
  fifos: string[],
  fn: () => Promise<T>,
): Promise<{ result: T; openedForReading: string[] }> {
  const watcher = spawn(
    process.execPath,
    [
      '-e',
      `const fs = require('fs');
       const fifos = JSON.parse(process.argv[1]);
       setInterval(() => {
         for (const f of fifos) {
           let fd;
           try {
             fd = fs.openSync(f, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
           } catch {
             continue;
           }
           // Told before the close that ends the reader's wait, so the test cannot miss it.
           fs.writeSync(1, f + '\\n');
           fs.closeSync(fd);
         }
       }, 20);
       setTimeout(() => process.exit(0), 120000);
       process.stdout.write('ready\\n');`,
      JSON.stringify(fifos),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let seen = '';
  watcher.stdout.setEncoding('utf8');
  await new Promise<void>((resolve) =>
    watcher.stdout.on('data', (s: string) => {
      seen += s;
      if (seen.startsWith('ready\n')) resolve();
    }),
  );
  const closed = new Promise<void>((resolve) => watcher.once('close', () => resolve()));
  try {
    const result = await fn();
    watcher.kill();
    await closed;
    return { result, openedForReading: [...new Set(seen.split('\n').slice(1, -1))] };
  } finally {
    watcher.kill();
  }
}
