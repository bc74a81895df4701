import { render } from '../support/hbs';

describe('{{eq}}', () => {
  it('compares strictly', () => {
    expect(render('{{#if (eq a b)}}y{{else}}n{{/if}}', { a: 'x', b: 'x' })).toBe('y');
    expect(render('{{#if (eq a b)}}y{{else}}n{{/if}}', { a: '1', b: 1 })).toBe('n');
    expect(render('{{#if (eq a "bool")}}y{{else}}n{{/if}}', { a: 'bool' })).toBe('y');
  });

  it('fails when called with fewer than two values', () => {
    expect(() => render('{{#if (eq a)}}y{{/if}}', { a: 1 })).toThrow(/expects two values/);
  });
});
