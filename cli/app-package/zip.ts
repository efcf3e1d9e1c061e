/**
 * The package itself: the filled and checked manifest, zipped with the files it names. Without a
 * host the tabs are left out of the manifest and their names out of the localisation files,
 * with a warning.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import JSZip from 'jszip';
import { t } from '../../domain/i18n';
import { API_LOCALE, AppPackageError, type JsonObject } from './common';
import { type AppIds, fillManifest, validateManifestSource } from './manifest';
import { defaultManifestDir, defaultOutputFile, type ManifestSource, readManifestDir } from './source';
import { leaveOutTabs, usesPlaceholderHost } from './tabs';
import type { Locale } from '../../domain/types';

export interface BuildOptions extends AppIds {
  /** Folder with manifest.json, the icons and localisation files. Default: `<repo>/manifest`. */
  manifestDir?: string;
  /** Default: `<repo>/build/appPackage/kraftsamla-<version>.zip`. */
  outFile?: string;
  /** Language of the problems and warnings; default English. */
  locale?: Locale;
}

export interface BuildResult {
  zipPath: string;
  manifest: JsonObject;
  entries: string[];
  warnings: string[];
}

/**
 * The source as it is packed: with a host, as it is; without one, the localisation files
 * without the names of the tabs left out (rewritten only when something was taken out).
 */
function packedSource(source: ManifestSource, manifest: JsonObject, host: string | undefined): ManifestSource {
  if (host !== undefined) return source;
  const localizations = leaveOutTabs(manifest, source.localizations);
  const files = new Map(source.files);
  localizations.forEach((loc, i) => {
    if (loc !== source.localizations[i]) files.set(loc.file, Buffer.from(JSON.stringify(loc.content, null, 2) + '\n'));
  });
  return { ...source, localizations, files };
}

/** Fills in the ids and the host, validates the filled manifest and writes the zip; throws AppPackageError. */
export async function buildAppPackage(options: BuildOptions = {}): Promise<BuildResult> {
  const locale = options.locale ?? API_LOCALE;
  const source = await readManifestDir(options.manifestDir ?? defaultManifestDir(), locale);
  const manifest = fillManifest(source.manifest, options, locale);
  const packed = packedSource(source, manifest, options.host);
  const report = await validateManifestSource(packed, manifest, locale);
  if (report.errors.length > 0) throw new AppPackageError(report.errors, locale);
  const warnings = [...report.warnings];
  if (options.host === undefined && usesPlaceholderHost(source.manifest))
    warnings.push(t(locale, 'cli.package.noHost'));

  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
  for (const [rel, bytes] of packed.files) zip.file(rel.replace(/\\/g, '/'), bytes);
  const bytes = await zip.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
  });

  const zipPath = path.resolve(options.outFile ?? defaultOutputFile(manifest));
  await fs.mkdir(path.dirname(zipPath), { recursive: true });
  await fs.writeFile(zipPath, bytes);
  return { zipPath, manifest, entries: ['manifest.json', ...packed.files.keys()], warnings };
}
