/*
 * Generates test/golden/finance-corpus.json: random NPV, XNPV, IRR, XIRR, PMT, IPMT and PPMT cases
 * with LibreOffice Calc as the oracle. Not run in CI (it needs LibreOffice); the JSON it writes is
 * committed and test/domain/finance/golden.test.ts only reads it.
 *
 *   apt-get install -y libreoffice-calc-nogui
 *   test/golden/generate-finance-corpus.sh [--seed N]     (compiles this file with tsc, runs it)
 *
 * How: every case becomes a row of a flat ODF spreadsheet (.fods) whose formula cell carries no cached
 * value; dates are real date cells, so LibreOffice (not this script) turns them into day numbers.
 * `soffice --headless --convert-to fods` loads, recalculates and saves it; the script reads each formula
 * cell's office:value (LibreOffice writes 15 significant digits) or its error text (Err:523, #NUM!, …).
 * A fresh LibreOffice profile forces "always recalculate on load", and canary cells with stale cached
 * values prove the recalculation happened. Inputs are generated as decimal strings from integers
 * (cents, micro-units), never through binary fractions. Node built-ins only; the same seed gives the
 * same cases.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Args = Record<string, string | string[]>;
interface Case {
  id: string;
  fn: string;
  args: Args;
  note?: string;
  formula?: string;
  libreoffice?: { value?: string; error?: string };
}

const argv = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? (argv[i + 1] as string) : fallback;
};
const SEED = Number(option('--seed', '20260521'));
const OUT = path.resolve(option('--out', 'test/golden/finance-corpus.json'));

// ---------------------------------------------------------------- random decimal strings

function mulberry32(a: number): () => number {
  return function () {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length - 1)] as T;

/** An integer count of 10^-scale units as a decimal string, e.g. (-12345, 2) → "-123.45". */
function scaled(units: number, scale: number): string {
  const neg = units < 0;
  let s = String(Math.abs(units));
  if (scale > 0) {
    s = s.padStart(scale + 1, '0');
    s = `${s.slice(0, -scale)}.${s.slice(-scale)}`;
    s = s.replace(/0+$/, '').replace(/\.$/, '');
  }
  return neg && s !== '0' ? `-${s}` : s;
}
const cents = (lo: number, hi: number): string =>
  scaled(int(Math.round(lo * 100), Math.round(hi * 100)), 2);
const micro = (lo: number, hi: number): string =>
  scaled(int(Math.round(lo * 1e6), Math.round(hi * 1e6)), 6);
/** A share (0…1 of `base` cents) as cents, so flows stay proportional to the outlay without floats in the output. */
const centsOf = (baseCents: number, fracLo: number, fracHi: number): string =>
  scaled(Math.round(baseCents * (fracLo + rand() * (fracHi - fracLo))), 2);

/** Plain decimal notation for LibreOffice's value text ("1.5E-05" → "0.000015"), by moving the point in the string. */
function plain(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:E([+-]?\d+))?$/i.exec(text);
  if (!m) throw new Error(`unexpected number text ${text}`);
  const [, sign = '', ip = '', fp = '', ex = '0'] = m;
  let digits = ip + fp;
  let point = ip.length + Number(ex);
  if (point <= 0) {
    digits = '0'.repeat(1 - point) + digits;
    point = 1;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  let out = `${digits.slice(0, point).replace(/^0+(?=\d)/, '')}.${digits.slice(point)}`.replace(
    /\.?0*$/,
    '',
  );
  if (out === '' || out === '-') out = '0';
  return sign && out !== '0' ? `-${out}` : out;
}

// ---------------------------------------------------------------- dates

const DAY = 86400000;
function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
/** n dates: a first date in 2000–2030, then increasing gaps of 1–400 days; optionally shuffled after the first. */
function randomDates(n: number, shuffle: boolean): string[] {
  let t = Date.UTC(int(2000, 2030), int(0, 11), int(1, 28));
  const ds = [isoDay(t)];
  for (let i = 1; i < n; i++) {
    t += int(1, 400) * DAY;
    ds.push(isoDay(t));
  }
  if (shuffle) {
    const rest = ds.slice(1);
    for (let i = rest.length - 1; i > 0; i--) {
      const j = int(0, i);
      [rest[i], rest[j]] = [rest[j] as string, rest[i] as string];
    }
    return [ds[0] as string, ...rest];
  }
  return ds;
}
/** Monthly dates from a random start (end-of-month-safe day). */
function monthlyDates(n: number): string[] {
  const y = int(2000, 2030);
  const m = int(0, 11);
  const d = int(1, 28);
  return Array.from({ length: n }, (_, i) => isoDay(Date.UTC(y, m + i, d)));
}

// ---------------------------------------------------------------- flow shapes

