import { createLogger, logFormatOf, plainLine } from '../../src/web/log';

/** Issue 8, defect 4: a person at a terminal reads plain lines, log files get JSON records. */
describe('log format', () => {
  it.each([
    [undefined, true, 'plain'],
    [undefined, false, 'json'],
    ['', false, 'json'],
    ['json', true, 'json'],
    ['plain', false, 'plain'],
    [' PLAIN ', false, 'plain'],
  ] as const)('FUNDMIX_LOG_FORMAT=%p on a terminal: %p → %s', (setting, tty, format) => {
    expect(logFormatOf(setting, tty)).toBe(format);
  });

  it('refuses an unknown FUNDMIX_LOG_FORMAT', () => {
    expect(() => logFormatOf('yaml', true)).toThrow(
      'FUNDMIX_LOG_FORMAT must be plain or json, got yaml',
    );
  });

  it('writes plain lines: the message, the request, the error; stack frames only for errors', () => {
    let out = '';
    const logger = createLogger('info', 'plain', { write: (s) => (out += s) });
    logger.info({ db: '/x.db', port: 3000 }, 'FundMix is serving http://localhost:3000 with x.db');
    logger.warn({ code: 'SQLITE_FULL' }, 'results are served without caching them');
    const err = new Error('boom');
    err.stack = 'Error: boom\n    at f (a.ts:1:1)\n    at g (b.ts:2:2)';
    logger.error({ err, method: 'GET', url: '/p' }, 'request failed');
    logger.debug('not shown at info');
    expect(out).toBe(
      'FundMix is serving http://localhost:3000 with x.db\n' +
        'warning: results are served without caching them\n' +
        'error: request failed (GET /p): boom\n    at f (a.ts:1:1)\n    at g (b.ts:2:2)\n',
    );
  });

  it('writes JSON records in json format', () => {
    let out = '';
    createLogger('info', 'json', { write: (s) => (out += s) }).info({ port: 1 }, 'hello');
    expect(JSON.parse(out)).toMatchObject({ level: 30, port: 1, msg: 'hello' });
  });

  it('passes a line that is not JSON through', () => {
    expect(plainLine('raw text')).toBe('raw text\n');
  });
});
