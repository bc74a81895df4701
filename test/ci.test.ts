import fs from 'node:fs';
import path from 'node:path';

/** The README promises that `npm test` fails on type, lint and format errors, not only on tests. */
describe('npm test', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const steps = pkg.scripts.test!.split('&&').map((s) => s.trim());

  it('runs the type check, the linter and the format check before jest', () => {
    expect(steps).toEqual(['npm run typecheck', 'npm run lint', 'npm run format:check', 'jest']);
    expect(pkg.scripts.typecheck).toMatch(/^tsc .*--noEmit/);
    expect(pkg.scripts.lint).toMatch(/^eslint /);
    expect(pkg.scripts['format:check']).toMatch(/^prettier --check/);
  });

  it('.ci/run runs exactly that command after a clean install', () => {
    const ci = fs.readFileSync(path.join(__dirname, '..', '.ci', 'run'), 'utf8');
    const lines = ci.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(lines.slice(-2)).toEqual(['npm ci --no-audit --no-fund', 'npm test']);
  });
});
