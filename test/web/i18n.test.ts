import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { en } from '../../src/web/i18n/en';
import { zh } from '../../src/web/i18n/zh';
import { isMessageKey, translate } from '../../src/web/i18n';
import { localizeIssue } from '../../src/web/i18n/issues';
import { parseScenario } from '../../src/domain/scenario/parse';
import { ValidationError } from '../../src/domain/errors';
import { smallInput } from '../helpers/scenarios';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function files(dir: string, ext: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p, ext) : p.endsWith(ext) ? [p] : [];
  });
}

describe('message catalogue', () => {
  it('has the same keys in Chinese and English', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(en))(
    '%s has the same placeholders in both languages and no empty text',
    (key) => {
      const k = key as keyof typeof en;
      expect(placeholders(zh[k])).toEqual(placeholders(en[k]));
      expect(zh[k].trim()).not.toBe('');
    },
  );

  it('knows every key a template uses', () => {
    const views = join(__dirname, '..', '..', 'views');
    const used = files(views, '.hbs').flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/\(?t "([^"]+)"/g)].map((m) => m[1] as string),
    );
    expect(used.length).toBeGreaterThan(50);
    expect(used.filter((k) => !isMessageKey(k))).toEqual([]);
  });

  it('fills placeholders and refuses unknown keys', () => {
    expect(translate('zh', 'editor.check.short', { gap: '1,000.00' })).toBe(
      '尚有 1,000.00 元资金未落实。',
    );
    expect(() => translate('en', 'no.such.key')).toThrow(/unknown message key/);
  });
});

describe('validation messages in the page language', () => {
  it('translates every message the schema gives for a badly filled scenario', () => {
    let issues: ValidationError['issues'] = [];
    try {
      parseScenario(
        smallInput((s) => {
          (s.project as Record<string, unknown>).sector = 'moon';
          s.project.name = '';
          s.project.approvalDate = '2025-02-30';
          (s.timeline as Record<string, unknown>).startYear = 'soon';
          s.timeline.operationYears = 0;
          s.capex.scheduleYuan = ['1,000'];
          s.operatingCost.annualYuan = '-5';
          s.discountRates.project = '0.9';
          s.funding.sources[0]!.id = 'Bad Id';
          s.funding.sources[0]!.amountYuan = '1.234';
        }),
      );
    } catch (err) {
      issues = (err as ValidationError).issues;
    }
    expect(issues.length).toBeGreaterThanOrEqual(9);
    for (const issue of issues) {
      const zhText = localizeIssue(issue.message, 'zh');
      // Chinese text for each (numbers and field names may stay as they are).
      expect(zhText).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it.each([
    ['Invalid input: expected int, received string', 'en', 'Enter a whole number'],
    ['Too small: expected number to be >=1', 'zh', '不能小于 1'],
    ['Too big: expected number to be <=10', 'en', 'Must be at most 10'],
    [
      'Capital expenditure must be a plain decimal number such as "1234.56" (no commas, units or exponents)',
      'en',
      'Capital expenditure must be a plain decimal number such as "1234.56" (no commas, units or exponents)',
    ],
    ['Source amount cannot be negative', 'zh', '资金金额不能为负数'],
    [
      'Funding sources total 900,000.00 yuan but the investment is 1,000,000.00 yuan: 100,000.00 yuan is not funded',
      'zh',
      '资金来源合计 900,000.00 元，总投资 1,000,000.00 元：尚有 100,000.00 元未落实',
    ],
    [
      'Tenor 2 years leaves no year to repay after 2 construction and 0 grace years',
      'zh',
      '期限 2 年扣除 2 年建设期和 0 年宽限期后，没有还款年度',
    ],
    ['Year 2027 is listed twice', 'zh', '2027 年重复填写'],
    ['Reference build cost cannot be negative', 'zh', '参照项目建设成本不能为负数'],
    ['The author name is longer than 200 characters', 'zh', '姓名不能超过 200 个字符'],
    [
      'Scenario "base" of project T-SMALL was deleted; it cannot get new versions',
      'zh',
      '项目 T-SMALL 的方案“base”已删除，不能再生成新版本',
    ],
    // The filing workflow's refusals (src/app/filings.ts).
    ['No finance bureau is registered for 乙市', 'zh', '乙市 没有已登记的财政局'],
    [
      'Version 7 is no longer the current version of "base" (v3 was saved since)',
      'zh',
      '版本 7 已不是方案“base”的当前版本（此后已保存 v3）',
    ],
    [
      'Filing 4 changed meanwhile (it is under-review with 3 events; you saw 2)',
      'zh',
      '报送 4 已被他人更新（现为审核中，共 3 条记录；您看到的是 2 条），请刷新后再操作',
    ],
    [
      'Filing 4 is approved: it cannot take "withdraw" now',
      'zh',
      '报送 4 当前为已批准，不能执行“撤回报送”',
    ],
    [
      'Scenario "base" of E-LAMP is deleted: it cannot be filed',
      'zh',
      '项目 E-LAMP 的方案“base”已删除，不能报送',
    ],
    ['Version 9 is not a version of the filed scenario', 'zh', '版本 9 不是所报送方案的版本'],
    [
      'The filed version does not fail rule ppp-cap (it fails bond-coverage)',
      'zh',
      '所报送版本并未违反规则 ppp-cap（其违反的规则：bond-coverage）',
    ],
    ['The filed version does not fail rule ppp-cap', 'zh', '所报送版本并未违反规则 ppp-cap'],
    [
      'Filing 4 is approved: it cannot take "withdraw" now',
      'en',
      'Filing 4 is approved: it cannot take "withdraw" now',
    ],
    ['Something entirely new', 'zh', 'Something entirely new'],
  ])('%s (%s)', (message, lang, expected) => {
    expect(localizeIssue(message, lang as 'zh' | 'en')).toBe(expected);
  });
});
