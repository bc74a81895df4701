import type { Lang } from '../format/number';
import { isMessageKey, translate } from './index';

/**
 * Validation messages come from the scenario schema in English. This turns them into the page's
 * language: zod's generic messages get plain words in both languages; the schema's own messages
 * stay as written in English and are translated to Chinese pattern by pattern. A message no
 * pattern knows is shown as it is (English) rather than dropped.
 */

/** The subjects the schema names in its messages ("Source amount cannot be negative"). */
const SUBJECTS_ZH: Record<string, string> = {
  Amount: '金额',
  'Capital expenditure': '建设投资',
  'Operating cost': '运营成本',
  'Operating cost escalation': '运营成本增长率',
  'Residual value': '期末残值',
  'Source amount': '资金金额',
  'Share of total investment': '占总投资比例',
  'Interest rate': '年利率',
  'Target DSCR': '目标偿债覆盖率',
  'Upfront fee rate': '前端费率',
  'Unit price': '单价',
  'Annual volume': '年业务量',
  'Volume growth': '业务量增长率',
  'Price escalation': '价格增长率',
  'Ramp-up factor': '爬坡系数',
  'Licensing income': '授权收入',
  'Income growth': '收入增长率',
  'Allowed profit rate': '允许利润率',
  'Tax rate on data income': '数据收入税率',
  'Share of operating cost attributable to data operation': '计入成本基数的运营成本比例',
  'Revenue share to the data authority': '上缴数据主管部门比例',
  'Other income': '其他收入',
  'Construction cost for the availability payment': '可用性付费建设成本',
  'Reasonable profit rate': '合理利润率',
  'Annual discount rate': '年度折现率',
  'Operating subsidy': '运营补贴',
  'Operating subsidy escalation': '运营补贴增长率',
  'Income tax rate': '所得税率',
  'Project discount rate': '项目折现率',
  'Equity discount rate': '资本金折现率',
  'Government discount rate': '政府折现率',
  'Minimum DSCR covenant': '最低偿债覆盖率约定',
  'Special-bond coverage threshold': '专项债覆盖倍数要求',
  'Annual amount': '每年金额',
  'Reference build cost': '参照项目建设成本',
  'Reference operating cost': '参照项目运营成本',
  'Reference third-party income': '参照项目第三方收入',
  'Competitive-neutrality adjustment': '竞争性中立调整',
  'Retained risk': '自留风险',
  'Transferable risk': '可转移风险',
  'VfM discount rate': '物有所值评价折现率',
  'Special bonds used as project capital': '专项债用作资本金',
  'Affordability cap': '财政承受能力红线',
  'New-project line': '新上项目控制线',
  'Private controlling share': '民营控股比例',
  'Minimum private share for strongly public projects': '公益性较强项目民营最低持股比例',
  'Special bonds as capital share': '专项债用作资本金比例',
  'Minimum project capital ratio': '最低项目资本金比例',
  // Reserve accounts and lock-up (issue 9).
  'Major-maintenance amount': '大修金额',
  'Lock-up DSCR': '分配锁定偿债覆盖率',
  // Indirect taxes and the equity waterfall (issue 9): their rates' names, for Chinese pages.
  'Input VAT rate on capex': '建设投资进项税率',
  'Input VAT rate on operating cost': '运营成本进项税率',
  'VAT rate on the availability payment': '可用性付费增值税率',
  'VAT rate on the operating subsidy': '运营补贴增值税率',
  'Education surcharge rate': '教育费附加费率',
  'Local education surcharge rate': '地方教育附加费率',
  'VAT rate of the revenue stream': '销项税率',
  'Preferred return rate': '年优先回报率',
  'Budget expenditure in the base year': '基准年预算支出',
  'Budget expenditure': '预算支出',
  'Budget growth': '预算支出增长率',
  'Other PPP obligations': '其他PPP支出责任',
  // Risk register (issue 11; src/domain/scenario/risks.ts).
  'Case probability': '情景概率',
  'Case annual amount': '情景每年金额',
  'Risk probability': '风险发生概率',
  'Risk impact': '风险影响金额',
  'Government share': '政府承担比例',
  'Partner share': '社会资本承担比例',
  'Insured amount': '投保金额',
  'Risk proportion': '风险承担比例',
  'Impact minimum': '影响最小值',
  'Impact most likely value': '影响最可能值',
  'Impact maximum': '影响最大值',
  'Risk description': '风险描述',
  // Evaluation index system (issue 12).
  'The weight': '权重',
  'The 0-point bound': '得 0 分的值',
  'The 100-point bound': '得 100 分的值',
  'The band minimum': '档位下限',
  'The band maximum': '档位上限',
  Points: '分值',
};

