/**
 * A jurisdiction's pre-approval checklist (issue 10): the items that must be complete before its
 * bureau approves a filing. Each jurisdiction turns each item on or off; without a stored
 * configuration every item is on. Pure: the app layer gathers the facts.
 */

/**
 * - `data-sharing` (信息共享前置): the filer declares that the project's data resources are
 *   registered for sharing with the city data platform;
 * - `all-caliber` (全口径审查): the filer declares that every funding source of the project is in
 *   the filed version, and the version's compliance checklist has no failure or each failure
 *   carries a written justification.
 */
export const PRE_APPROVAL_ITEMS = ['data-sharing', 'all-caliber'] as const;
export type PreApprovalItem = (typeof PRE_APPROVAL_ITEMS)[number];

/** Which items a jurisdiction requires (true = on). */
export type PreApprovalConfig = Readonly<Record<PreApprovalItem, boolean>>;

/** Every item on: the configuration of a jurisdiction that stored none. */
export const DEFAULT_PRE_APPROVAL: PreApprovalConfig = {
  'data-sharing': true,
  'all-caliber': true,
};

/** Names of the items as the messages say them (the web layer translates by code). */
export const PRE_APPROVAL_LABELS: Readonly<Record<PreApprovalItem, string>> = {
  'data-sharing': '信息共享前置 data-sharing commitment',
  'all-caliber': '全口径审查 all-caliber review',
};

/** What the checklist is decided on, for the version the filing carries now. */
export interface PreApprovalFacts {
  /** The filer declared the data resources registered for sharing. */
  dataSharingDeclared: boolean;
  /** The filer declared every funding source in the version. */
  allFundingDeclared: boolean;
  /**
   * The ids of the compliance-checklist rules the version fails, in the checklist's order; null
   * when the checklist could not be computed (the result is unavailable).
   */
  failingRuleIds: readonly string[] | null;
  /** The rules with a written justification for this version. */
  justifiedRuleIds: readonly string[];
}

/**
 * Why an item is not complete:
 * - `data-sharing-undeclared`, `funding-undeclared`: the filer's declaration is missing;
 * - `checklist-unavailable`: the compliance checklist could not be computed;
 * - `failure-unjustified`: the rule `ruleId` fails without a written justification.
 */
export type PreApprovalGap =
  | { code: 'data-sharing-undeclared' }
  | { code: 'funding-undeclared' }
  | { code: 'checklist-unavailable' }
  | { code: 'failure-unjustified'; ruleId: string };

export interface PreApprovalItemStatus {
  item: PreApprovalItem;
  /** Off: the jurisdiction does not require it (it is then complete). */
  enabled: boolean;
  complete: boolean;
  gaps: PreApprovalGap[];
}

export interface PreApprovalStatus {
  complete: boolean;
  items: PreApprovalItemStatus[];
}

function gapsOf(item: PreApprovalItem, facts: PreApprovalFacts): PreApprovalGap[] {
  if (item === 'data-sharing')
    return facts.dataSharingDeclared ? [] : [{ code: 'data-sharing-undeclared' }];
  const gaps: PreApprovalGap[] = facts.allFundingDeclared ? [] : [{ code: 'funding-undeclared' }];
  if (facts.failingRuleIds === null) return [...gaps, { code: 'checklist-unavailable' }];
  const justified = new Set(facts.justifiedRuleIds);
  for (const ruleId of facts.failingRuleIds)
    if (!justified.has(ruleId)) gaps.push({ code: 'failure-unjustified', ruleId });
  return gaps;
}

/**
 * The pre-approval checklist of a filing: each item with what is missing. Complete when every
 * enabled item is.
 */
export function assessPreApproval(
  config: PreApprovalConfig,
  facts: PreApprovalFacts,
): PreApprovalStatus {
  const items = PRE_APPROVAL_ITEMS.map((item): PreApprovalItemStatus => {
    if (!config[item]) return { item, enabled: false, complete: true, gaps: [] };
    const gaps = gapsOf(item, facts);
    return { item, enabled: true, complete: gaps.length === 0, gaps };
  });
  return { complete: items.every((i) => i.complete), items };
}

/** One gap in words, for messages (`ValidationError`); the web layer translates by code. */
export function describeGap(gap: PreApprovalGap): string {
  switch (gap.code) {
    case 'data-sharing-undeclared':
      return 'the filer has not declared the data resources registered for sharing with the city data platform';
    case 'funding-undeclared':
      return 'the filer has not declared every funding source';
    case 'checklist-unavailable':
      return 'the compliance checklist could not be computed';
    case 'failure-unjustified':
      return `the failing rule ${gap.ruleId} has no written justification`;
  }
}
