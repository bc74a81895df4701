import { render } from '../support/hbs';

describe('{{codeLabel}}', () => {
  it.each([
    ['sector', 'smart-parking', 'zh', '智慧停车'],
    ['sector', 'smart-parking', 'en', 'Smart parking'],
    ['pillar', 'government', 'zh', '政府引导'],
    ['sourceType', 'special-bond', 'en', 'Special-purpose bond'],
    ['category', 'market-oriented', 'zh', '市场化类（经营性）'],
  ])('names %s %s in %s', (group, code, lang, expected) => {
    expect(render('{{codeLabel g c}}', { g: group, c: code, lang })).toBe(expected);
  });

  it('fails on a code the catalogue does not know, or a missing code', () => {
    expect(() => render('{{codeLabel "sector" "moon-base"}}')).toThrow(
      /unknown message key "sector.moon-base"/,
    );
    expect(() => render('{{codeLabel "sector" missing}}')).toThrow(/expects a sector code/);
  });
});
