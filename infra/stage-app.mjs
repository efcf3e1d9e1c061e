// Assembles what App Service runs, in build/deploy/: the compiled bot (dist/), the files it reads
// at run time (package.json for its version, config/*.json for the program definition, tab/public/
// for the overview tab's script and stylesheet) and its
// production dependencies only, installed from package-lock.json. m365agents.yml's deploy zips
// that folder; App Service builds nothing (SCM_DO_BUILD_DURING_DEPLOYMENT=false).
// Run after `npm run build`: node infra/stage-app.mjs
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import console from 'node:console';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'build', 'deploy');
// The folders of dist/ the bot and the CLIs run from (not the benchmarks or scripts).
const distFolders = ['bot', 'cards', 'cli', 'config', 'domain', 'storage', 'tab'];

if (!existsSync(path.join(root, 'dist', 'bot', 'index.js'))) {
  console.error('dist/bot/index.js is missing: run `npm run build` first.');
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(path.join(out, 'config'), { recursive: true });
for (const folder of distFolders) {
  const from = path.join(root, 'dist', folder);
  if (existsSync(from)) cpSync(from, path.join(out, 'dist', folder), { recursive: true });
}
// .npmrc answers the prompt of botbuilder-dialogs' postinstall (`npx rimraf`).
for (const file of ['package.json', 'package-lock.json', '.npmrc']) cpSync(path.join(root, file), path.join(out, file));
for (const file of readdirSync(path.join(root, 'config')).filter((f) => f.endsWith('.json'))) {
  cpSync(path.join(root, 'config', file), path.join(out, 'config', file));
}
// The overview tab's script and stylesheet, served as they are.
cpSync(path.join(root, 'tab', 'public'), path.join(out, 'tab', 'public'), {
  recursive: true,
  filter: (f) => !f.endsWith('tsconfig.json'),
});

const windows = process.platform === 'win32';
const install = spawnSync(windows ? 'npm.cmd' : 'npm', ['ci', '--omit=dev', '--no-audit', '--no-fund'], {
  cwd: out,
  stdio: 'inherit',
  shell: windows,
});
if (install.status !== 0) {
  console.error('npm ci --omit=dev failed in build/deploy.');
  process.exit(install.status ?? 1);
}
console.log(`Staged ${path.relative(root, out)} (dist/, config/, tab/public/, production dependencies).`);
