/**
 * `npm run package`: builds the Teams app package (build/appPackage/kraftsamla-<version>.zip).
 * The work happens in ./app-package.ts; this file reads the arguments and the configuration
 * and prints the outcome.
 */
import * as path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config/config';
import { AppPackageError, PACKAGE_USAGE, UsageError, buildAppPackage, parsePackageArgs } from './app-package';

export interface PackageCliDeps {
  loadConfig: () => Config;
  out: (line: string) => void;
  err: (line: string) => void;
  manifestDir?: string;
}

const defaultDeps: PackageCliDeps = {
  loadConfig: () => loadConfig(),
  out: (line) => console.log(line),
  err: (line) => console.error(line),
};

/** Returns the exit code: 0 written, 1 invalid package or configuration, 2 bad arguments. */
export async function main(argv: readonly string[], deps: PackageCliDeps = defaultDeps): Promise<number> {
  let args;
  try {
    args = parsePackageArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    deps.err(`error: ${err.message}\n\n${PACKAGE_USAGE}`);
    return 2;
  }
  if (args.help) {
    deps.out(PACKAGE_USAGE);
    return 0;
  }

  let botId = args.appId;
  if (!botId) {
    try {
      botId = deps.loadConfig().auth.appId;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      deps.err(`${err.message}\nFix the configuration, or pass --app-id <guid> to package without reading it.`);
      return 1;
    }
  }

  try {
    const result = await buildAppPackage({
      botId,
      teamsAppId: args.teamsAppId,
      outFile: args.out,
      manifestDir: deps.manifestDir,
    });
    for (const warning of result.warnings) deps.err(`warning: ${warning}`);
    const bots = result.manifest.bots;
    const firstBot = Array.isArray(bots) ? bots[0] : undefined;
    const shownBotId =
      firstBot && typeof firstBot === 'object' && !Array.isArray(firstBot) ? String(firstBot.botId) : '(no bot)';
    deps.out(
      `Wrote ${path.relative(process.cwd(), result.zipPath) || result.zipPath}\n` +
        `  app id ${String(result.manifest.id)}, bot id ${shownBotId}, version ${String(result.manifest.version)}\n` +
        `  files: ${result.entries.join(', ')}`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof AppPackageError)) throw err;
    deps.err(err.message);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
