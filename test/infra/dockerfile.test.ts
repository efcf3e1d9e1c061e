/**
 * The Dockerfile's shape, read as text (no Docker daemon here, so the image is not built in the
 * tests): two stages on Node 20 bookworm-slim, the build inside the first, only production
 * dependencies and the built bot in the second, an unprivileged user, and an exec-form CMD so
 * that SIGTERM reaches node itself.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

interface Instruction {
  op: string;
  args: string;
}

/** The instructions, with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const lines = text.split('\n').filter((l) => !/^\s*#/.test(l));
  const joined = lines.join('\n').replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0)
    .map((l) => {
      const [op, ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

const all = instructions(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const stageStarts = all.map((x, i) => (x.op === 'FROM' ? i : -1)).filter((i) => i >= 0);
const stages = stageStarts.map((start, n) => all.slice(start, stageStarts[n + 1]));
const [build, runtime] = stages;
const runs = (stage: Instruction[]) => stage.filter((x) => x.op === 'RUN').map((x) => x.args);

describe('Dockerfile', () => {
  it('has a build stage and a runtime stage, both on node:20-bookworm-slim', () => {
    expect(stages).toHaveLength(2);
    expect(build[0].args).toBe('node:20-bookworm-slim AS build');
    expect(runtime[0].args).toMatch(/^node:20-bookworm-slim( AS \w+)?$/);
  });

  it('builds inside the image with every dependency, from the lock file', () => {
    expect(runs(build)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^npm ci\b(?!.*--omit)/), 'npm run build']),
    );
    const copied = build.filter((x) => x.op === 'COPY').flatMap((x) => x.args.split(/\s+/).slice(0, -1));
    expect(copied).toEqual(
      expect.arrayContaining(['package.json', 'package-lock.json', '.npmrc', 'tsconfig.json', 'tsconfig.build.json']),
    );
    // Every source folder the build compiles (the benchmarks are not part of the bot).
    const tsconfig = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
    };
    expect(tsconfig.include.filter((dir) => dir !== 'bench' && !copied.includes(dir))).toEqual([]);
    for (const file of copied) expect(fs.existsSync(path.join(ROOT, file))).toBe(true);
  });

  it('runs the built bot with production dependencies only, as the node user', () => {
    expect(runs(runtime).some((r) => /^npm ci --omit=dev\b/.test(r))).toBe(true);
    expect(runtime.some((x) => x.op === 'COPY' && x.args === '--from=build /app/dist ./dist')).toBe(true);
    expect(runtime.some((x) => x.op === 'COPY' && x.args === 'config/*.json ./config/')).toBe(true);
    // Nothing from the build stage's node_modules (dev tools) is carried over.
    expect(
      runtime.filter((x) => x.op === 'COPY' && /--from=build/.test(x.args) && !/\/app\/dist /.test(x.args)),
    ).toEqual([]);
    const user = runtime.map((x, i) => (x.op === 'USER' ? i : -1)).filter((i) => i >= 0);
    expect(user).toHaveLength(1);
    expect(runtime[user[0]].args).toBe('node');
    // No RUN after USER could need root, and nothing switches back.
    expect(runtime.slice(user[0]).filter((x) => x.op === 'RUN')).toEqual([]);
    expect(runtime.find((x) => x.op === 'EXPOSE')?.args).toBe('3978');
    expect(runtime.find((x) => x.op === 'ENV')?.args).toMatch(/NODE_ENV=production/);
    expect(
      all.filter((x) => (x.op === 'ENV' || x.op === 'ARG') && /PASSWORD|SECRET|CONNECTION_STRING/.test(x.args)),
    ).toEqual([]);
  });

  it('starts node itself (exec form, no shell or npm in between) so SIGTERM reaches the bot', () => {
    const cmds = runtime.filter((x) => x.op === 'CMD');
    expect(cmds).toHaveLength(1);
    expect(JSON.parse(cmds[0].args)).toEqual(['node', 'dist/bot/index.js']);
    expect(runtime.filter((x) => x.op === 'ENTRYPOINT')).toEqual([]);
    // The health check is exec form too and asks /healthz.
    const health = runtime.find((x) => x.op === 'HEALTHCHECK');
    const exec = health?.args.slice(health.args.indexOf('CMD ') + 4) ?? '';
    expect((JSON.parse(exec) as string[])[0]).toBe('node');
    expect(exec).toContain('/healthz');
  });

  it('.dockerignore keeps local state, secrets and the host build out of the image', () => {
    const ignored = fs
      .readFileSync(path.join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    expect(ignored).toEqual(
      expect.arrayContaining(['node_modules', 'dist', '.data', '.env', 'env/.env.*.user', '.git']),
    );
    // What the image needs is not ignored.
    for (const needed of ['package.json', 'package-lock.json', '.npmrc', 'config', 'bot', 'tsconfig.build.json'])
      expect(ignored).not.toContain(needed);
  });
});
