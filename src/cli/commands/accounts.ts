import type { Command } from 'commander';
import { z } from 'zod';
import {
  addOrganisation,
  addUser,
  createToken,
  disableUser,
  listUsers,
  resetPassword,
  revokeToken,
  systemActor,
  type UserView,
} from '../../app/accounts';
import { ValidationError } from '../../domain/errors';
import { toFieldIssues } from '../../domain/scenario/parse';
import type { Store } from '../../store';
import { processIo, resolveActor, resolveDbPath, withStore, type CliIo } from './store-common';

const DB_OPTION = [
  '--db <path>',
  'database file (default: $FUNDMIX_DB or data/fundmix.db)',
] as const;
const STDIN_PASSWORD = 'standard input (the password)';

/** The use cases' field names as the options that fill them, so messages name what to fix. */
const OPTION_OF: Record<string, string> = {
  name: '--name',
  kind: '--kind',
  jurisdiction: '--jurisdiction',
  username: '--username',
  org: '--org',
  roles: '--role',
  password: STDIN_PASSWORD,
  id: '--id',
  readOnly: '--read-only',
};

/** Re-labels a use case's ValidationError with option names. */
function asOptions(err: unknown): unknown {
  if (!(err instanceof ValidationError)) return err;
  const issues = err.issues.map((i) => {
    const [head = '', ...rest] = i.path.split(/(?=[.[])/);
    return { ...i, path: (OPTION_OF[head] ?? head) + rest.join('') };
  });
  return new ValidationError(issues, err.message);
}

const idOption = z.object({
  id: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, {
      error: 'Give the token id, a whole number (see `token create`)',
    })
    .transform(Number),
});

/**
 * Runs one accounts use case as the machine's operator (the system actor), on an existing,
 * migrated database.
 */
async function asOperator<T>(
  io: CliIo,
  db: string | undefined,
  fn: (store: Store, actor: ReturnType<typeof systemActor>) => T | Promise<T>,
): Promise<T> {
  const actor = systemActor(resolveActor(io));
  try {
    return await withStore(resolveDbPath(db, io), io, { create: false }, ({ store }) =>
      fn(store, actor),
    );
  } catch (err) {
    throw asOptions(err);
  }
}

async function passwordFromStdin(io: CliIo): Promise<string> {
  if (!io.readStdinLine)
    throw new ValidationError([{ path: STDIN_PASSWORD, message: 'Standard input cannot be read' }]);
  return io.readStdinLine();
}

const userLine = (u: UserView) =>
  [
    u.username,
    u.organisation,
    u.orgKind,
    u.roles.join(','),
    u.disabledAt === null ? 'active' : `disabled ${u.disabledAt}`,
  ].join('\t');

/** `fundmix org add`. */
function registerOrg(program: Command, io: CliIo): void {
  program
    .command('org')
    .description('Organisations: finance bureaus, enterprises, audit offices')
    .command('add')
    .description('Add an organisation (a bureau or audit office names its jurisdiction)')
    .requiredOption('--name <name>', 'unique name')
    .requiredOption('--kind <kind>', 'bureau, enterprise or audit')
    .option('--jurisdiction <jurisdiction>', 'the jurisdiction (required for bureau and audit)')
    .option(...DB_OPTION)
    .action(async (opts: { name: string; kind: string; jurisdiction?: string; db?: string }) => {
      const org = await asOperator(io, opts.db, (store, actor) =>
        addOrganisation(store, actor, {
          name: opts.name,
          kind: opts.kind,
          jurisdiction: opts.jurisdiction ?? null,
        }),
      );
      io.out(
        `Added organisation ${org.id}: ${org.name} (${org.kind}${org.jurisdiction ? `, ${org.jurisdiction}` : ''})\n`,
      );
    });
}

