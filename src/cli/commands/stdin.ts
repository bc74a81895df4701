/**
 * The first line of a stream (without its line break; a final `\r` is dropped too), or the whole
 * text when it has no line break. Stops reading at the first line break, so `echo pw | fundmix …`
 * and an interactive terminal both work.
 */
export function readFirstLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const finish = () => {
      stream.removeListener('data', onData);
      stream.removeListener('end', finish);
      stream.removeListener('error', reject);
      stream.pause();
      // Decoded once at the end, so a character split across chunks stays whole.
      const line = Buffer.concat(chunks).toString('utf8').split('\n', 1)[0] ?? '';
      resolve(line.endsWith('\r') ? line.slice(0, -1) : line);
    };
    const onData = (chunk: Buffer | string) => {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      chunks.push(bytes);
      if (bytes.includes(0x0a)) finish();
    };
    stream.on('data', onData);
    stream.once('end', finish);
    stream.once('error', reject);
    stream.resume();
  });
}
