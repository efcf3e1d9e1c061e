/**
 * The shape of the source tree, as docs/ARCHITECTURE.md draws it: the domain by feature, each
 * feature entered through its index, no import circles, no long files without a reason, and the
 * flow, cards and repository of a feature named after it. Reads the sources with the TypeScript
 * compiler's own import scanner, so every kind of import counts (type-only ones too).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');
const SOURCE_DIRS = ['bot', 'cards', 'cli', 'config', 'domain', 'storage', 'scripts', 'bench'];
const FEATURES = [
  'actions',
  'brief',
  'charts',
  'checkin',
  'decisions',
  'delivery',
  'digest',
  'meetings',
  'plan',
  'protocol',
];
/** Features the people in Teams talk to have a flow and cards; delivery works behind them. */
const FACING = ['actions', 'brief', 'checkin', 'decisions', 'digest', 'plan'];
const MAX_LINES = 400;

function walk(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return walk(rel);
    return /\.ts$/.test(e.name) && !/\.d\.ts$/.test(e.name) ? [rel.split(path.sep).join('/')] : [];
  });
}

const files = SOURCE_DIRS.flatMap(walk).sort();
const known = new Set(files);

function resolveImport(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  return [`${base}.ts`, `${base}/index.ts`, base].find((c) => known.has(c));
}

const imports = new Map<string, string[]>(
  files.map((f) => {
    const info = ts.preProcessFile(fs.readFileSync(path.join(ROOT, f), 'utf8'), true, true);
    return [f, info.importedFiles.map((i) => resolveImport(f, i.fileName)).filter((x): x is string => !!x)];
  }),
);

const featureOf = (f: string) => {
  const folder = /^domain\/([^/]+)\//.exec(f)?.[1];
  return folder && FEATURES.includes(folder) ? folder : undefined;
};
/**
 * `domain/ports.ts` gathers every feature's repository port into `Repositories`: it takes each
 * from the file that declares it (files that import nothing back), not from the feature's index,
 * which would lead back to the ports.
 */
const PORTS = 'domain/ports.ts';

it('reads a tree of real size (the scanner found the sources and their imports)', () => {
  expect(files.length).toBeGreaterThan(100);
  expect([...imports.values()].flat().length).toBeGreaterThan(300);
});

it('has no import circles between files', () => {
  const circles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const g of imports.get(f) ?? []) {
      if (state.get(g) === 'open') circles.push([...stack.slice(stack.indexOf(g)), g].join(' → '));
      else if (!state.has(g)) visit(g);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of files) if (!state.has(f)) visit(f);
  expect(circles).toEqual([]);
});

it('keeps the domain free of everything outside it', () => {
  const outside = files
    .filter((f) => f.startsWith('domain/'))
    .flatMap((f) => (imports.get(f) ?? []).filter((g) => !g.startsWith('domain/')).map((g) => `${f} → ${g}`));
  expect(outside).toEqual([]);
});

it('gives every feature an index, and code outside a feature enters it only there', () => {
  for (const feature of FEATURES) expect(known.has(`domain/${feature}/index.ts`)).toBe(true);
  const sideDoors = files.flatMap((f) =>
    (imports.get(f) ?? [])
      .filter((g) => {
        const feature = featureOf(g);
        return !!feature && f !== PORTS && featureOf(f) !== feature && g !== `domain/${feature}/index.ts`;
      })
      .map((g) => `${f} → ${g}`),
  );
  expect(sideDoors).toEqual([]);
});

it('names the flow, the cards and the repository of a feature after it', () => {
  for (const feature of FACING) {
    expect(known.has(`bot/flows/${feature}.flow.ts`)).toBe(true);
    expect(files.some((f) => f.startsWith(`cards/${feature}/`) && f.endsWith('.card.ts'))).toBe(true);
  }
  for (const repository of ['actions', 'checkin', 'decisions'])
    expect(known.has(`storage/${repository}.repository.ts`)).toBe(true);
});

it(`has no file over ${MAX_LINES} lines without the reason written at its top`, () => {
  const long = files.filter((f) => {
    const text = fs.readFileSync(path.join(ROOT, f), 'utf8');
    if (text.split('\n').length <= MAX_LINES) return false;
    // The reason: a line "Long: …" in the file's opening comment.
    const opening = /^\s*\/\*\*?([\s\S]*?)\*\//.exec(text)?.[1] ?? '';
    return !/^\s*\*?\s*Long:\s*\S/m.test(opening);
  });
  expect(long).toEqual([]);
});
