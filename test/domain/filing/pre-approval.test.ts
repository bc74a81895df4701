import {
  assessPreApproval,
  DEFAULT_PRE_APPROVAL,
  describeGap,
  type PreApprovalFacts,
} from '../../../src/domain/filing';

const ALL_GOOD: PreApprovalFacts = {
  dataSharingDeclared: true,
  allFundingDeclared: true,
  failingRuleIds: [],
  justifiedRuleIds: [],
};

describe('assessPreApproval', () => {
  it('is complete when both declarations are made and the checklist has no failure', () => {
    expect(assessPreApproval(DEFAULT_PRE_APPROVAL, ALL_GOOD)).toEqual({
      complete: true,
      items: [
        { item: 'data-sharing', enabled: true, complete: true, gaps: [] },
        { item: 'all-caliber', enabled: true, complete: true, gaps: [] },
      ],
    });
  });

  it('names every gap: missing declarations and each unjustified failure, in the checklist order', () => {
    const status = assessPreApproval(DEFAULT_PRE_APPROVAL, {
      dataSharingDeclared: false,
      allFundingDeclared: false,
      failingRuleIds: ['sb-coverage', 'sb-min-capital-ratio', 'nm2023-user-pays'],
      justifiedRuleIds: ['sb-min-capital-ratio', 'ppp2015-value-for-money'],
    });
    expect(status.complete).toBe(false);
    expect(status.items).toEqual([
      {
        item: 'data-sharing',
        enabled: true,
        complete: false,
        gaps: [{ code: 'data-sharing-undeclared' }],
      },
      {
        item: 'all-caliber',
        enabled: true,
        complete: false,
        gaps: [
          { code: 'funding-undeclared' },
          { code: 'failure-unjustified', ruleId: 'sb-coverage' },
          { code: 'failure-unjustified', ruleId: 'nm2023-user-pays' },
        ],
      },
    ]);
  });

  it('every failure justified completes the all-caliber review', () => {
    const status = assessPreApproval(DEFAULT_PRE_APPROVAL, {
      ...ALL_GOOD,
      failingRuleIds: ['sb-coverage'],
      justifiedRuleIds: ['sb-coverage'],
    });
    expect(status.complete).toBe(true);
  });

  it('an unavailable checklist leaves the all-caliber review incomplete', () => {
    const status = assessPreApproval(DEFAULT_PRE_APPROVAL, { ...ALL_GOOD, failingRuleIds: null });
    expect(status.items[1]).toEqual({
      item: 'all-caliber',
      enabled: true,
      complete: false,
      gaps: [{ code: 'checklist-unavailable' }],
    });
  });

  it('an item turned off is complete whatever the facts', () => {
    const facts = { ...ALL_GOOD, dataSharingDeclared: false, failingRuleIds: ['sb-coverage'] };
    expect(assessPreApproval({ 'data-sharing': false, 'all-caliber': true }, facts)).toEqual({
      complete: false,
      items: [
        { item: 'data-sharing', enabled: false, complete: true, gaps: [] },
        {
          item: 'all-caliber',
          enabled: true,
          complete: false,
          gaps: [{ code: 'failure-unjustified', ruleId: 'sb-coverage' }],
        },
      ],
    });
    expect(assessPreApproval({ 'data-sharing': false, 'all-caliber': false }, facts).complete).toBe(
      true,
    );
  });

  it.each([
    [
      { code: 'data-sharing-undeclared' } as const,
      'the filer has not declared the data resources registered for sharing with the city data platform',
    ],
    [{ code: 'funding-undeclared' } as const, 'the filer has not declared every funding source'],
    [{ code: 'checklist-unavailable' } as const, 'the compliance checklist could not be computed'],
    [
      { code: 'failure-unjustified', ruleId: 'sb-coverage' } as const,
      'the failing rule sb-coverage has no written justification',
    ],
  ])('describes %j', (gap, text) => {
    expect(describeGap(gap)).toBe(text);
  });
});