const subject = (s: string) => SUBJECTS_ZH[s] ?? s;

type Rule = [RegExp, (m: RegExpExecArray, lang: Lang) => string | null];

// Text rule (issue 8): characters refused in text fields (src/domain/text.ts), in Chinese.
const TEXT_SUBJECTS_ZH: Record<string, string> = {
  'Project name': '项目名称',
  'English project name': '项目英文名称',
  'Project code': '项目编号',
  Jurisdiction: '所属地区',
  'Jurisdiction name': '地区名称',
  'Scenario name': '方案名称',
  Description: '方案说明',
  'Source name': '资金来源名称',
  'Revenue name': '收入名称',
  'Portfolio name': '项目组合名称',
  'Portfolio description': '项目组合说明',
  Author: '姓名',
  Comment: '说明',
  'What-if switch': '方案切换',
  'The Chinese name': '中文名称',
  'The English name': '英文名称',
};
const textSubject = (s: string) => TEXT_SUBJECTS_ZH[s] ?? subject(s);
const TEXT_AT = String.raw`\((U\+[0-9A-F]{4,6})\) at position (\d+)`;
const textRule = (tail: string, zh: (what: string, cp: string, pos: string) => string): Rule => [
  new RegExp(`^(.+) contains ${tail.replace('@', TEXT_AT)}$`),
  (m, l) => (l === 'zh' ? zh(textSubject(m[1]!), m[2]!, m[3]!) : null),
];
const TEXT_RULE_RULES: Rule[] = [
  textRule(
    'a control character @; only tab and line breaks are allowed',
    (w, cp, pos) => `${w}第 ${pos} 个字符是控制字符（${cp}）；只允许制表符和换行`,
  ),
  textRule(
    'a control character @; only tab is allowed in a one-line field',
    (w, cp, pos) => `${w}第 ${pos} 个字符是控制字符（${cp}）；单行文字只允许制表符`,
  ),
  textRule(
    'a line break @; it must be one line',
    (w, cp, pos) => `${w}第 ${pos} 个字符是换行符（${cp}）；此处只能填写一行`,
  ),
  textRule(
    'a bidirectional control character @; it would change how the text is displayed',
    (w, cp, pos) => `${w}第 ${pos} 个字符是双向文字控制符（${cp}），会改变文字的显示顺序`,
  ),
  textRule(
    'an unpaired surrogate @; it is not valid Unicode text',
    (w, cp, pos) => `${w}第 ${pos} 个字符是不成对的代理码元（${cp}），不是有效的 Unicode 文字`,
  ),
];

