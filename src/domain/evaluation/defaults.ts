import type { EvaluationSystem, IndicatorNode, ScoringMethod } from './types';

const pct = (zeroAt: string, fullAt: string): ScoringMethod => ({ kind: 'linear', zeroAt, fullAt });
const yesNo: ScoringMethod = { kind: 'yes-no' };
const leaf = (
  code: string,
  nameZh: string,
  nameEn: string,
  weightPercent: string,
  method: ScoringMethod,
  extra: Partial<IndicatorNode> = {},
): IndicatorNode => ({ code, nameZh, nameEn, weightPercent, method, ...extra });
const group = (
  code: string,
  nameZh: string,
  nameEn: string,
  weightPercent: string,
  children: IndicatorNode[],
): IndicatorNode => ({ code, nameZh, nameEn, weightPercent, children });

/**
 * The default evaluation system, an editable starting point (README "Evaluation index system"):
 * GB/T 33356-2016's eight first-level groups keep their proportions (37 : 9 : 8 : 7 : 7 : 8 : 4 :
 * 20) scaled to 80 % of the whole (× 0.8), and a ninth first-level group, 财务可持续 Financial
 * sustainability, takes 20 % with the engine's metrics. The second-level indicators are
 * suggestions, not the standard's text.
 */
export function defaultEvaluationSystem(): EvaluationSystem {
  return {
    indicators: [
      group('HM', '惠民服务', 'Public services', '29.6', [
        leaf('HM1', '政务服务网上可办率', 'Government services online', '40', pct('0', '100'), {
          unit: '%',
        }),
        leaf('HM2', '公共服务覆盖率', 'Public-service coverage', '35', pct('0', '100'), {
          unit: '%',
        }),
        leaf('HM3', '特色惠民应用', 'Flagship service application', '25', yesNo),
      ]),
      group('JZ', '精准治理', 'Precise governance', '7.2', [
        leaf(
          'JZ1',
          '城市管理事件处置率',
          'City-management cases resolved',
          '60',
          pct('50', '100'),
          { unit: '%' },
        ),
        leaf('JZ2', '应急联动平台', 'Emergency coordination platform', '40', yesNo),
      ]),
      group('ST', '生态宜居', 'Liveable environment', '6.4', [
        leaf('ST1', '环境监测覆盖率', 'Environmental monitoring coverage', '50', pct('0', '100'), {
          unit: '%',
        }),
        leaf('ST2', '单位GDP能耗下降率', 'Energy intensity reduction', '50', pct('0', '5'), {
          unit: '%',
        }),
      ]),
      group('ZN', '智能设施', 'Smart infrastructure', '5.6', [
        leaf('ZN1', '千兆光网覆盖率', 'Gigabit network coverage', '50', pct('0', '100'), {
          unit: '%',
        }),
        leaf('ZN2', '物联感知终端覆盖', 'IoT sensing coverage', '50', pct('0', '100'), {
          unit: '%',
        }),
      ]),
      group('XX', '信息资源', 'Information resources', '5.6', [
        leaf('XX1', '公共数据开放率', 'Public data opened', '50', pct('0', '100'), { unit: '%' }),
        leaf('XX2', '数据共享交换平台', 'Data-sharing platform', '50', yesNo),
      ]),
      group('WA', '网络安全', 'Cyber security', '6.4', [
        leaf('WA1', '等级保护测评通过', 'Graded protection (等保) passed', '60', yesNo),
        leaf(
          'WA2',
          '重大安全事件数',
          'Major security incidents',
          '40',
          {
            kind: 'bands',
            bands: [
              { max: '1', points: '100' },
              { max: '3', points: '50' },
            ],
          },
          { unit: '件' },
        ),
      ]),
      group('GG', '改革创新', 'Reform and innovation', '3.2', [
        leaf('GG1', '体制机制创新', 'Institutional innovation', '100', yesNo),
      ]),
      group('SM', '市民体验', 'Citizen experience', '16', [
        leaf(
          'SM1',
          '公众满意度调查得分',
          'Public-satisfaction survey score',
          '100',
          pct('60', '95'),
          {
            unit: '分',
            fromActuals: 'satisfaction',
          },
        ),
      ]),
      group('CW', '财务可持续', 'Financial sustainability', '20', [
        leaf('CW1', '物有所值指数', 'VfM index', '25', {
          kind: 'metric',
          metric: 'vfmIndex',
          scale: { kind: 'linear', zeroAt: '0', fullAt: '0.2' },
        }),
        leaf('CW2', '专项债本息覆盖倍数', 'Special-bond coverage', '25', {
          kind: 'metric',
          metric: 'bondCoverage',
          scale: {
            kind: 'bands',
            bands: [
              { min: '1.5', points: '100' },
              { min: '1.2', points: '70' },
              { min: '1', points: '30' },
            ],
          },
        }),
        leaf('CW3', '资本金内部收益率', 'Equity IRR', '25', {
          kind: 'metric',
          metric: 'equityIrr',
          scale: { kind: 'linear', zeroAt: '0', fullAt: '0.08' },
        }),
        leaf('CW4', '财政负担率', 'Fiscal burden', '25', {
          kind: 'metric',
          metric: 'fiscalBurden',
          scale: { kind: 'linear', zeroAt: '1', fullAt: '0' },
        }),
      ]),
    ],
  };
}
