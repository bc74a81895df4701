import path from 'node:path';
import { Readable } from 'node:stream';
import { buildProgram } from '../../src/cli/main';
import { readFirstLine } from '../../src/cli/commands/stdin';
import { openDatabase } from '../../src/store';
import { runStoreCli } from '../store/helpers/cli';
import { tempDir } from '../store/helpers/fixtures';

const PASSWORD = 'correct horse battery';

let dir: string;
let env: Record<string, string>;
const cli = (args: string[], stdin?: string) =>
  runStoreCli(args, { env, cwd: dir, ...(stdin === undefined ? {} : { stdin }) });

beforeEach(async () => {
  dir = tempDir('fundmix-accounts-');
  env = { FUNDMIX_DB: path.join(dir, 'fundmix.db'), FUNDMIX_ACTOR: 'operator' };
  expect((await cli(['db', 'migrate', '--no-demo'])).code).toBe(0);
});

const rows = (sql: string) => {
  const db = openDatabase(env.FUNDMIX_DB!, { fileMustExist: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
};

it('registers org, user and token in the fundmix program', () => {
  const program = buildProgram();
  expect(program.commands.map((c) => c.name())).toEqual(
    expect.arrayContaining(['org', 'user', 'token']),
  );
  const sub = (name: string) =>
    program.commands.find((c) => c.name() === name)!.commands.map((c) => c.name());
  expect(sub('user')).toEqual(['add', 'list', 'disable', 'reset-password']);
  expect(sub('token')).toEqual(['create', 'revoke']);
});

describe('bootstrap on a database without accounts', () => {
  it('adds organisations and users, lists them, audited as the operator', async () => {
    expect((await cli(['user', 'list'])).out).toBe(
      'No users yet: add the first with `fundmix user add … --role admin`\n',
    );
    const org = await cli([
      'org',
      'add',
      '--name',
      '示范市财政局',
      '--kind',
      'bureau',
      '--jurisdiction',
      '示范市',
    ]);
    expect(org).toEqual({
      code: 0,
      out: 'Added organisation 1: 示范市财政局 (bureau, 示范市)\n',
      err: '',
    });
    expect((await cli(['org', 'add', '--name', 'Acme', '--kind', 'enterprise'])).out).toBe(
      'Added organisation 2: Acme (enterprise)\n',
    );
    const admin = await cli(
      ['user', 'add', '--username', 'root', '--org', '示范市财政局', '--role', 'admin'],
      `${PASSWORD}\n`,
    );
    expect(admin).toEqual({ code: 0, out: 'Added user root (admin) to 示范市财政局\n', err: '' });
    const two = await cli(
      [
        'user',
        'add',
        '--username',
        'li',
        '--org',
        '示范市财政局',
        '--role',
        'bureau-analyst',
        '--role',
        'bureau-approver',
      ],
      `${PASSWORD}\r\nignored second line\n`,
    );
    expect(two.out).toBe('Added user li (bureau-analyst, bureau-approver) to 示范市财政局\n');
    expect((await cli(['user', 'list'])).out).toBe(
      'li\t示范市财政局\tbureau\tbureau-analyst,bureau-approver\tactive\nroot\t示范市财政局\tbureau\tadmin\tactive\n',
    );
    expect(rows(`SELECT actor, action, entity FROM audit_log ORDER BY id`)).toEqual([
      { actor: 'operator', action: 'create', entity: 'organisation' },
      { actor: 'operator', action: 'create', entity: 'organisation' },
      { actor: 'operator', action: 'create', entity: 'user' },
      { actor: 'operator', action: 'create', entity: 'user' },
    ]);
    expect((await cli(['audit', 'verify'])).code).toBe(0);
  });
});

describe('bad input: exit 2 with a plain message, nothing written', () => {
  beforeEach(async () => {
    await cli(['org', 'add', '--name', 'Acme', '--kind', 'enterprise']);
  });

  it.each([
    [
      'a short password',
      ['user', 'add', '--username', 'zhang', '--org', 'Acme', '--role', 'enterprise-analyst'],
      'short\n',
      'The password is not acceptable:\n  - standard input (the password): The password must be at least 12 characters long (it has 5)\n',
    ],
    [
      'an empty standard input',
      ['user', 'add', '--username', 'zhang', '--org', 'Acme', '--role', 'enterprise-analyst'],
      '',
      'The password is not acceptable:\n  - standard input (the password): The password must be at least 12 characters long (it has 0)\n',
    ],
    [
      'an unknown role',
      ['user', 'add', '--username', 'zhang', '--org', 'Acme', '--role', 'boss'],
      `${PASSWORD}\n`,
      'The user is not valid:\n  - --role[0]: A role is one of bureau-analyst, bureau-approver, enterprise-analyst, auditor, admin\n',
    ],
    [
      'a role the organisation cannot hold',
      ['user', 'add', '--username', 'zhang', '--org', 'Acme', '--role', 'auditor'],
      `${PASSWORD}\n`,
      'The input is not valid:\n  - --role: auditor cannot be held in Acme (an enterprise)\n',
    ],
    [
      'an unknown organisation',
      ['user', 'add', '--username', 'zhang', '--org', 'Nobody', '--role', 'enterprise-analyst'],
      `${PASSWORD}\n`,
      'The input is not valid:\n  - --org: There is no organisation named "Nobody"\n',
    ],
    [
      'a username with a space',
      ['user', 'add', '--username', 'zhang san', '--org', 'Acme', '--role', 'enterprise-analyst'],
      `${PASSWORD}\n`,
      'The user is not valid:\n  - --username: Use only letters, digits, ".", "_" and "-" in a username\n',
    ],
    [
      'a bureau without jurisdiction',
      ['org', 'add', '--name', 'B', '--kind', 'bureau'],
      undefined,
      'The organisation is not valid:\n  - --jurisdiction: A bureau needs its jurisdiction\n',
    ],
    [
      'an unknown kind',
      ['org', 'add', '--name', 'B', '--kind', 'ministry'],
      undefined,
      'The organisation is not valid:\n  - --kind: The kind is one of bureau, enterprise, audit\n',
    ],
    [
      'a token id that is no number',
      ['token', 'revoke', '--id', 'abc'],
      undefined,
      '--id is not valid:\n  - --id: Give the token id, a whole number (see `token create`)\n',
    ],
  ])('%s', async (_, args, stdin, message) => {
    const before = rows('SELECT COUNT(*) AS n FROM audit_log');
    const run = await cli(args, stdin);
    expect(run).toEqual({ code: 2, out: '', err: message });
    expect(rows('SELECT COUNT(*) AS n FROM audit_log')).toEqual(before);
  });

  it('a user that exists already fails with exit 1', async () => {
    const add = [
      'user',
      'add',
      '--username',
      'zhang',
      '--org',
      'Acme',
      '--role',
      'enterprise-analyst',
    ];
    expect((await cli(add, PASSWORD)).code).toBe(0);
    expect(await cli(add, PASSWORD)).toEqual({
      code: 1,
      out: '',
      err: 'error (user-exists): A user named zhang exists already\n',
    });
  });

  it('an unknown user is exit 2', async () => {
    expect(await cli(['user', 'disable', '--username', 'ghost'])).toEqual({
      code: 2,
      out: '',
      err: 'error (not-found): User ghost was not found\n',
    });
  });
});

describe('disable, reset-password, tokens', () => {
  beforeEach(async () => {
    await cli(['org', 'add', '--name', 'Acme', '--kind', 'enterprise']);
    await cli(
      ['user', 'add', '--username', 'zhang', '--org', 'Acme', '--role', 'enterprise-analyst'],
      PASSWORD,
    );
  });

  it('token create prints the token once on standard output, stores its hash; revoke ends it', async () => {
    const made = await cli([
      'token',
      'create',
      '--username',
      'zhang',
      '--read-only',
      '--name',
      'ci',
    ]);
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/^fmx_[A-Za-z0-9_-]{43}\n$/);
    expect(made.err).toBe(
      'Created read-only token 1 "ci" for zhang. It is shown only this once:\n',
    );
    const stored = rows('SELECT name, read_only, revoked_at, token_hash FROM api_tokens') as Array<{
      token_hash: string;
    }>;
    expect(stored).toEqual([
      {
        name: 'ci',
        read_only: 1,
        revoked_at: null,
        token_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    ]);
    expect(JSON.stringify(rows('SELECT * FROM audit_log'))).not.toContain(made.out.trim());
    expect(await cli(['token', 'revoke', '--id', '1'])).toEqual({
      code: 0,
      out: 'Revoked token 1 "ci" of zhang\n',
      err: '',
    });
    expect((await cli(['token', 'revoke', '--id', '1'])).err).toBe(
      'error (already-revoked): Access token 1 is revoked already\n',
    );
    expect((await cli(['token', 'revoke', '--id', '9'])).code).toBe(2);
  });

  it('user disable and reset-password', async () => {
    expect((await cli(['user', 'reset-password', '--username', 'zhang'], 'short')).code).toBe(2);
    const hashBefore = rows('SELECT password_hash FROM users');
    expect(
      await cli(['user', 'reset-password', '--username', 'zhang'], 'another long password\n'),
    ).toEqual({
      code: 0,
      out: 'Set a new password for zhang\n',
      err: '',
    });
    expect(rows('SELECT password_hash FROM users')).not.toEqual(hashBefore);
    expect((await cli(['user', 'disable', '--username', 'zhang'])).out).toBe(
      'Disabled user zhang\n',
    );
    expect((await cli(['user', 'list'])).out).toMatch(
      /^zhang\tAcme\tenterprise\tenterprise-analyst\tdisabled 2026-/,
    );
    expect((await cli(['token', 'create', '--username', 'zhang'])).err).toBe(
      'error (user-disabled): User zhang is disabled\n',
    );
    expect((await cli(['audit', 'verify'])).code).toBe(0);
  });
});

describe('readFirstLine', () => {
  it.each([
    [['pw\nrest'], 'pw'],
    [['p', 'w\r\n'], 'pw'],
    [['no line break'], 'no line break'],
    [[], ''],
    [['密码密码\n'], '密码密码'],
  ])('%j → %j', async (chunks, line) => {
    expect(await readFirstLine(Readable.from(chunks.map((c) => Buffer.from(c))))).toBe(line);
  });

  it('keeps a character split across two chunks whole', async () => {
    const bytes = Buffer.from('密码\n');
    const chunks = [bytes.subarray(0, 2), bytes.subarray(2)];
    expect(await readFirstLine(Readable.from(chunks))).toBe('密码');
  });
});
