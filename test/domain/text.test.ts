import {
  checkText,
  findTextProblem,
  multiLineText,
  singleLineText,
  type TextKind,
} from '../../src/domain/text';

describe('the text rule', () => {
  it.each<[string, string, TextKind, ReturnType<typeof findTextProblem>]>([
    ['plain', 'Demo City 示范市', 'single-line', null],
    ['a tab', 'a\tb', 'single-line', null],
    ['an emoji (a surrogate pair)', '😀 smart parking', 'single-line', null],
    ['LRM and zero-width joiner', 'a\u200eb\u200dc', 'single-line', null],
    ['CRLF in a comment', 'line 1\r\nline 2', 'multi-line', null],
    ['NUL first', '\u0000', 'single-line', { kind: 'control', codePoint: 0, position: 1 }],
    ['NUL inside', 'ab\u0000', 'multi-line', { kind: 'control', codePoint: 0, position: 3 }],
    ['DEL', 'x\u007f', 'single-line', { kind: 'control', codePoint: 0x7f, position: 2 }],
    ['a C1 control', 'x\u0085', 'multi-line', { kind: 'control', codePoint: 0x85, position: 2 }],
    [
      'a newline in a name',
      'a\nb',
      'single-line',
      { kind: 'line-break', codePoint: 10, position: 2 },
    ],
    [
      'U+2028 in a name',
      '\u2028',
      'single-line',
      { kind: 'line-break', codePoint: 0x2028, position: 1 },
    ],
    ['a bidi override', 'ab\u202e', 'multi-line', { kind: 'bidi', codePoint: 0x202e, position: 3 }],
    [
      'a lone surrogate',
      '😀\ud800',
      'single-line',
      { kind: 'surrogate', codePoint: 0xd800, position: 2 },
    ],
  ])('%s', (_name, text, kind, expected) => {
    expect(findTextProblem(text, kind)).toEqual(expected);
  });

  it('says what, where and why', () => {
    expect(checkText('Project name', '\u0000x', 'single-line')).toBe(
      'Project name contains a control character (U+0000) at position 1; only tab is allowed in a one-line field',
    );
    expect(checkText('Comment', 'ok\u0001', 'multi-line')).toBe(
      'Comment contains a control character (U+0001) at position 3; only tab and line breaks are allowed',
    );
    expect(checkText('Scenario name', 'a\nb', 'single-line')).toBe(
      'Scenario name contains a line break (U+000A) at position 2; it must be one line',
    );
  });

  it('checks the text as given, then trims and measures it', () => {
    const name = singleLineText('Name', { min: 1, max: 3, required: 'Give a name' });
    expect(name.parse('  ab\t ')).toBe('ab');
    const issues = (v: unknown) =>
      name.safeParse(v).error?.issues.map((i) => i.message) ?? ['(valid)'];
    expect(issues(' \u0000')).toEqual([
      'Name contains a control character (U+0000) at position 2; only tab is allowed in a one-line field',
    ]);
    expect(issues('   ')).toEqual(['Give a name']);
    const text = multiLineText('Description', { max: 10 });
    expect(text.parse(' a\nb ')).toBe(' a\nb ');
  });
});

it('reports the character alone, not also the length it leaves after trimming', () => {
  const name = singleLineText('Name', { min: 1, max: 3, required: 'Give a name' });
  expect(name.safeParse('\n').error?.issues.map((i) => i.message)).toEqual([
    'Name contains a line break (U+000A) at position 1; it must be one line',
  ]);
});
