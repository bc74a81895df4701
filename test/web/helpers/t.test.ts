import { render } from '../support/hbs';

describe('{{t}}', () => {
  it.each([
    ['zh', '总览'],
    ['en', 'Dashboard'],
  ])('translates a key into the page language (%s)', (lang, expected) => {
    expect(render('{{t "nav.dashboard"}}', { lang })).toBe(expected);
  });

  it('fills placeholders from hash arguments', () => {
    expect(render('{{t "common.years" n=5}}', { lang: 'en' })).toBe('5 years');
    expect(render('{{t "common.years" n=5}}', { lang: 'zh' })).toBe('5 年');
  });

  it('escapes what it returns like any mustache', () => {
    expect(render('{{t "unit.note" unit=u}}', { lang: 'en', u: '<b>' })).toBe(
      'Amounts in &lt;b&gt;',
    );
  });

  it('works inside loops (the language comes from the page root)', () => {
    expect(render('{{#each xs}}{{t "nav.projects"}};{{/each}}', { lang: 'en', xs: [1, 2] })).toBe(
      'Projects;Projects;',
    );
  });

  it.each([
    ['an unknown key', '{{t "nav.nope"}}', /unknown message key "nav.nope"/],
    ['no key', '{{t}}', /expects a message key/],
    ['a missing placeholder', '{{t "common.years"}}', /needs a value for \{n\}/],
  ])('fails loudly on %s', (_what, template, error) => {
    expect(() => render(template)).toThrow(error);
  });

  it('fails when the page has no language', () => {
    expect(() => render('{{t "nav.dashboard"}}', { lang: 'fr' })).toThrow(/no language/);
  });
});