const RULES: Rule[] = [
  // zod's own messages: plain words in both languages.
  [
    /^Invalid input: expected (int|number), received/,
    (_m, lang) => translate(lang, 'issue.wholeNumber'),
  ],
  [
    /^Too small: expected (?:number|int) to be >=?(-?\d+)/,
    (m, lang) => translate(lang, 'issue.min', { n: m[1] as string }),
  ],
  [
    /^Too big: expected (?:number|int) to be <=?(-?\d+)/,
    (m, lang) => translate(lang, 'issue.max', { n: m[1] as string }),
  ],
  [/^Invalid option/, (_m, lang) => translate(lang, 'issue.choose')],
  [/^This field is required$/, (_m, lang) => translate(lang, 'issue.required')],
  [/^Invalid input/, (_m, lang) => translate(lang, 'issue.invalid')],
  // The schema's messages: English as written, Chinese by pattern.
  [
    /^(.+) must be a decimal number written as text, e\.g\. "1234\.56"$/,
    (m, l) => (l === 'zh' ? `${subject(m[1]!)}必须是数字，例如 1234.56` : null),
  ],
  [
    /^(.+) must be a plain decimal number such as "1234\.56" \(no commas, units or exponents\)$/,
    (m, l) =>
      l === 'zh' ? `${subject(m[1]!)}必须是普通数字，例如 1234.56（不带单位或指数）` : null,
  ],
  [/^(.+) cannot be negative$/, (m, l) => (l === 'zh' ? `${subject(m[1]!)}不能为负数` : null)],
  [
    /^(.+) is in yuan and can have at most 2 decimal places \(fen\)$/,
    (m, l) => (l === 'zh' ? `${subject(m[1]!)}以元为单位，最多两位小数（分）` : null),
  ],
  [
    /^(.+) must be between (\S+) and (\S+) \(a fraction: 0\.05 means 5 %\)$/,
    (m, l) =>
      l === 'zh' ? `${subject(m[1]!)}应在 ${m[2]} 到 ${m[3]} 之间（填小数：0.05 表示 5%）` : null,
  ],
  [
    /^Ramp-up must be a list/,
    (_m, l) => (l === 'zh' ? '爬坡系数应为若干个小数，用逗号分隔' : null),
  ],
  [
    /^Ramp-up covers at most the first 10 operation years$/,
    (_m, l) => (l === 'zh' ? '爬坡系数最多覆盖运营期前 10 年' : null),
  ],
  [
    /^Ramp-up is longer than the operation period$/,
    (_m, l) => (l === 'zh' ? '爬坡系数的年数超过了运营期' : null),
  ],
  [
    /^Source id must be/,
    (_m, l) => (l === 'zh' ? '标识只能用小写字母、数字和连字符（最多 40 个字符）' : null),
  ],
  [
    /^Every funding source needs a name$/,
    (_m, l) => (l === 'zh' ? '每个资金来源都需要名称' : null),
  ],
  [
    /^Project code must be/,
    (_m, l) => (l === 'zh' ? '项目编号只能用字母、数字和连字符（最多 40 个字符）' : null),
  ],
  [/^The project needs a name$/, (_m, l) => (l === 'zh' ? '请填写项目名称' : null)],
  [/^The scenario needs a name$/, (_m, l) => (l === 'zh' ? '请填写方案名称' : null)],
  [
    /^Approval date must be a real date/,
    (_m, l) => (l === 'zh' ? '批复日期须为有效日期（YYYY-MM-DD）' : null),
  ],
  [/^Add at least one funding source$/, (_m, l) => (l === 'zh' ? '请至少添加一个资金来源' : null)],
  [
    /^The capex schedule has (\d+) years but construction lasts (\d+)$/,
    (m, l) => (l === 'zh' ? `投资计划有 ${m[1]} 年，而建设期为 ${m[2]} 年` : null),
  ],
  [
    /^Total investment must be more than 0 yuan$/,
    (_m, l) => (l === 'zh' ? '总投资必须大于 0 元' : null),
  ],
  [/^Source id "(.*)" is used twice$/, (m, l) => (l === 'zh' ? `标识“${m[1]}”重复使用` : null)],
  [
    /^Give either an amount in yuan or a share/,
    (_m, l) => (l === 'zh' ? '金额与比例只能填写其中一项' : null),
  ],
  [
    /^A (\S+) source needs debt terms/,
    (_m, l) => (l === 'zh' ? '债务类资金需要填写债务条款（利率、期限、还款方式）' : null),
  ],
  [
    /^A (\S+) source is not debt and cannot have debt terms$/,
    (_m, l) => (l === 'zh' ? '非债务类资金不能有债务条款' : null),
  ],
  [
    /^Tenor (\d+) years leaves no year to repay after (\d+) construction and (\d+) grace years$/,
    (m, l) =>
      l === 'zh' ? `期限 ${m[1]} 年扣除 ${m[2]} 年建设期和 ${m[3]} 年宽限期后，没有还款年度` : null,
  ],
  [
    /^Tenor (\d+) years runs past the end of operation \((\d+) years in all\)$/,
    (m, l) => (l === 'zh' ? `期限 ${m[1]} 年超过了项目全周期（共 ${m[2]} 年）` : null),
  ],
  [
    /^Sculpted repayment needs a target DSCR$/,
    (_m, l) => (l === 'zh' ? '塑形还款需要填写目标偿债覆盖率' : null),
  ],
  [
    /^Funding sources total (\S+) yuan but the investment is (\S+) yuan: (\S+) yuan is not funded$/,
    (m, l) =>
      l === 'zh' ? `资金来源合计 ${m[1]} 元，总投资 ${m[2]} 元：尚有 ${m[3]} 元未落实` : null,
  ],
  [
    /^Funding sources total (\S+) yuan but the investment is (\S+) yuan: (\S+) yuan too much$/,
    (m, l) => (l === 'zh' ? `资金来源合计 ${m[1]} 元，总投资 ${m[2]} 元：超出 ${m[3]} 元` : null),
  ],
  [
    /^Shortfalls cannot be funded by equity/,
    (_m, l) => (l === 'zh' ? '方案没有股权资金，缺口不能由股东承担' : null),
  ],
  [
    /^The payment period \((\d+) years\) is longer than operation \((\d+) years\)$/,
    (m, l) => (l === 'zh' ? `付费期（${m[1]} 年）超过了运营期（${m[2]} 年）` : null),
  ],
  [
    /^A year must be a whole number such as 2027$/,
    (_m, l) => (l === 'zh' ? '年份须为整数，例如 2027' : null),
  ],
  [
    /^Give either an annual amount or figures by year, not both$/,
    (_m, l) => (l === 'zh' ? '每年金额与逐年金额只能填写其中一项' : null),
  ],
  [/^Year (\d+) is listed twice$/, (m, l) => (l === 'zh' ? `${m[1]} 年重复填写` : null)],
  [
    /^format must be/,
    (_m, l) =>
      l === 'zh'
        ? '文件格式必须为 "fundmix-scenario@2"（"fundmix-scenario@1" 格式的文件会被读取并升级）'
        : null,
  ],
  [/^Unknown field\(s\): (.*)$/, (m, l) => (l === 'zh' ? `未知字段：${m[1]}` : null)],
  [/^Not valid JSON: (.*)$/, (m, l) => (l === 'zh' ? `不是有效的 JSON：${m[1]}` : null)],
  // Fiscal settings and thresholds (issue 5).
  [
    /^Name the jurisdiction/,
    (_m, l) => (l === 'zh' ? '请填写地区名称，例如 示范市 Demo City' : null),
  ],
  [
    /^The jurisdiction name is longer than (\d+) characters$/,
    (m, l) => (l === 'zh' ? `地区名称不能超过 ${m[1]} 个字符` : null),
  ],
  [
    /^(.+) must be more than 0 yuan$/,
    (m, l) => (l === 'zh' ? `${subject(m[1]!)}必须大于 0 元` : null),
  ],
  [
    /^Give the budget expenditure of at least one year$/,
    (_m, l) => (l === 'zh' ? '请至少填写一年的预算支出' : null),
  ],
  [/^A year must be (\d+) or later$/, (m, l) => (l === 'zh' ? `年份不能早于 ${m[1]}` : null)],
  [/^A year must be (\d+) or earlier$/, (m, l) => (l === 'zh' ? `年份不能晚于 ${m[1]}` : null)],
  [
    /^At most (\d+) years of other obligations$/,
    (m, l) => (l === 'zh' ? `其他支出责任最多填写 ${m[1]} 年` : null),
  ],
  [
    /^A jurisdiction may lower the affordability cap but not raise it above the national (\S+) %$/,
    (m, l) => (l === 'zh' ? `地区可以降低财政承受能力红线，但不得高于全国 ${m[1]}%` : null),
  ],
  [
    /^The new-project line cannot be above the affordability cap$/,
    (_m, l) => (l === 'zh' ? '新上项目控制线不能高于财政承受能力红线' : null),
  ],
  // Who and why (every audited write), and writes refused because a record was deleted.
  [
    /^The author name is longer than (\d+) characters$/,
    (m, l) => (l === 'zh' ? `姓名不能超过 ${m[1]} 个字符` : null),
  ],
  [
    /^The comment is longer than (\d+) characters$/,
    (m, l) => (l === 'zh' ? `说明不能超过 ${m[1]} 个字符` : null),
  ],
  [
    /^Scenario "(.*)" of project (\S+) was deleted; it cannot get new versions$/,
    (m, l) => (l === 'zh' ? `项目 ${m[2]} 的方案“${m[1]}”已删除，不能再生成新版本` : null),
  ],
  [
    /^Project (\S+) was deleted; its scenarios cannot be changed$/,
    (m, l) => (l === 'zh' ? `项目 ${m[1]} 已删除，其方案不能修改` : null),
  ],
  [
    /^A portfolios file cannot be imported here/,
    (_m, l) => (l === 'zh' ? '此处不能导入项目组合文件，请使用命令行（fundmix import）' : null),
  ],
  [/^Tick the box to confirm$/, (_m, l) => (l === 'zh' ? '请勾选确认框' : null)],
  [/^Portfolio "(.*)" was deleted$/, (m, l) => (l === 'zh' ? `项目组合“${m[1]}”已删除` : null)],
  // Reserve accounts and lock-up (issue 9; src/domain/scenario/reserves.ts).
  [/^DSRA months must be/, (_m, l) => (l === 'zh' ? '偿债储备月数须为 1 至 24 的整数' : null)],
  [
    /^A debt-service reserve needs at least one debt source$/,
    (_m, l) => (l === 'zh' ? '设偿债储备须至少有一项债务资金' : null),
  ],
  [
    /^A debt-service reserve cannot be sized on a sculpted debt/,
    (_m, l) =>
      l === 'zh' ? '雕塑式还款的债务不能设偿债储备：其下一年还本额取决于下一年的现金流' : null,
  ],
  [
    /^The DSRA cannot be funded by equity: the scenario has no equity source$/,
    (_m, l) => (l === 'zh' ? '方案没有股权资金，偿债储备不能由股东注资' : null),
  ],
  [
    /^Maintenance year (\d+) is after the last operation year \((\d+)\)$/,
    (m, l) => (l === 'zh' ? `大修年度 ${m[1]} 晚于最后一个运营年度（${m[2]}）` : null),
  ],
  [
    /^Maintenance year (\d+) is listed twice$/,
    (m, l) => (l === 'zh' ? `大修年度 ${m[1]} 重复填写` : null),
  ],
  [
    /^Maintenance year must be/,
    (_m, l) => (l === 'zh' ? '大修年度须为运营年度序号（从 1 起）' : null),
  ],
  // Indirect taxes, equity waterfall, draw timing and ownership (issue 9) in Chinese: without
  // these a Chinese page showed these blocks' messages in English.
  [
    /^Urban maintenance tax rate must be 0\.07/,
    (_m, l) =>
      l === 'zh' ? '城市维护建设税税率须为 0.07（市区）、0.05（县城、镇）或 0.01（其他）' : null,
  ],
  [
    /^List the ids of the preferred equity sources$/,
    (_m, l) => (l === 'zh' ? '请填写优先级股权资金来源的编号' : null),
  ],
  [
    /^Name at least one preferred equity source$/,
    (_m, l) => (l === 'zh' ? '请至少填写一个优先级股权资金来源' : null),
  ],
  [/^Source "(.*)" is listed twice$/, (m, l) => (l === 'zh' ? `资金来源“${m[1]}”重复填写` : null)],
  [
    /^There is no funding source "(.*)"$/,
    (m, l) => (l === 'zh' ? `没有编号为“${m[1]}”的资金来源` : null),
  ],
  [
    /^Source "(.*)" is not equity: only equity holders take part in the waterfall$/,
    (m, l) => (l === 'zh' ? `资金来源“${m[1]}”不是股权资金：只有股东参与分配顺序` : null),
  ],
  [
    /^Every equity source is preferred: leave at least one to take the remainder$/,
    (_m, l) =>
      l === 'zh' ? '所有股权资金均列为优先级：须至少留一个股权资金来源分配剩余收益' : null,
  ],
  [
    /^A (\S+) source is not debt and bears no interest: leave drawTiming out$/,
    (_m, l) => (l === 'zh' ? '非债务类资金不计利息，不能填写提款计息时点' : null),
  ],
  [/^Draw timing must be one of /, (_m, l) => (l === 'zh' ? '提款计息时点须为年初或年中' : null)],
  [
    /^A (\S+) source is not equity and has no ownership: leave ownership out$/,
    (_m, l) => (l === 'zh' ? '非股权类资金没有出资方类别，不能填写' : null),
  ],
  [/^Ownership must be one of /, (_m, l) => (l === 'zh' ? '出资方类别须从列表中选择' : null)],
  [
    /^DSRA funding must be one of /,
    (_m, l) => (l === 'zh' ? '偿债储备资金来源须为偿债后现金流或股东注资' : null),
  ],
  // Risk register (issue 11; src/domain/scenario/risks.ts).
  [
    /^Risk id must be lower-case/,
    (_m, l) => (l === 'zh' ? '风险编号只能使用小写字母、数字和连字符（最多 40 个）' : null),
  ],
  [
    /^Risk years must be construction, operation or a list of years$/,
    (_m, l) =>
      l === 'zh' ? '风险年度须为 construction（建设期）、operation（运营期）或年份列表' : null,
  ],
  [/^Every risk needs a description$/, (_m, l) => (l === 'zh' ? '每项风险都需要描述' : null)],
  [/^At most 100 risks$/, (_m, l) => (l === 'zh' ? '最多 100 项风险' : null)],
  [/^The proportion method needs a ratio$/, (_m, l) => (l === 'zh' ? '比例法需要填写比例' : null)],
  [
    /^The operating period \((\d+) years\) is longer than operation \((\d+) years\)$/,
    (m, l) => (l === 'zh' ? `计入的运营年数（${m[1]} 年）超过运营期（${m[2]} 年）` : null),
  ],
  [
    /^The scenario method needs the base, adverse and worst cases$/,
    (_m, l) => (l === 'zh' ? '情景分析法需要基本、不利和最坏三种情景' : null),
  ],
  [
    /^The probability method needs at least one risk$/,
    (_m, l) => (l === 'zh' ? '概率法至少需要一项风险' : null),
  ],
  [
    /^The (risk-bearing cost|retained risk|transferable risk) is computed from the risk register/,
    (m, l) =>
      l === 'zh'
        ? `${{ 'risk-bearing cost': '风险承担支出', 'retained risk': '自留风险', 'transferable risk': '可转移风险' }[m[1] as string] ?? ''}由风险登记表测算：方案有风险登记表时请勿填写`
        : null,
  ],
  [
    /^The case probabilities sum to (\S+), not exactly 1$/,
    (m, l) => (l === 'zh' ? `三种情景的概率合计为 ${m[1]}，须恰好为 1` : null),
  ],
  [
    /^The government and partner shares sum to (\S+), not exactly 1$/,
    (m, l) => (l === 'zh' ? `政府与社会资本承担比例合计为 ${m[1]}，须恰好为 1` : null),
  ],
  [
    /^The insured amount cannot be more than the impact$/,
    (_m, l) => (l === 'zh' ? '投保金额不能超过影响金额' : null),
  ],
  [
    /^Year (\d+) is outside the project \((\d+)–(\d+)\)$/,
    (m, l) => (l === 'zh' ? `${m[1]} 年不在项目期内（${m[2]}–${m[3]} 年）` : null),
  ],
  [/^Risk id "(.*)" is used twice$/, (m, l) => (l === 'zh' ? `风险编号“${m[1]}”重复` : null)],
  [
    /^The impact range must have minimum ≤ most likely ≤ maximum$/,
    (_m, l) => (l === 'zh' ? '影响区间须满足最小值 ≤ 最可能值 ≤ 最大值' : null),
  ],
  // Workbook import (issue 13, wt-imp; src/domain/workbook/read-inputs.ts, src/store/xlsx/read-workbook.ts).
  [
    /^The workbook has no sheet named "(.+)" \(its sheets: (.*)\): import a FundMix template or an exported workbook$/,
    (m, l) =>
      l === 'zh'
        ? `工作簿中没有名为“${m[1]}”的工作表（现有：${m[2]}）：请导入 FundMix 模板或导出的工作簿`
        : null,
  ],
  [
    /^This row should hold the field (\S+) but column D says "(.*)": the Inputs sheet is not laid out/,
    (m, l) =>
      l === 'zh'
        ? `此行应为字段 ${m[1]}，但 D 列为“${m[2]}”：Inputs 表的布局与 FundMix 写出的不同（是否插入或删除了行？）`
        : null,
  ],
  [/^The cell holds the error (.+)$/, (m, l) => (l === 'zh' ? `单元格为错误值 ${m[1]}` : null)],
  [
    /^The formula has no computed value/,
    (_m, l) => (l === 'zh' ? '公式没有计算结果：请重新计算并保存工作簿后再导入' : null),
  ],
  [
    /^"(.*)" is not one of the choices: (.+)$/,
    (m, l) => (l === 'zh' ? `“${m[1]}”不在可选值之中：${m[2]}` : null),
  ],
  [/^Write TRUE or FALSE$/, (_m, l) => (l === 'zh' ? '请填写 TRUE 或 FALSE' : null)],
  [
    /^Write text here, not TRUE or FALSE$/,
    (_m, l) => (l === 'zh' ? '此处应填写文字，而非 TRUE 或 FALSE' : null),
  ],
  [
    /^The file is not an Excel workbook \(\.xlsx\)/,
    (_m, l) =>
      l === 'zh' ? '文件不是 Excel 工作簿（.xlsx）：请另存为“Excel 工作簿 (*.xlsx)”后再导入' : null,
  ],
  [
    /^The file is larger than (\S+) MB/,
    (m, l) =>
      l === 'zh' ? `文件大于 ${m[1]} MB：FundMix 工作簿远小于此，请删除其他工作表或图片` : null,
  ],
  [
    /^Choose two to (\d+) scenarios to compare \(s=ID, repeated\)$/,
    (m, l) => (l === 'zh' ? `请选择 2 至 ${m[1]} 个方案进行比较（s=编号，可重复）` : null),
  ],
  [
    /^The workbook holds (\d+) files inside its zip, more than the (\d+) a workbook may hold/,
    (m, l) =>
      l === 'zh'
        ? `工作簿的压缩包内有 ${m[1]} 个文件，超过工作簿允许的 ${m[2]} 个：它不是 FundMix 工作簿`
        : null,
  ],
  [
    /^The workbook unpacks to more than (\S+) MB/,
    (m, l) =>
      l === 'zh'
        ? `工作簿解压后大于 ${m[1]} MB：FundMix 工作簿解压后仅几 MB，请删除其他工作表或图片（或该文件是压缩炸弹）`
        : null,
  ],
  [
    // A problem inside a JSON section of the sheet: "fiscal.vfm.x: message".
    /^((?:fiscal|risks)[\w.[\]]*): (.+)$/,
    (m, l) => `${m[1]}: ${localizeIssue(m[2]!, l)}`,
  ],
  // Evaluation index system (issue 12; src/domain/evaluation/validate.ts, src/app/evaluation.ts).
  [
    /^(?:(First level)|Group (\S+) \((.*)\)): weights sum to (\S+) %, must be 100 %$/,
    (m, l) =>
      l === 'zh'
        ? `${m[1] ? '第一层' : `分组 ${m[2]}（${m[3]}）`}：权重合计 ${m[4]} %，须为 100 %`
        : null,
  ],
  [
    /^weights sum to (\S+) %, must be 100 %$/,
    (m, l) => (l === 'zh' ? `权重合计 ${m[1]} %，须为 100 %` : null),
  ],
  [
    /^The weight is a percentage above 0 and at most 100/,
    (_m, l) => (l === 'zh' ? '权重为大于 0、不超过 100 的百分数，最多 4 位小数' : null),
  ],
  [
    /^the 0-point and 100-point bounds must differ$/,
    (_m, l) => (l === 'zh' ? '得 0 分与得 100 分的值不能相同' : null),
  ],
  [/^the maximum must exceed the minimum$/, (_m, l) => (l === 'zh' ? '上限须大于下限' : null)],
  [
    /^an open band must be the last one$/,
    (_m, l) => (l === 'zh' ? '上下限都不设的档位只能放在最后' : null),
  ],
  [/^Points are between 0 and 100$/, (_m, l) => (l === 'zh' ? '分值须在 0 到 100 之间' : null)],
  [
    /^The code is 1–40 letters/,
    (_m, l) => (l === 'zh' ? '编号为 1–40 个字母、数字、“.”、“_”或“-”，以字母或数字开头' : null),
  ],
  [
    /^code (\S+) is already used at (\S+)$/,
    (m, l) => (l === 'zh' ? `编号 ${m[1]} 已在 ${m[2]} 使用` : null),
  ],
  [
    /^a group has no method of its own$/,
    (_m, l) => (l === 'zh' ? '分组没有自己的评分方法：请选“分组”或删除其下级节点' : null),
  ],
  [/^an indicator needs a scoring method$/, (_m, l) => (l === 'zh' ? '指标需要评分方法' : null)],
  [
    /^A group needs at least one indicator/,
    (_m, l) => (l === 'zh' ? '分组至少需要一个下级指标：请添加下级节点或选择评分方法' : null),
  ],
  [/^Give the Chinese name$/, (_m, l) => (l === 'zh' ? '请填写中文名称' : null)],
  [/^Give the English name$/, (_m, l) => (l === 'zh' ? '请填写英文名称' : null)],
  [/^The metric is one of /, (_m, l) => (l === 'zh' ? '请选择测算指标' : null)],
  [
    /^only a linear or bands indicator can be fed from actuals$/,
    (_m, l) => (l === 'zh' ? '只有线性或分档计分的指标可以取监测实际数' : null),
  ],
  [/^at most (\d+) levels$/, (m, l) => (l === 'zh' ? `最多 ${m[1]} 层` : null)],
  ...TEXT_RULE_RULES,
  // The filing workflow's refusals (src/app/filings.ts): conflicts and checks the page cannot
  // attach to one field show their text, so they need Chinese too.
  [
    /^No finance bureau is registered for (.+)$/,
    (m, l) => (l === 'zh' ? `${m[1]} 没有已登记的财政局` : null),
  ],
  [
    /^Scenario "(.*)" of (\S+) has an open filing already \(filing (\d+), (\S+)\)$/,
    (m, l) =>
      l === 'zh'
        ? `项目 ${m[2]} 的方案“${m[1]}”已有未结报送（报送 ${m[3]}，${filingWord(l, 'filing.state.', m[4]!)}）`
        : null,
  ],
  [
    /^Scenario "(.*)" of (\S+) is deleted: it cannot be filed$/,
    (m, l) => (l === 'zh' ? `项目 ${m[2]} 的方案“${m[1]}”已删除，不能报送` : null),
  ],
  [
    /^Version (\d+) is no longer the current version of "(.*)" \(v(\d+) was saved since\)$/,
    (m, l) =>
      l === 'zh' ? `版本 ${m[1]} 已不是方案“${m[2]}”的当前版本（此后已保存 v${m[3]}）` : null,
  ],
  [
    /^Filing (\d+) changed meanwhile \(it is (\S+) with (\d+) events; you saw (\d+)\)$/,
    (m, l) =>
      l === 'zh'
        ? `报送 ${m[1]} 已被他人更新（现为${filingWord(l, 'filing.state.', m[2]!)}，共 ${m[3]} 条记录；您看到的是 ${m[4]} 条），请刷新后再操作`
        : null,
  ],
  [
    /^Filing (\d+) is (\S+): it cannot take "(.*)" now$/,
    (m, l) =>
      l === 'zh'
        ? `报送 ${m[1]} 当前为${filingWord(l, 'filing.state.', m[2]!)}，不能执行“${filingWord(l, 'filing.do.', m[3]!)}”`
        : null,
  ],
  [
    /^Version (\d+) is not a version of the filed scenario$/,
    (m, l) => (l === 'zh' ? `版本 ${m[1]} 不是所报送方案的版本` : null),
  ],
  [
    /^The filed version does not fail rule (\S+)(?: \(it fails (.*)\))?$/,
    (m, l) =>
      l === 'zh'
        ? `所报送版本并未违反规则 ${m[1]}${m[2] ? `（其违反的规则：${m[2]}）` : ''}`
        : null,
  ],
  // Parameter limits of query strings and forms (issue 8, what-if at scale).
  [
    /^The (address|form) carries more than (\d+) parameters$/,
    (m, l) => (l === 'zh' ? `${m[1] === 'address' ? '网址' : '表单'}的参数超过 ${m[2]} 个` : null),
  ],
];

/** A validation message in the page's language (see the module comment). */
export function localizeIssue(message: string, lang: Lang): string {
  for (const [re, render] of RULES) {
    const m = re.exec(message);
    if (m) return render(m, lang) ?? message;
  }
  return message;
}

/** A filing state or transition in the page's language; the code itself when no text is kept. */
function filingWord(lang: Lang, prefix: string, code: string): string {
  const key = prefix + code;
  return isMessageKey(key) ? translate(lang, key) : code;
}
