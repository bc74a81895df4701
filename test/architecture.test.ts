import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const SRC = join(__dirname, '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)].map(
    (m) => m[1] as string,
  );
}

/** STYLE.md: dependencies point one way: web, cli → app → store → domain. */
const RULES: Record<string, { layers: string[]; packages: RegExp | null }> = {
  domain: {
    layers: ['app', 'store', 'web', 'cli'],
    packages:
      /^(express|better-sqlite3|handlebars|express-handlebars|helmet|pino|node:fs|fs|node:http|commander|argon2)/,
  },
  store: {
    layers: ['app', 'web', 'cli'],
    packages: /^(express|handlebars|express-handlebars|helmet|commander|argon2)/,
  },
  app: {
    layers: ['web', 'cli'],
    packages: /^(express|handlebars|express-handlebars|helmet|commander)/,
  },
  web: { layers: ['cli'], packages: /^commander/ },
  cli: { layers: ['web'], packages: null },
};

describe('layering', () => {
  const all = files(SRC);
  it.each(Object.entries(RULES))('src/%s imports only what its layer may', (layer, rule) => {
    const offending: string[] = [];
    for (const file of all.filter((f) => relative(SRC, f).startsWith(`${layer}/`))) {
      for (const spec of imports(file)) {
        const target = spec.startsWith('.')
          ? relative(SRC, join(file, '..', spec)).split('/')[0]
          : null;
        if (
          (target && rule.layers.includes(target)) ||
          (!spec.startsWith('.') && rule.packages?.test(spec))
        ) {
          offending.push(`${relative(SRC, file)} → ${spec}`);
        }
      }
    }
    expect(offending).toEqual([]);
  });

  it('the domain reads no clock, environment or randomness', () => {
    const offending = all
      .filter((f) => relative(SRC, f).startsWith('domain/'))
      .filter((f) =>
        /Date\.now|new Date\(\)|process\.env|Math\.random/.test(readFileSync(f, 'utf8')),
      )
      .map((f) => relative(SRC, f));
    expect(offending).toEqual([]);
  });
});
