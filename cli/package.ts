/**
 * `npm run package [-- --app-id <guid>] [--teams-app-id <guid>] [--out <file.zip>] [--lang sv|en]`:
 * builds the Teams app package (build/appPackage/kraftsamla-<version>.zip). The work happens in
 * ./app-package.ts; this file reads the arguments and the configuration and prints the outcome,
 * in the program's language unless `--lang` says otherwise.
 */
import * as path from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config/config';
import { t } from '../domain/i18n';
import { loadProgram } from '../domain/program';
import type { Locale } from '../domain/types';
import { AppPackageError, UsageError, buildAppPackage, packageUsage, parsePackageArgs } from './app-package';
import { runMain, setupProblem } from './common';
import { langOf } from './lang';

export interface PackageCliDeps {
  loadConfig: () => Config;
  out: (line: string) => void;
  err: (line: string) => void;
  manifestDir?: string;
}

const defaultDeps: PackageCliDeps = {
  loadConfig: () => loadConfig(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The configuration, or why it cannot be read (reported only when the bot id is needed from it). */
function readConfig(deps: PackageCliDeps): { config?: Config; problem?: unknown } {
  try {
    return { config: deps.loadConfig() };
  } catch (err) {
    return { problem: err };
  }
}

/** The program's language; a program file that cannot be read is the bot's concern, not the package's. */
function programLocale(config: Config | undefined): Locale | undefined {
  if (!config) return undefined;
  try {
    return loadProgram(config.program.file, { steeringMembers: config.program.steeringMembers, admins: config.program.admins }).locale;
  } catch {
    return undefined;
  }
}

/** Returns the exit code: 0 written, 1 invalid package or configuration, 2 bad arguments. */
export async function main(argv: readonly string[], deps: PackageCliDeps = defaultDeps): Promise<number> {
  const { config, problem } = readConfig(deps);
  const locale: Locale = langOf(argv) ?? programLocale(config) ?? 'sv-SE';

  let args;
  try {
    args = parsePackageArgs(argv, locale);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    deps.err(`${t(locale, 'cli.package.usageError', { message: err.message })}\n\n${packageUsage(locale)}`);
    return 2;
  }
  if (args.help) {
    deps.out(packageUsage(locale));
    return 0;
  }

  const botId = args.appId ?? config?.auth.appId;
  if (!args.appId && problem) {
    if (!(problem instanceof ConfigError)) throw problem;
    deps.err([...setupProblem(problem, locale), t(locale, 'cli.package.configHint')].join('\n'));
    return 1;
  }

  try {
    const result = await buildAppPackage({
      botId,
      teamsAppId: args.teamsAppId,
      outFile: args.out,
      manifestDir: deps.manifestDir,
      locale,
    });
    for (const warning of result.warnings) deps.err(`${t(locale, 'cli.word.warning')}: ${warning}`);
    const bots = result.manifest.bots;
    const firstBot = Array.isArray(bots) ? bots[0] : undefined;
    const shownBotId = firstBot && typeof firstBot === 'object' && !Array.isArray(firstBot) ? String(firstBot.botId) : t(locale, 'cli.package.noBot');
    deps.out(
      [
        t(locale, 'cli.package.written', { file: path.relative(process.cwd(), result.zipPath) || result.zipPath }),
        t(locale, 'cli.package.writtenIds', { appId: String(result.manifest.id), botId: shownBotId, version: String(result.manifest.version) }),
        t(locale, 'cli.package.writtenFiles', { files: result.entries.join(', ') }),
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    if (!(err instanceof AppPackageError)) throw err;
    deps.err(err.message);
    return 1;
  }
}

if (require.main === module) runMain((argv) => main(argv));
