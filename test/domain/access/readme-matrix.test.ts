import fs from 'node:fs';
import path from 'node:path';
import { ACTION_NAMES, ACTIONS, MATRIX, MATRIX_ROLES } from '../../../src/domain/access';

/** The README's matrix table, as the code's table renders it. */
export function matrixMarkdown(): string {
  const header = `| action | what it allows | ${MATRIX_ROLES.join(' | ')} |`;
  const rule = `|---|---|${MATRIX_ROLES.map(() => '---').join('|')}|`;
  const rows = ACTION_NAMES.map(
    (a) => `| \`${a}\` | ${ACTIONS[a].summary} | ${MATRIX[a].join(' | ')} |`,
  );
  return [header, rule, ...rows].join('\n');
}

it('README.md shows the authorisation matrix exactly as the code has it', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  if (process.env.PRINT_MATRIX === '1') process.stdout.write(`${matrixMarkdown()}\n`);
  expect(readme).toContain(`\n${matrixMarkdown()}\n`);
});
