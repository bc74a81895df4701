import { memoryStore, rows, scenarioInput } from './helpers/fixtures';

/** Migration 0012: evaluation systems per jurisdiction and indicator data, append-only, audited. */
describe('evaluation store', () => {
  const setUp = () => {
    const w = memoryStore();
    w.store.scenarios.save(scenarioInput('P-001'), { actor: 'analyst' });
    return { ...w, projectId: w.store.projects.get('P-001').id };
  };

  it('saves each system as the next version of its jurisdiction and never overwrites one', () => {
    const { db, store } = setUp();
    expect(store.evaluation.currentSystem('City A')).toBeNull();
    const one = { indicators: [{ code: 'A', nameZh: '甲', nameEn: 'A', weightPercent: '100' }] };
    const two = { indicators: [{ code: 'B', nameZh: '乙', nameEn: 'B', weightPercent: '100' }] };
    store.transaction(() =>
      store.evaluation.saveSystem({
        jurisdiction: 'City A',
        system: one,
        comment: 'first',
        createdBy: null,
      }),
    );
    store.transaction(() =>
      store.evaluation.saveSystem({
        jurisdiction: 'City A',
        system: two,
        comment: '',
        createdBy: null,
      }),
    );
    store.transaction(() =>
      store.evaluation.saveSystem({
        jurisdiction: 'City B',
        system: one,
        comment: '',
        createdBy: null,
      }),
    );
    const current = store.evaluation.currentSystem('City A');
    expect(current?.version_no).toBe(2);
    expect(JSON.parse(current?.system_json ?? 'null')).toEqual(two);
    expect(store.evaluation.systemVersions('City A').map((v) => [v.version_no, v.comment])).toEqual(
      [
        [1, 'first'],
        [2, ''],
      ],
    );
    expect(store.evaluation.currentSystem('City B')?.version_no).toBe(1);
    expect(
      rows(
        db,
        `SELECT action, details FROM audit_log WHERE entity = 'evaluation-system' ORDER BY id`,
      ).map((r) => [
        r.action,
        JSON.parse(r.details as string).versionNo,
        JSON.parse(r.details as string).jurisdiction,
      ]),
    ).toEqual([
      ['create', 1, 'City A'],
      ['create', 2, 'City A'],
      ['create', 1, 'City B'],
    ]);
    expect(() => db.prepare('UPDATE evaluation_systems SET comment = ?').run('x')).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM evaluation_systems').run()).toThrow(/append-only/);
  });

  it('keeps every entered value of an indicator; the latest is current, a clear is null', () => {
    const { db, store, projectId } = setUp();
    const put = (code: string, value: string | null, source: string) =>
      store.transaction(() =>
        store.evaluation.recordDatum({
          projectId,
          code,
          value,
          source,
          asOf: '2026-03-31',
          createdBy: null,
        }),
      );
    put('HM1', '80', 'survey 2025');
    put('HM1', '85.5', 'survey 2026');
    put('HM3', 'yes', 'launch notice');
    put('HM3', null, 'withdrawn');
    expect(
      store.evaluation
        .currentData(projectId)
        .map((d) => [d.indicator_code, d.version_no, d.value, d.source]),
    ).toEqual([
      ['HM1', 2, '85.5', 'survey 2026'],
      ['HM3', 2, null, 'withdrawn'],
    ]);
    expect(store.evaluation.dataHistory(projectId)).toHaveLength(4);
    expect(
      rows(db, `SELECT COUNT(*) AS n FROM audit_log WHERE entity = 'evaluation-data'`)[0],
    ).toEqual({ n: 4 });
    expect(() => db.prepare('DELETE FROM evaluation_data').run()).toThrow(/append-only/);
    expect(() => put('HM1', '1e5', 'x')).toThrow(/CHECK constraint/);
  });
});
