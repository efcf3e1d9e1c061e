#!/usr/bin/env node
/**
 * Runs before `npm start` and every CLI script: is there a build in dist/, and is it as new as the
 * sources? If not, it says so in Swedish and English, says how to build, and exits 1, so nobody
 * runs yesterday's code by mistake. Building is `npm run build` (and `npm install` builds too).
 *
 * Every TypeScript file under the source folders must have its compiled file in dist/ that is at
 * least as new, and dist/ must hold no compiled file of a source that is gone. JSON files in
 * config/ are read at run time, not compiled, so they never make a build stale. Without sources (a
 * production install holds dist/ only) there is nothing to compare and the check passes. Plain
 * JavaScript, no dependencies: it must run before anything is built, and it only reads directory
 * entries and file times (a few milliseconds).
 */
'use strict';
/* global require, module, __dirname, process -- a CommonJS script run by node */
/* eslint-disable @typescript-eslint/no-require-imports -- plain JS run by node before any build, so CommonJS require */

const fs = require('node:fs');
const path = require('node:path');

/** The folders tsconfig.build.json compiles into dist/ for the bot and the CLIs. */
const SOURCE_DIRS = ['bot', 'cards', 'config', 'domain', 'storage', 'cli', 'tab'];

/** The files under `dir` (relative to `root`) whose name passes `keep`, relative to `root`. */
function filesIn(root, dir, keep, found = []) {
  let entries;
  try {
    entries = fs.readdirSync(path.join(root, dir), { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) filesIn(root, rel, keep, found);
    else if (entry.isFile() && keep(entry.name)) found.push(rel);
  }
  return found;
}

const isSource = (name) => name.endsWith('.ts') && !name.endsWith('.d.ts');
const isCompiled = (name) => name.endsWith('.js');

function mtimeOf(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * What is wrong with the build in `root`/dist, or undefined when it is usable:
 * - `{ kind: 'missing', file }`: a source's compiled file is not there;
 * - `{ kind: 'stale', file }`: a source changed after it was compiled (the most recently changed
 *   one is named);
 * - `{ kind: 'orphan', file }`: a compiled file whose source is gone. Node may load it instead of
 *   the new code (a `cards/verbs.js` left over shadows a new `cards/verbs/index.js`), so a build
 *   starts from an empty dist/.
 */
function checkBuild(root) {
  const sources = SOURCE_DIRS.flatMap((dir) => filesIn(root, dir, isSource));
  if (sources.length === 0) return undefined;
  let stale;
  for (const source of sources) {
    const compiled = path.join('dist', source.replace(/\.ts$/, '.js'));
    const builtAt = mtimeOf(path.join(root, compiled));
    if (builtAt === undefined) return { kind: 'missing', file: compiled };
    const changedAt = mtimeOf(path.join(root, source)) ?? 0;
    if (changedAt > builtAt && (!stale || changedAt > stale.changedAt))
      stale = { kind: 'stale', file: source, changedAt };
  }
  if (stale) return { kind: stale.kind, file: stale.file };
  const known = new Set(sources.map((source) => path.join('dist', source.replace(/\.ts$/, '.js'))));
  const orphan = SOURCE_DIRS.flatMap((dir) => filesIn(root, path.join('dist', dir), isCompiled)).find(
    (file) => !known.has(file),
  );
  return orphan === undefined ? undefined : { kind: 'orphan', file: orphan };
}

/** Whether `npm run build` can work in `root`: TypeScript, a development dependency, is installed. */
function canBuild(root) {
  try {
    require.resolve('typescript/package.json', { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

/**
 * The message for a problem, Swedish first (no user's language is known here). Where TypeScript
 * is not installed (`npm ci --omit=dev` in a checkout), it also says where a build can be made.
 */
function describe(problem, buildable = true) {
  const file = problem.file.split(path.sep).join('/');
  let lines;
  if (problem.kind === 'missing') {
    lines = [
      `Kraftsamla är inte byggd: ${file} saknas. Bygg först med \`npm run build\` (tar några sekunder) och försök sedan igen.`,
      `Kraftsamla is not built: ${file} is missing. Build it first with \`npm run build\` (takes a few seconds), then try again.`,
    ];
  } else if (problem.kind === 'orphan') {
    lines = [
      `Bygget i dist/ är äldre än källkoden (${file} finns kvar fast källfilen är borta). Bygg om med \`npm run build\` och försök sedan igen.`,
      `The build in dist/ is older than the sources (${file} is left over, its source is gone). Rebuild with \`npm run build\`, then try again.`,
    ];
  } else {
    lines = [
      `Bygget i dist/ är äldre än källkoden (${file} har ändrats sedan dess). Bygg om med \`npm run build\` och försök sedan igen.`,
      `The build in dist/ is older than the sources (${file} has changed since). Rebuild with \`npm run build\`, then try again.`,
    ];
  }
  if (!buildable) {
    lines.push(
      'TypeScript är inte installerat här (installerat utan utvecklingsberoenden): bygg med `npm ci && npm run build` där det finns, eller kopiera dit dist/ från ett bygge.',
      'TypeScript is not installed here (installed without development dependencies): build with `npm ci && npm run build` where it is, or copy dist/ here from a build.',
    );
  }
  return lines.join('\n');
}

module.exports = { checkBuild, describe, SOURCE_DIRS };

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const problem = checkBuild(root);
  if (problem) {
    process.stderr.write(`${describe(problem, canBuild(root))}\n`);
    process.exit(1);
  }
}
