import { ValidationError } from '../../src/domain/errors';
import { checkActor, checkComment } from '../../src/store/context';
import { prepareInputs } from '../../src/store/repos/scenarios';
import { storeInternals, type Store } from '../../src/store/store';
import type { Db } from '../../src/store';
import { memoryStore, rows, scenarioInput } from './helpers/fixtures';

/**
 * Issue 8, defect 1: the store refuses text the text rule refuses (src/domain/text.ts) with a
 * typed ValidationError naming the field, before SQLite sees it: a NUL first used to fail a
 * CHECK constraint (a raw SqliteError, a 500), a NUL later on was stored as is.
 */

let db: Db;
let store: Store;
beforeEach(() => {
  ({ db, store } = memoryStore());
});

const counts = () =>
  rows(
    db,
    `SELECT (SELECT COUNT(*) FROM projects) AS projects, (SELECT COUNT(*) FROM scenarios) AS scenarios,
            (SELECT COUNT(*) FROM scenario_versions) AS versions, (SELECT COUNT(*) FROM portfolios) AS portfolios,
            (SELECT COUNT(*) FROM jurisdictions) AS jurisdictions, (SELECT COUNT(*) FROM audit_log) AS audit`,
  )[0];

/** The issues of the ValidationError `fn` throws (fails when it throws anything else). */
function issuesOf(fn: () => unknown): Array<{ path: string; message: string }> {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues;
  }
  throw new Error('expected a ValidationError');
}

describe('who and why', () => {
  it.each([
    ['\u0000', 'Author contains a control character (U+0000) at position 1'],
    ['Li\u0000', 'Author contains a control character (U+0000) at position 3'],
    ['Li\nWei', 'Author contains a line break (U+000A) at position 3'],
  ])('checkActor refuses %j at actor', (actor, message) => {
    const [issue] = issuesOf(() => checkActor(actor));
    expect(issue?.path).toBe('actor');
    expect(issue?.message).toContain(message);
  });

  it('checkActor keeps a tab; checkComment keeps line breaks and tabs, refuses other controls', () => {
    expect(checkActor(' Li\tWei ')).toBe('Li\tWei');
    expect(checkComment('a\r\nb\tc')).toBe('a\r\nb\tc');
    expect(issuesOf(() => checkComment('a\u001bb'))).toEqual([
      {
        path: 'comment',
        message:
          'Comment contains a control character (U+001B) at position 2; only tab and line breaks are allowed',
      },
    ]);
  });

  it('a save with a NUL author writes nothing', () => {
    const before = counts();
    expect(issuesOf(() => store.scenarios.save(scenarioInput(), { actor: '\u0000' }))).toEqual([
      expect.objectContaining({ path: 'actor' }),
    ]);
    expect(counts()).toEqual(before);
  });
});

describe('every repository refuses such text before SQLite sees it', () => {
  it('portfolios: name and description (line breaks allowed in the description)', () => {
    store.scenarios.save(scenarioInput(), { actor: 'a' });
    const members = [{ projectCode: 'P-001', scenarioName: 'Base case' }];
    const before = counts();
    expect(
      issuesOf(() => store.portfolios.create({ name: '\u0000Plan', members }, 'a')).map(
        (i) => i.path,
      ),
    ).toEqual(['name']);
    expect(
      issuesOf(() =>
        store.portfolios.create({ name: 'Plan', description: 'x\u0000', members }, 'a'),
      ).map((i) => i.path),
    ).toEqual(['description']);
    expect(counts()).toEqual(before);
    const made = store.portfolios.create({ name: 'Plan', description: 'one\ntwo', members }, 'a');
    expect(made.description).toBe('one\ntwo');
  });

  it('jurisdictions: a thresholds write names the jurisdiction', () => {
    const before = counts();
    expect(issuesOf(() => store.fiscal.setThresholds('\u0000', {}, 'a'))).toEqual([
      {
        path: 'jurisdiction',
        message:
          'Jurisdiction name contains a control character (U+0000) at position 1; only tab is allowed in a one-line field',
      },
    ]);
    expect(counts()).toEqual(before);
  });

  it('the guard behind the schemas: a writer handed unchecked text throws a ValidationError, not a SqliteError', () => {
    const { ctx, projectWriter, scenarioWriter } = storeInternals(store);
    const before = counts();
    const fields = {
      code: 'P-009',
      name: '\u0000',
      nameEn: null,
      sector: 'other' as const,
      category: 'basic' as const,
      approvalDate: '2025-01-01',
      jurisdiction: 'Demo\u0085',
    };
    expect(
      issuesOf(() => ctx.write(() => projectWriter.upsert(fields, 'a', ctx.now(), 'test'))),
    ).toEqual([
      expect.objectContaining({ path: 'project.name' }),
      expect.objectContaining({ path: 'project.jurisdiction' }),
    ]);
    const prepared = prepareInputs(scenarioInput());
    prepared.scenario.scenario.name = 'Base\u0000';
    expect(
      issuesOf(() =>
        ctx.write(() =>
          scenarioWriter.writeVersion({
            ...prepared,
            actor: 'a',
            comment: '',
            action: 'create',
            via: 'test',
            skipUnchanged: true,
          }),
        ),
      ),
    ).toEqual([expect.objectContaining({ path: 'scenario.name' })]);
    expect(
      issuesOf(() =>
        ctx.write(() =>
          ctx.appendAudit({
            actor: '\u0000',
            action: 'create',
            entity: 'database',
            entityId: null,
            details: {},
          }),
        ),
      ),
    ).toEqual([expect.objectContaining({ path: 'actor' })]);
    expect(counts()).toEqual(before);
  });
});
