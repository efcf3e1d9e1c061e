/**
 * The Teams app package (`npm run package`): read `manifest/`, fill in the ids, validate, zip.
 * The public face of the packager; its parts:
 * - ./args.ts: the command line's arguments and usage;
 * - ./source.ts: where things are, and reading the manifest folder;
 * - ./manifest.ts: filling in the ids, and every check before zipping;
 * - ./tabs.ts: the tab's host (filled in, or the tab left out), and what Teams asks of tabs;
 * - ./schema.ts: the bundled JSON schemas and ajv, with its errors translated;
 * - ./icons.ts: the icons, read with pngjs;
 * - ./zip.ts: the package itself.
 * Problems and warnings are written in the locale passed in (texts `cli.package.*` in
 * domain/i18n/cli.ts); the CLI passes the program's language, the functions default to English
 * for scripts and tests.
 */
export { packageUsage, parsePackageArgs, type PackageArgs, UsageError } from './args';
export { API_LOCALE, AppPackageError, isObject, type Json, type JsonObject, PLACEHOLDER_ID } from './common';
export { checkIcon, decodePngRgba, type DecodedPng, ICON_SIZES, PngError } from './icons';
export {
  type AppIds,
  COMMAND_MENU_LIMITS,
  fillManifest,
  isGuid,
  validateManifestSource,
  type ValidationReport,
} from './manifest';
export {
  bundledManifestVersions,
  bundledSchemaDir,
  compareVersions,
  loadBundledSchemas,
  schemaErrorText,
  schemaProblem,
  type TeamsSchemas,
  unicodeSafePattern,
  validateAgainstSchema,
} from './schema';
export {
  defaultManifestDir,
  defaultOutputFile,
  findRepoRoot,
  type LocalizationSource,
  type ManifestSource,
  packageFileName,
  readManifestDir,
} from './source';
export {
  checkTabs,
  hostProblem,
  type HostProblem,
  hostProblemText,
  leaveOutTabs,
  PLACEHOLDER_HOST,
  usesPlaceholderHost,
} from './tabs';
export { type BuildOptions, buildAppPackage, type BuildResult } from './zip';