/** Build years of outlays, then inflows: one sign change. */
function conventionalFlows(n: number, inflowLo: number, inflowHi: number): string[] {
  const capexCents = int(100_000, 100_000_000);
  const build = Math.min(n - 1, pick([1, 1, 1, 2, 3]));
  const flows: string[] = [];
  for (let i = 0; i < build; i++) flows.push(scaled(-Math.round(capexCents / build), 2));
  for (let i = build; i < n; i++)
    flows.push(rand() < 0.05 ? '0' : centsOf(capexCents, inflowLo, inflowHi));
  return flows;
}
/** Outlay, inflows, a mid-life overhaul and a decommissioning cost: several sign changes. */
function nonConventionalFlows(n: number): string[] {
  const capexCents = int(100_000, 50_000_000);
  const flows = [scaled(-capexCents, 2)];
  for (let i = 1; i < n; i++) flows.push(centsOf(capexCents, 0.05, 0.5));
  const overhaul = int(2, n - 2);
  flows[overhaul] = centsOf(-capexCents, 0.2, 1.2);
  flows[n - 1] = centsOf(-capexCents, 0.1, 2.5);
  if (rand() < 0.4) flows[int(1, n - 1)] = centsOf(-capexCents, 0.05, 0.8);
  return flows;
}
/** Coefficients (times K, in cents) of Π (y − y_j) for chosen roots y_j = 1 + r_j: flows with known multiple IRRs. */
function multiRootFlows(): string[] {
  const k = pick([2, 3, 3, 4]);
  const roots = Array.from(
    { length: k },
    () =>
      1 + pick([-0.5, -0.2, -0.05, 0, 0.03, 0.08, 0.1, 0.15, 0.25, 0.5, 1, 2]) + int(0, 99) / 1e4,
  );
  let poly = [1];
  for (const y of roots) {
    const next = new Array<number>(poly.length + 1).fill(0);
    poly.forEach((c, i) => {
      next[i] = (next[i] as number) + c;
      next[i + 1] = (next[i + 1] as number) - c * y;
    });
    poly = next;
  }
  const scale = int(1000, 100000);
  // Σ a_k y^(n−1−k) = 0 ⇔ Σ a_k (1+r)^(−k) = 0: the polynomial's coefficients are the flows in time order.
  return poly.map((c) => scaled(Math.round(c * scale * 100), 2));
}
/** Small returns on a large outlay: the IRR lies between −100 % and −50 %, where Newton from 0.1 struggles. */
function nearMinusOneFlows(n: number): string[] {
  const capexCents = int(1_000_000, 100_000_000);
  const flows = [scaled(-capexCents, 2)];
  for (let i = 1; i < n; i++) flows.push(centsOf(capexCents, 0.00001, 0.05));
  return flows;
}

// ---------------------------------------------------------------- the cases

const cases: Case[] = [];
const add = (fn: string, argsObj: Args, note?: string): number =>
  cases.push({ id: `${fn}-${String(cases.length + 1).padStart(3, '0')}`, fn, args: argsObj, note });

for (let i = 0; i < 110; i++)
  add('irr', { values: conventionalFlows(int(3, 40), 0.02, 0.45) }, 'conventional');
for (let i = 0; i < 40; i++)
  add('irr', { values: conventionalFlows(int(50, 100), 0.01, 0.12) }, 'long schedule');
for (let i = 0; i < 45; i++)
  add('irr', { values: nonConventionalFlows(int(4, 30)) }, 'non-conventional');
for (let i = 0; i < 25; i++) add('irr', { values: multiRootFlows() }, 'chosen multiple roots');
for (let i = 0; i < 30; i++)
  add('irr', { values: nearMinusOneFlows(int(3, 12)) }, 'rate near -100%');
for (let i = 0; i < 10; i++) {
  const n = int(2, 10);
  const sign = rand() < 0.5 ? '' : '-';
  add(
    'irr',
    { values: Array.from({ length: n }, () => sign + cents(0.01, 100000)) },
    'all one sign',
  );
}
for (let i = 0; i < 20; i++) {
  const kind = i % 2 === 0 ? nearMinusOneFlows(int(3, 10)) : nonConventionalFlows(int(4, 15));
  add('irr', { values: kind, guess: pick(['-0.9', '-0.5', '0', '0.3', '1']) }, 'with guess');
}
for (let i = 0; i < 45; i++) {
  const n = int(2, 40);
  const monthly = i % 3 === 0;
  add(
    'xirr',
    {
      values: conventionalFlows(n, 0.01, 0.4),
      dates: monthly ? monthlyDates(n) : randomDates(n, false),
    },
    monthly ? 'conventional, monthly' : 'conventional',
  );
}
for (let i = 0; i < 10; i++) {
  const n = int(4, 25);
  add(
    'xirr',
    { values: nonConventionalFlows(n), dates: randomDates(n, false) },
    'non-conventional',
  );
}
for (let i = 0; i < 10; i++) {
  const n = int(3, 10);
  add('xirr', { values: nearMinusOneFlows(n), dates: randomDates(n, false) }, 'rate near -100%');
}
for (let i = 0; i < 5; i++) {
  const n = int(3, 12);
  add(
    'xirr',
    { values: conventionalFlows(n, 0.05, 0.4), dates: randomDates(n, true) },
    'dates out of order after the first',
  );
}
/*
 * Calc works in doubles and reports 15 significant digits, so its error grows with the size of the
 * terms it adds or cancels. Amounts are scaled so the discounted terms stay below 5e7 in total and loan
 * growth (1+r)^n below 1e3: the oracle is then good to ~1e-7, inside the test's 1e-6.
 * (Number() here only chooses a range; every input written is a decimal string.)
 */
