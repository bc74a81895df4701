/**
 * Formula builders of the VAT lines of the Ledger sheet (src/domain/workbook/ledger-formulas.ts),
 * following `vatYear` (src/domain/engine/indirect-tax.ts) and src/domain/README.md, "Indirect
 * taxes": output VAT per stream and government payment, each to the fen; creditable input VAT
 * amount × r ÷ (1 + r) to the fen (capex in construction, operating cost in operation); VAT paid
 * max(0, output − input − credit brought forward), the rest carried forward; each surcharge the
 * VAT paid × its rate, to the fen. The engine rounds half away from zero in fen, as ROUND does.
 */
import { URBAN_MAINTENANCE_RATES } from '../scenario/indirect-tax';
import { inputItem, inputName, yearColumn, type LedgerContext, roundFen } from './ledger-context';

type YearFormula = (t: number) => string | null;

const round2 = roundFen;
const at = (ctx: LedgerContext, key: string, t: number) => `${yearColumn(t)}${ctx.row(key)}`;
const rate = (field: string) => inputName(`indirectTax.${field}`);

/**
 * The urban maintenance tax rate: an enumeration cell holding its code as text ("0.07"), read
 * without VALUE (whose decimal separator depends on the spreadsheet's locale); a number typed
 * into the cell is taken as it is.
 */
function urbanMaintenanceRate(): string {
  const c = rate('urbanMaintenanceRate');
  const text = URBAN_MAINTENANCE_RATES.reduceRight(
    (rest, code) => `IF(${c}="${code}",${code},${rest})`,
    '0',
  );
  return `IF(ISNUMBER(${c}),${c},${text})`;
}

/** The output VAT on a government payment line in year t (`availability-payment`, `operating-subsidy`). */
export function paymentVat(ctx: LedgerContext, key: string, t: number): string {
  const field = key === 'availability-payment' ? 'availabilityPaymentRate' : 'operatingSubsidyRate';
  return round2(`${at(ctx, key, t)}*${rate(field)}`);
}

/** The creditable part r ÷ (1 + r) of a VAT-inclusive amount (a cell). */
const inclusive = (amount: string, r: string) => round2(`${amount}*${r}/(1+${r})`);

/** Builders of the VAT lines; undefined for a line that is not one. */
export function vatLine(ctx: LedgerContext, key: string): YearFormula | undefined {
  const op =
    (f: (t: number) => string): YearFormula =>
    (t) =>
      t < ctx.C ? null : f(t);
  const payable = (t: number) => at(ctx, 'vat-payable', t);
  const credit = (t: number) => (t === 0 ? '0' : at(ctx, 'vat-credit', t - 1));
  const net = (t: number) => `${at(ctx, 'output-vat', t)}-${at(ctx, 'input-vat', t)}-${credit(t)}`;
  switch (key) {
    case 'output-vat':
      return op((t) =>
        [
          ...ctx.result.streams.map((_, i) =>
            round2(`${at(ctx, `revenue:${i + 1}`, t)}*${inputItem('revenues', 'vatRate', i)}`),
          ),
          paymentVat(ctx, 'availability-payment', t),
          paymentVat(ctx, 'operating-subsidy', t),
        ].join('+'),
      );
    case 'input-vat':
      return (t) =>
        t < ctx.C
          ? inclusive(at(ctx, 'capex', t), rate('capexInputRate'))
          : inclusive(at(ctx, 'opex', t), rate('opexInputRate'));
    case 'vat-credit':
      return (t) => `MAX(0,-(${net(t)}))`;
    case 'vat-payable':
      return (t) => `MAX(0,${net(t)})`;
    case 'urban-maintenance-tax':
      return op((t) => round2(`${payable(t)}*${urbanMaintenanceRate()}`));
    case 'education-surcharge':
      return op((t) => round2(`${payable(t)}*${rate('educationRate')}`));
    case 'local-education-surcharge':
      return op((t) => round2(`${payable(t)}*${rate('localEducationRate')}`));
    default:
      return undefined;
  }
}

/** The year's surcharges (a sum of ledger cells), or '' without VAT. */
export function surchargesOf(ctx: LedgerContext, t: number): string {
  if (!ctx.has('vat-payable')) return '';
  return ['urban-maintenance-tax', 'education-surcharge', 'local-education-surcharge']
    .map((k) => at(ctx, k, t))
    .join('+');
}