/** `fundmix user add|list|disable|reset-password`. */
function registerUser(program: Command, io: CliIo): void {
  const user = program.command('user').description('User accounts and their roles');
  user
    .command('add')
    .description('Add a user; the password (12 to 256 characters) is read from standard input')
    .requiredOption('--username <username>', 'letters, digits, ".", "_" and "-"')
    .requiredOption('--org <name>', 'the organisation the user belongs to')
    .requiredOption(
      '--role <role>',
      'bureau-analyst, bureau-approver, enterprise-analyst, auditor or admin (repeat for several)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(...DB_OPTION)
    .action(async (opts: { username: string; org: string; role: string[]; db?: string }) => {
      const password = await passwordFromStdin(io);
      const added = await asOperator(io, opts.db, (store, actor) =>
        addUser(store, actor, {
          username: opts.username,
          org: opts.org,
          roles: opts.role,
          password,
        }),
      );
      io.out(`Added user ${added.username} (${added.roles.join(', ')}) to ${added.organisation}\n`);
    });
  user
    .command('list')
    .description('List users: username, organisation, kind, roles, status')
    .option(...DB_OPTION)
    .action(async (opts: { db?: string }) => {
      const users = await asOperator(io, opts.db, (store, actor) => listUsers(store, actor));
      for (const u of users) io.out(`${userLine(u)}\n`);
      if (users.length === 0)
        io.out('No users yet: add the first with `fundmix user add … --role admin`\n');
    });
  user
    .command('disable')
    .description('Disable a user: sessions end, tokens stop working')
    .requiredOption('--username <username>', 'the user')
    .option(...DB_OPTION)
    .action(async (opts: { username: string; db?: string }) => {
      const done = await asOperator(io, opts.db, (store, actor) =>
        disableUser(store, actor, { username: opts.username }),
      );
      io.out(`Disabled user ${done.username}\n`);
    });
  user
    .command('reset-password')
    .description("Set a user's password from standard input; the user's sessions end")
    .requiredOption('--username <username>', 'the user')
    .option(...DB_OPTION)
    .action(async (opts: { username: string; db?: string }) => {
      const password = await passwordFromStdin(io);
      const done = await asOperator(io, opts.db, (store, actor) =>
        resetPassword(store, actor, { username: opts.username, password }),
      );
      io.out(`Set a new password for ${done.username}\n`);
    });
}

/** `fundmix token create|revoke`. */
function registerToken(program: Command, io: CliIo): void {
  const token = program.command('token').description('Personal access tokens for the JSON API');
  token
    .command('create')
    .description('Create a token and print it (shown this once: only its hash is kept)')
    .requiredOption('--username <username>', 'whose token')
    .option('--read-only', 'the token may only read')
    .option('--name <name>', 'what the token is for', 'access token')
    .option(...DB_OPTION)
    .action(async (opts: { username: string; readOnly?: boolean; name: string; db?: string }) => {
      const made = await asOperator(io, opts.db, (store, actor) =>
        createToken(store, actor, {
          username: opts.username,
          name: opts.name,
          readOnly: opts.readOnly === true,
        }),
      );
      io.err(
        `Created ${made.readOnly ? 'read-only' : 'read-write'} token ${made.id} "${made.name}" for ${made.username}. It is shown only this once:\n`,
      );
      io.out(`${made.token}\n`);
    });
  token
    .command('revoke')
    .description('Revoke a token by its id')
    .requiredOption('--id <id>', 'the token id `token create` printed')
    .option(...DB_OPTION)
    .action(async (opts: { id: string; db?: string }) => {
      const parsed = idOption.safeParse({ id: opts.id });
      if (!parsed.success)
        throw asOptions(new ValidationError(toFieldIssues(parsed.error), '--id is not valid'));
      const done = await asOperator(io, opts.db, (store, actor) =>
        revokeToken(store, actor, parsed.data),
      );
      io.out(`Revoked token ${done.id} "${done.name}" of ${done.username}\n`);
    });
}

/** `fundmix org`, `fundmix user` and `fundmix token` (issue 10): run as the machine's operator. */
export function registerAccounts(program: Command, io: CliIo = processIo()): void {
  registerOrg(program, io);
  registerUser(program, io);
  registerToken(program, io);
}
