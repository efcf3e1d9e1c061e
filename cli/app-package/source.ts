/**
 * Where the packager reads and writes (the repository's manifest/ and build/appPackage/), and
 * reading the manifest folder: manifest.json, the localisation files it names and the icons, each
 * problem (a missing file, bad JSON, a path outside the folder) kept to be reported with the rest.
 */
import { promises as fs } from 'node:fs';
import * as fsSync from 'node:fs';
import * as path from 'node:path';
import { t } from '../../domain/i18n';
import type { Locale } from '../../domain/types';
import { API_LOCALE, AppPackageError, asArray, isObject, type Json, type JsonObject } from './common';

/** The repository root: the nearest folder above `from` that holds a package.json. */
export function findRepoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    if (fsSync.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
}

export function defaultManifestDir(): string {
  return path.join(findRepoRoot(), 'manifest');
}

export function packageFileName(manifest: JsonObject): string {
  return `kraftsamla-${String(manifest.version)}.zip`;
}

export function defaultOutputFile(manifest: JsonObject): string {
  return path.join(findRepoRoot(), 'build', 'appPackage', packageFileName(manifest));
}

export interface LocalizationSource {
  languageTag: string;
  file: string;
  content: JsonObject;
}

export interface ManifestSource {
  dir: string;
  manifest: JsonObject;
  localizations: LocalizationSource[];
  /** Files named by the manifest (icons, localisations), keyed by their relative path. */
  files: Map<string, Buffer>;
  /** Problems found while reading (missing files, bad JSON). */
  problems: string[];
}

/** A relative path inside the manifest folder (the app package is flat: no `..`, no absolute paths). */
function safeRelative(p: string): boolean {
  return p.length > 0 && !path.isAbsolute(p) && !p.split(/[\\/]/).includes('..');
}

async function readJsonFile(
  file: string,
  label: string,
  problems: string[],
  locale: Locale,
): Promise<{ json: JsonObject; bytes: Buffer } | undefined> {
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch {
    problems.push(t(locale, 'cli.package.json.notFound', { label, file }));
    return undefined;
  }
  try {
    const parsed = JSON.parse(bytes.toString('utf8').replace(/^\uFEFF/, '')) as Json;
    if (!isObject(parsed)) {
      problems.push(t(locale, 'cli.package.json.notObject', { label }));
      return undefined;
    }
    return { json: parsed, bytes };
  } catch (err) {
    problems.push(t(locale, 'cli.package.json.invalid', { label, reason: (err as Error).message }));
    return undefined;
  }
}

export async function readManifestDir(
  dir: string = defaultManifestDir(),
  locale: Locale = API_LOCALE,
): Promise<ManifestSource> {
  const problems: string[] = [];
  const files = new Map<string, Buffer>();
  const read = await readJsonFile(path.join(dir, 'manifest.json'), 'manifest.json', problems, locale);
  if (!read) throw new AppPackageError(problems, locale);
  const manifest = read.json;

  const referenced: string[] = [];
  const icons = manifest.icons;
  if (isObject(icons)) {
    for (const key of ['color', 'outline', 'color32x32']) {
      const v = icons[key];
      if (typeof v === 'string') referenced.push(v);
    }
  }
  const localizations: LocalizationSource[] = [];
  const info = manifest.localizationInfo;
  const additional = isObject(info) ? asArray(info.additionalLanguages) : [];
  for (const lang of additional) {
    if (!isObject(lang) || typeof lang.file !== 'string' || typeof lang.languageTag !== 'string') continue;
    if (!safeRelative(lang.file)) continue; // reported below with the other paths
    const loc = await readJsonFile(path.join(dir, lang.file), lang.file, problems, locale);
    if (loc) {
      localizations.push({ languageTag: lang.languageTag, file: lang.file, content: loc.json });
      files.set(lang.file, loc.bytes);
    }
  }
  if (isObject(info) && typeof info.defaultLanguageFile === 'string') referenced.push(info.defaultLanguageFile);

  for (const rel of referenced) {
    if (!safeRelative(rel)) {
      problems.push(t(locale, 'cli.package.path.notRelative', { path: rel }));
      continue;
    }
    try {
      files.set(rel, await fs.readFile(path.join(dir, rel)));
    } catch {
      problems.push(t(locale, 'cli.package.path.missing', { path: rel, file: path.join(dir, rel) }));
    }
  }
  for (const lang of additional) {
    if (isObject(lang) && typeof lang.file === 'string' && !safeRelative(lang.file)) {
      problems.push(t(locale, 'cli.package.path.notRelative', { path: lang.file }));
    }
  }
  return { dir, manifest, localizations, files, problems };
}
