import { Dec } from '../decimal';
import { decOf, mulRound, ratioFrom, ratioOf, type Fen, type Ratio } from '../fen';
import type { Scenario } from '../scenario/schema';
import type { IndirectTaxYear } from './types';

/**
 * VAT and surcharges (增值税及附加), src/domain/README.md, "Indirect taxes". The scenario's
 * `indirectTax` section read into exact ratios once per scenario; null when the section is absent,
 * and then the engine computes no VAT at all.
 */
export interface CompiledIndirectTax {
  /** Output VAT rate per revenue stream (0 where the stream has no `vatRate`). */
  streamRatios: Ratio[];
  availabilityPaymentRatio: Ratio;
  operatingSubsidyRatio: Ratio;
  /** rate ÷ (1 + rate): the creditable part of a VAT-inclusive capex amount. */
  capexInputRatio: Ratio;
  /** rate ÷ (1 + rate): the creditable part of a VAT-inclusive operating cost. */
  opexInputRatio: Ratio;
  urbanMaintenanceRatio: Ratio;
  educationRatio: Ratio;
  localEducationRatio: Ratio;
}

/** The creditable share rate ÷ (1 + rate) of a VAT-inclusive amount, exactly: num ÷ (den + num). */
function inclusiveShare(rate: string): Ratio {
  const r = ratioOf(new Dec(rate));
  const den = r.den + r.num;
  return ratioFrom(r.num, den);
}

/** Reads the `indirectTax` section; null when the scenario has none. Pure; once per scenario. */
export function compileIndirectTax(scenario: Scenario): CompiledIndirectTax | null {
  const it = scenario.indirectTax;
  if (!it) return null;
  const ratio = (s: string) => ratioOf(new Dec(s));
  return {
    streamRatios: scenario.revenues.map((r) => ratio(r.vatRate ?? '0')),
    availabilityPaymentRatio: ratio(it.availabilityPaymentRate),
    operatingSubsidyRatio: ratio(it.operatingSubsidyRate),
    capexInputRatio: inclusiveShare(it.capexInputRate),
    opexInputRatio: inclusiveShare(it.opexInputRate),
    urbanMaintenanceRatio: ratio(it.urbanMaintenanceRate),
    educationRatio: ratio(it.educationRate),
    localEducationRatio: ratio(it.localEducationRate),
  };
}

/** One year's VAT lines, integer fen. */
export interface CoreVatYear {
  /** Output VAT: Σ streams' revenue × rate (each rounded) + government payments × their rates. */
  output: Fen;
  /** Creditable input VAT of the year: on capex in construction, on operating cost in operation. */
  input: Fen;
  /** Of which on operating cost (deductible opex = opex − this). */
  opexInput: Fen;
  /** Of the output, the VAT on the availability payment: the government pays it with the payment. */
  availabilityPaymentVat: Fen;
  /** Of the output, the VAT on the operating subsidy: paid by the government likewise. */
  operatingSubsidyVat: Fen;
  /** Excess input VAT (留抵) carried forward at the end of the year. */
  credit: Fen;
  /** VAT paid: max(0, output − input − credit brought forward). */
  payable: Fen;
  urbanMaintenance: Fen;
  education: Fen;
  localEducation: Fen;
  /** Σ of the three surcharges (税金及附加, deductible for income tax). */
  surcharges: Fen;
}

/**
 * The year's VAT, given the credit brought forward: creditable input = capex × r/(1+r) or
 * opex × r/(1+r), output per stream and government payment (each rounded half-up to fen), then
 * payable = max(0, output − input − credit in), the rest carried forward; each surcharge is
 * VAT paid × its rate, rounded half-up to fen. Negative output (a public-data refund) adds to
 * the credit.
 */
export function vatYear(
  vt: CompiledIndirectTax,
  creditIn: Fen,
  amounts: {
    capex: Fen;
    opex: Fen;
    revenues: readonly Fen[];
    availabilityPayment: Fen;
    operatingSubsidy: Fen;
  },
): CoreVatYear {
  const availabilityPaymentVat = mulRound(amounts.availabilityPayment, vt.availabilityPaymentRatio);
  const operatingSubsidyVat = mulRound(amounts.operatingSubsidy, vt.operatingSubsidyRatio);
  let output = availabilityPaymentVat + operatingSubsidyVat;
  amounts.revenues.forEach((r, i) => (output += mulRound(r, vt.streamRatios[i] as Ratio)));
  const opexInput = mulRound(amounts.opex, vt.opexInputRatio);
  const input = mulRound(amounts.capex, vt.capexInputRatio) + opexInput;
  const net = output - input - creditIn;
  const payable = Math.max(0, net);
  const urbanMaintenance = mulRound(payable, vt.urbanMaintenanceRatio);
  const education = mulRound(payable, vt.educationRatio);
  const localEducation = mulRound(payable, vt.localEducationRatio);
  return {
    output,
    input,
    opexInput,
    availabilityPaymentVat,
    operatingSubsidyVat,
    credit: payable - net,
    payable,
    urbanMaintenance,
    education,
    localEducation,
    surcharges: urbanMaintenance + education + localEducation,
  };
}

/** The public, Decimal form of a year's VAT lines. */
export function toIndirectTaxYear(v: CoreVatYear): IndirectTaxYear {
  return {
    outputVat: decOf(v.output),
    inputVat: decOf(v.input),
    creditCarriedForward: decOf(v.credit),
    vatPayable: decOf(v.payable),
    urbanMaintenanceTax: decOf(v.urbanMaintenance),
    educationSurcharge: decOf(v.education),
    localEducationSurcharge: decOf(v.localEducation),
    surcharges: decOf(v.surcharges),
  };
}
