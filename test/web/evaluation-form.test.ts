import { defaultEvaluationSystem } from '../../src/domain/evaluation';
import {
  applySystemAction,
  formFromSystem,
  placeIssues,
  systemFormFromPost,
  systemOfForm,
  type SystemForm,
} from '../../src/web/view-models/evaluation-form';

/** The evaluation editor's form model (src/web/view-models/evaluation-form.ts), without a page. */
const codes = (f: SystemForm) => f.rows.map((r) => `${r.depth}:${r.code}`);
const small = (): SystemForm =>
  formFromSystem({
    indicators: [
      {
        code: 'A',
        nameZh: '甲',
        nameEn: 'A',
        weightPercent: '60',
        children: [
          {
            code: 'A1',
            nameZh: '甲一',
            nameEn: 'A1',
            weightPercent: '100',
            method: { kind: 'bands', bands: [{ min: '1', points: '100' }, { points: '20' }] },
          },
        ],
      },
      {
        code: 'B',
        nameZh: '乙',
        nameEn: 'B',
        weightPercent: '40',
        method: {
          kind: 'metric',
          metric: 'equityIrr',
          scale: { kind: 'linear', zeroAt: '0', fullAt: '0.08' },
        },
      },
    ],
  });

describe('the evaluation editor form', () => {
  it('gives back the very tree it shows, and each row its path', () => {
    expect(systemOfForm(formFromSystem(defaultEvaluationSystem())).input).toEqual(
      defaultEvaluationSystem(),
    );
    expect(systemOfForm(small()).paths).toEqual([
      'indicators[0]',
      'indicators[0].children[0]',
      'indicators[1]',
    ]);
  });

  it.each([
    ['add-child:0', ['0:A', '1:A1', '1:A2', '0:B']],
    ['add-sibling:0', ['0:A', '1:A1', '0:N1', '0:B']],
    ['add-sibling:1', ['0:A', '1:A1', '1:A2', '0:B']],
    ['add-child:2', ['0:A', '1:A1', '0:B', '1:B1']],
    ['remove:0', ['0:B']],
    ['add-top', ['0:A', '1:A1', '0:B', '0:N1']],
    ['remove:9', ['0:A', '1:A1', '0:B']],
    ['refresh', ['0:A', '1:A1', '0:B']],
  ])('%s gives the rows %j', (action, rows) => {
    expect(codes(applySystemAction(small(), action))).toEqual(rows);
  });

  it('turns a node given a child into a group, and adds and removes bands', () => {
    expect(applySystemAction(small(), 'add-child:2').rows[2]!.kind).toBe('group');
    const more = applySystemAction(small(), 'add-band:1').rows[1]!.bands;
    expect(more).toEqual([
      { min: '1', max: '', points: '100' },
      { min: '', max: '', points: '20' },
      { min: '', max: '', points: '' },
    ]);
    expect(applySystemAction(small(), 'remove-band:1:0').rows[1]!.bands).toEqual([
      { min: '', max: '', points: '20' },
    ]);
  });

  it('reads a post as typed, a depth deeper than the row above as one level below it', () => {
    const form = systemFormFromPost({
      n: [
        { depth: '0', code: 'G', kind: 'group', weightPercent: ' 100 ' },
        { depth: '3', code: 'X', kind: 'yes-no', weightPercent: '100', fromActuals: 'true' },
      ],
      comment: 'why',
    });
    expect(codes(form)).toEqual(['0:G', '1:X']);
    expect(form.comment).toBe('why');
    expect(systemOfForm(form).input).toEqual({
      indicators: [
        {
          code: 'G',
          nameZh: '',
          nameEn: '',
          weightPercent: '100',
          children: [
            { code: 'X', nameZh: '', nameEn: '', weightPercent: '100', method: { kind: 'yes-no' } },
          ],
        },
      ],
    });
  });

  it('places each issue at its row and field, the first level at the top', () => {
    const { paths } = systemOfForm(small());
    const placed = placeIssues(
      [
        { path: 'indicators', message: 'First level: weights sum to 90 %, must be 100 %' },
        { path: 'indicators[0].children', message: 'weights sum to 95 %, must be 100 %' },
        {
          path: 'indicators[0].children[0].method.bands[1]',
          message: 'an open band must be the last one',
        },
        {
          path: 'indicators[0].children[0].method.bands[0].max',
          message: 'the maximum must exceed the minimum',
        },
        {
          path: 'indicators[1].method.scale.fullAt',
          message: 'the 0-point and 100-point bounds must differ',
        },
        { path: 'indicators[1].method.metric', message: 'The metric is one of …' },
        { path: 'indicators[1].method', message: 'a group has no method of its own' },
      ],
      paths,
      'zh',
    );
    expect(placed.top).toEqual(['第一层：权重合计 90 %，须为 100 %']);
    expect([...placed.byRow[0]!]).toEqual([['children', ['权重合计 95 %，须为 100 %']]]);
    expect([...placed.byRow[1]!]).toEqual([
      ['bands.1', ['上下限都不设的档位只能放在最后']],
      ['bands.0.max', ['上限须大于下限']],
    ]);
    expect([...placed.byRow[2]!]).toEqual([
      ['fullAt', ['得 0 分与得 100 分的值不能相同']],
      ['metric', ['请选择测算指标']],
      ['kind', ['分组没有自己的评分方法：请选“分组”或删除其下级节点']],
    ]);
  });
});