const TERMS_MAX = 5e7;
for (let i = 0; i < 50; i++) {
  const n = int(1, 60);
  const rate = micro(-0.5, 1);
  const amountMax = Math.min(100000, TERMS_MAX / (n * Math.max(1, Math.pow(1 + Number(rate), -n))));
  add('npv', { rate, values: Array.from({ length: n }, () => cents(-amountMax, amountMax)) });
}
for (let i = 0; i < 50; i++) {
  const n = int(1, 40);
  const rate = micro(-0.5, 0.6);
  const dates = randomDates(n, i % 10 === 9);
  const years =
    (Date.parse(dates.reduce((a, b) => (a > b ? a : b))) - Date.parse(dates[0] as string)) /
    DAY /
    365;
  const amountMax = Math.min(
    100000,
    TERMS_MAX / (n * Math.max(1, Math.pow(1 + Number(rate), -years))),
  );
  add('xnpv', {
    rate,
    values: Array.from({ length: n }, () => cents(-amountMax, amountMax)),
    dates,
  });
}
function loanArgs(): Record<'rate' | 'nper' | 'pv' | 'fv' | 'type', string> {
  const nperN = pick([int(1, 12), int(1, 60), int(60, 360)]);
  const nper = String(nperN);
  const growthCap = Math.exp(Math.log(1000) / nperN) - 1;
  const rate = pick([
    '0',
    micro(0.0001, Math.min(0.02, growthCap)),
    micro(0.0001, Math.min(0.02, growthCap)),
    micro(Math.min(0.01, growthCap / 2), Math.min(0.2, growthCap)),
    micro(-0.05, -0.0001),
  ]);
  const pv = cents(-1000000, 1000000);
  const fv = rand() < 0.3 ? cents(-200000, 200000) : '0';
  const type = String(int(0, 1));
  return { rate, nper, pv, fv, type };
}
for (let i = 0; i < 50; i++) add('pmt', loanArgs());
for (let i = 0; i < 50; i++) {
  const a = loanArgs();
  add('ipmt', {
    rate: a.rate,
    per: String(int(1, Number(a.nper))),
    nper: a.nper,
    pv: a.pv,
    fv: a.fv,
    type: a.type,
  });
}
for (let i = 0; i < 50; i++) {
  const a = loanArgs();
  add('ppmt', {
    rate: a.rate,
    per: String(int(1, Number(a.nper))),
    nper: a.nper,
    pv: a.pv,
    fv: a.fv,
    type: a.type,
  });
}

// ---------------------------------------------------------------- the spreadsheet

const colName = (i: number): string => {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};
const esc = (s: string): string =>
  String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
const num = (v: string): string =>
  `<table:table-cell office:value-type="float" office:value="${v}"/>`;
const date = (d: string): string =>
  `<table:table-cell office:value-type="date" office:date-value="${d}"/>`;
const text = (t: string): string =>
  `<table:table-cell office:value-type="string"><text:p>${esc(t)}</text:p></table:table-cell>`;
const formula = (f: string): string => `<table:table-cell table:formula="${esc(`of:=${f}`)}"/>`;
/** A formula cell with a stale cached value: after a real recalculation it must hold the formula's result. */
const stale = (f: string): string =>
  `<table:table-cell table:formula="${esc(`of:=${f}`)}" office:value-type="float" office:value="-999999"/>`;

const rows: string[][] = [];
const range = (row: number, from: number, n: number): string =>
  `[.${colName(from)}${row}:.${colName(from + n - 1)}${row}]`;
