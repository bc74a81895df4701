import pino, { type Logger } from 'pino';

/** `plain`: one readable line per record, for a person at a terminal. `json`: pino's records. */
export type LogFormat = 'plain' | 'json';

/**
 * The log format: FUNDMIX_LOG_FORMAT (`plain` or `json`) when set, else plain on a terminal and
 * JSON otherwise (log files, service managers, pipes).
 * @throws Error when FUNDMIX_LOG_FORMAT is set to anything else
 */
export function logFormatOf(setting: string | undefined, isTty: boolean): LogFormat {
  if (setting === undefined || setting.trim() === '') return isTty ? 'plain' : 'json';
  const v = setting.trim().toLowerCase();
  if (v === 'plain' || v === 'json') return v;
  throw new Error(`FUNDMIX_LOG_FORMAT must be plain or json, got ${setting}`);
}

const LEVEL_PREFIX: Record<number, string> = {
  10: 'trace: ',
  20: 'debug: ',
  30: '',
  40: 'warning: ',
  50: 'error: ',
  60: 'fatal: ',
};

interface LogRecord {
  level?: number;
  msg?: string;
  method?: string;
  url?: string;
  err?: { message?: string; stack?: string };
}

/**
 * One pino record as a plain line: the message, the request it concerns, the error's message.
 * Errors at level error and above keep their stack on the following lines (for whoever fixes it).
 */
export function plainLine(json: string): string {
  let rec: LogRecord;
  try {
    rec = JSON.parse(json) as LogRecord;
  } catch {
    return json.endsWith('\n') ? json : `${json}\n`;
  }
  const level = rec.level ?? 30;
  let line = `${LEVEL_PREFIX[level] ?? ''}${rec.msg ?? ''}`;
  if (rec.method && rec.url) line += ` (${rec.method} ${rec.url})`;
  if (rec.err?.message) line += `: ${rec.err.message}`;
  if (level >= 50 && rec.err?.stack) {
    const frames = rec.err.stack.split('\n').filter((l) => /^\s+at /.test(l));
    if (frames.length > 0) line += `\n${frames.join('\n')}`;
  }
  return `${line}\n`;
}

/** The app's logger: JSON records, or plain lines (see `logFormatOf`), written to `out`. */
export function createLogger(
  level: string,
  format: LogFormat,
  out: { write(s: string): unknown } = process.stdout,
): Logger {
  if (format === 'json') return pino({ level }, out as NodeJS.WritableStream);
  return pino({ level }, { write: (s: string) => out.write(plainLine(s)) });
}
