import { z } from 'zod';

/**
 * Who owns an equity source (issue 9, item 10). The new PPP mechanism asks for private-enterprise
 * participation (国办函〔2023〕115号: market-oriented projects privately owned or controlled,
 * strongly public ones at least 35 % private in principle), and "social capital" includes
 * state-owned enterprises, so the source type alone cannot say whether equity is private.
 *
 * `ownership` is optional on every equity source (scenario files without it, v1 or v2, stay
 * valid). Left out, it defaults by type: `government-equity` and `guided-fund-equity` are
 * government money (`government`); every other equity type is *undeclared*, which the
 * private-share rule does not count as private. Only a declared `private` counts: a reviewer
 * accepts a private share the filing states, not one inferred from the word "social".
 *
 * Kept apart from the scenario schema so the rule and the editor can use it without the schema's
 * other contents, and the schema's own edit stays small.
 */

export const OWNERSHIPS = ['private', 'state-owned', 'mixed', 'foreign', 'government'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];

export const ownershipSchema = z.enum(OWNERSHIPS, {
  error: `Ownership must be one of ${OWNERSHIPS.join(', ')}`,
});

/** Equity types of the government pillar: government money, whatever holds it. */
const GOVERNMENT_EQUITY_TYPES: readonly string[] = ['government-equity', 'guided-fund-equity'];
/** What a government-pillar equity source may be declared as (a 政府出资代表 is often an SOE). */
const GOVERNMENT_OWNERSHIPS: readonly Ownership[] = ['government', 'state-owned'];

/**
 * The ownership that applies to an equity source: the declared one, else the type's default
 * (`government` for government-equity and guided-fund equity), else null (undeclared).
 */
export function effectiveOwnership(source: {
  type: string;
  ownership?: Ownership | undefined;
}): Ownership | null {
  if (source.ownership !== undefined) return source.ownership;
  return GOVERNMENT_EQUITY_TYPES.includes(source.type) ? 'government' : null;
}

/**
 * Why a source's declared ownership is not allowed, or null when it is: only equity has an
 * owner, and government-pillar equity cannot be declared private, mixed or foreign.
 * @param nature the source type's nature (`SOURCE_KINDS[type].nature`)
 */
export function ownershipProblem(
  type: string,
  nature: string,
  ownership: Ownership | undefined,
): string | null {
  if (ownership === undefined) return null;
  if (nature !== 'equity')
    return `A ${type} source is not equity and has no ownership: leave ownership out`;
  if (GOVERNMENT_EQUITY_TYPES.includes(type) && !GOVERNMENT_OWNERSHIPS.includes(ownership))
    return `A ${type} source is government money: its ownership can only be government or state-owned`;
  return null;
}
