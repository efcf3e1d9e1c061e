/** The package itself: the filled and checked manifest, zipped with the files it names. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import JSZip from 'jszip';
import { API_LOCALE, AppPackageError, type JsonObject } from './common';
import { type AppIds, fillManifest, validateManifestSource } from './manifest';
import { defaultManifestDir, defaultOutputFile, readManifestDir } from './source';
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

/** Fills in the ids, validates the filled manifest and writes the zip; throws AppPackageError. */
export async function buildAppPackage(options: BuildOptions = {}): Promise<BuildResult> {
  const locale = options.locale ?? API_LOCALE;
  const source = await readManifestDir(options.manifestDir ?? defaultManifestDir(), locale);
  const manifest = fillManifest(source.manifest, options, locale);
  const report = await validateManifestSource(source, manifest, locale);
  if (report.errors.length > 0) throw new AppPackageError(report.errors, locale);

  const zip = new JSZip();
  zip.file('manifest.json', JSON.stringify(manifest, null, 2) + '\n');
  for (const [rel, bytes] of source.files) zip.file(rel.replace(/\\/g, '/'), bytes);
  const bytes = await zip.generateAsync({
    type: 'nodebuffer',
    compression: 'DEFLATE',
    compressionOptions: { level: 9 },
  });

  const zipPath = path.resolve(options.outFile ?? defaultOutputFile(manifest));
  await fs.mkdir(path.dirname(zipPath), { recursive: true });
  await fs.writeFile(zipPath, bytes);
  return { zipPath, manifest, entries: ['manifest.json', ...source.files.keys()], warnings: report.warnings };
}