rows.push([text('canary-1'), stale('2+2')]);
rows.push([text('canary-2'), stale('IRR({-75000;12000;15000;18000;21000;24000})')]);
for (const c of cases) {
  const r = rows.length + 1;
  const a = c.args;
  const values = (a.values ?? []) as string[];
  let f: string;
  const extra: string[][] = [];
  switch (c.fn) {
    case 'irr':
      f = `IRR(${range(r, 2, values.length)}${a.guess !== undefined ? `;${a.guess}` : ''})`;
      break;
    case 'npv':
      f = `NPV(${a.rate};${range(r, 2, values.length)})`;
      break;
    case 'xirr':
    case 'xnpv':
      f =
        c.fn === 'xirr'
          ? `XIRR(${range(r, 2, values.length)};${range(r + 1, 2, values.length)})`
          : `XNPV(${a.rate};${range(r, 2, values.length)};${range(r + 1, 2, values.length)})`;
      extra.push([text(`${c.id}-dates`), text(''), ...(a.dates as string[]).map(date)]);
      break;
    case 'pmt':
      f = `PMT(${a.rate};${a.nper};${a.pv};${a.fv};${a.type})`;
      break;
    case 'ipmt':
    case 'ppmt':
      f = `${c.fn.toUpperCase()}(${a.rate};${a.per};${a.nper};${a.pv};${a.fv};${a.type})`;
      break;
    default:
      throw new Error(c.fn);
  }
  c.formula = `=${f.replace(/:\./g, ':').replace(/\[\.|\]/g, '')}`;
  rows.push([text(c.id), formula(f), ...values.map(num)]);
  rows.push(...extra);
}

const fods = `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:body><office:spreadsheet><table:table table:name="corpus">
${rows.map((cells) => `<table:table-row>${cells.join('')}</table:table-row>`).join('\n')}
</table:table></office:spreadsheet></office:body></office:document>
`;

// ---------------------------------------------------------------- run LibreOffice

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fundmix-corpus-'));
const profile = path.join(work, 'profile');
fs.mkdirSync(path.join(profile, 'user'), { recursive: true });
fs.writeFileSync(
  path.join(profile, 'user', 'registrymodifications.xcu'),
  `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`,
);
const input = path.join(work, 'corpus-input.fods');
fs.writeFileSync(input, fods);
const outDir = path.join(work, 'out');
execFileSync(
  'soffice',
  [
    `-env:UserInstallation=file://${profile}`,
    '--headless',
    '--convert-to',
    'fods',
    '--outdir',
    outDir,
    input,
  ],
  { stdio: 'inherit' },
);
const version = execFileSync('soffice', ['--version']).toString().trim();
const saved = fs.readFileSync(path.join(outDir, 'corpus-input.fods'), 'utf8');

// Rows of the saved file: first cell = id, second = the formula's result.
const results = new Map<string, { value?: string; error?: string }>();
for (const row of saved.split('<table:table-row').slice(1)) {
  const cellsXml = row.split(/<table:table-cell\b/).slice(1);
  const idMatch = cellsXml[0] && /<text:p>([^<]*)<\/text:p>/.exec(cellsXml[0]);
  if (!idMatch || !cellsXml[1]) continue;
  const cell = cellsXml[1];
  if (!/table:formula=/.test(cell)) continue;
  if (/calcext:value-type="error"/.test(cell)) {
    results.set(idMatch[1] as string, {
      error: (/<text:p>([^<]*)<\/text:p>/.exec(cell) ?? [])[1] ?? 'error',
    });
  } else {
    const v = /office:value="([^"]+)"/.exec(cell);
    results.set(idMatch[1] as string, v ? { value: plain(v[1] as string) } : { error: 'no value' });
  }
}

const c1 = results.get('canary-1');
const c2 = results.get('canary-2');
if (!c1 || c1.value !== '4' || !c2 || !c2.value || !c2.value.startsWith('0.0571514288717')) {
  throw new Error(`LibreOffice did not recalculate: canaries ${JSON.stringify([c1, c2])}`);
}
for (const c of cases) {
  const r = results.get(c.id);
  if (!r) throw new Error(`no result for ${c.id}`);
  c.libreoffice = r;
}
const errors = cases.filter((c) => c.libreoffice?.error).length;
const corpus = {
  description:
    'Random Excel-function cases with LibreOffice Calc results (15 significant digits), generated by test/golden/generate-finance-corpus.ts. Every number is a decimal string; libreoffice.error holds the spreadsheet error text when Calc gave none.',
  generator: 'test/golden/generate-finance-corpus.ts',
  seed: SEED,
  oracle: version,
  cases: cases.map((c) => ({
    id: c.id,
    fn: c.fn,
    note: c.note,
    args: c.args,
    formula: c.formula,
    libreoffice: c.libreoffice,
  })),
};
fs.writeFileSync(OUT, `${JSON.stringify(corpus, null, 1)}\n`);
fs.rmSync(work, { recursive: true, force: true });
console.log(`${cases.length} cases (${errors} LibreOffice errors) written to ${OUT} by ${version}`);
