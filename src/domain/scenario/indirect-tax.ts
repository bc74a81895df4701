import { z } from 'zod';
import { rateText } from '../decimal-text';

/**
 * The optional `indirectTax` section of a scenario: China's value-added tax and its surcharges
 * (增值税及附加; src/domain/README.md, "Indirect taxes"). Absent, the engine computes no VAT at
 * all, exactly as before the section existed. Present, it switches VAT on:
 *
 * - revenue streams stay VAT-exclusive (as every scenario states them today); each stream's
 *   `vatRate` (see {@link streamVatRate}) adds output VAT on top;
 * - the availability payment and the operating subsidy bear output VAT at their own rates
 *   (default 0: see the domain reference for when they are taxable);
 * - capex and operating cost are VAT-inclusive, as a budget states them; the creditable input VAT
 *   is amount × rate ÷ (1 + rate);
 * - surcharges are levied on the VAT paid: urban maintenance 7 / 5 / 1 %, education 3 %, local
 *   education 2 %.
 *
 * Kept in its own module, free of imports from the scenario schema (no import cycle).
 */

/** 城市维护建设税 rates by where the taxpayer is (城市维护建设税法, 2021): city, county town, elsewhere. */
export const URBAN_MAINTENANCE_RATES = ['0.07', '0.05', '0.01'] as const;

const vatRate = (what: string) => rateText(what, '0', '0.2');
const surchargeRate = (what: string) => rateText(what, '0', '0.1');

export const indirectTaxSchema = z
  .object({
    /** Input VAT rate of the capex (VAT-inclusive amounts); default 0: no credit claimed. */
    capexInputRate: vatRate('Input VAT rate on capex').default('0'),
    /** Input VAT rate of the operating cost (VAT-inclusive amounts); default 0. */
    opexInputRate: vatRate('Input VAT rate on operating cost').default('0'),
    /** Output VAT rate on the availability payment; default 0. */
    availabilityPaymentRate: vatRate('VAT rate on the availability payment').default('0'),
    /** Output VAT rate on the operating subsidy; default 0 (subsidies not linked to sales are not taxable). */
    operatingSubsidyRate: vatRate('VAT rate on the operating subsidy').default('0'),
    urbanMaintenanceRate: z
      .enum(URBAN_MAINTENANCE_RATES, {
        error: 'Urban maintenance tax rate must be 0.07 (city), 0.05 (county town) or 0.01',
      })
      .default('0.07'),
    educationRate: surchargeRate('Education surcharge rate').default('0.03'),
    localEducationRate: surchargeRate('Local education surcharge rate').default('0.02'),
  })
  .strict();

export type IndirectTax = z.output<typeof indirectTaxSchema>;

/**
 * A revenue stream's output VAT rate (`revenues[].vatRate`, optional on every kind). It applies
 * only when the scenario has an `indirectTax` section; left out, the stream bears no VAT (0).
 */
export const streamVatRate = vatRate('VAT rate of the revenue stream').optional();
