/**
 * `npm run package [-- --app-id <guid>] [--teams-app-id <guid>] [--host <name>] [--out <file.zip>] [--lang sv|en]`:
 * builds the Teams app package (build/appPackage/kraftsamla-<version>.zip), with the program
 * overview tab when the bot's host is known (`--host`, else BOT_DOMAIN). The work happens in
 * ./app-package/; this file reads the arguments and the configuration and prints the outcome,
 * in the program's language unless `--lang` says otherwise.
 */
import * as path from 'node:path';
import { ConfigError, loadPackageSettings, type PackageSettings } from '../config/config';
import { t } from '../domain/i18n';
import { loadProgram } from '../domain/program';
import type { Locale, Program } from '../domain/types';
import {
  AppPackageError,
  UsageError,
  buildAppPackage,
  hostProblemText,
  isObject,
  type JsonObject,
  packageUsage,
  parsePackageArgs,
} from './app-package';
import { runMain, setupProblem } from './common';
import { langOf } from './lang';

export interface PackageCliDeps {
  /** The bot id, the program file and the host from the environment: packaging needs no secret. */
  loadSettings: () => PackageSettings;
  out: (line: string) => void;
  err: (line: string) => void;
  manifestDir?: string;
}

const defaultDeps: PackageCliDeps = {
  loadSettings: () => loadPackageSettings(),
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

/** The settings and the program they name, or why they cannot be read. */
function readSetup(deps: PackageCliDeps): { settings?: PackageSettings; program?: Program; problem?: unknown } {
  let settings: PackageSettings;
  try {
    settings = deps.loadSettings();
  } catch (err) {
    return { problem: err };
  }
  try {
    return { settings, program: loadProgram(settings.programFile) };
  } catch (err) {
    return { settings, problem: err };
  }
}

/** Where the package's personal tab opens and its SSO resource, when it has them. */
function tabLine(manifest: JsonObject, locale: Locale): string | undefined {
  const first = Array.isArray(manifest.staticTabs) ? manifest.staticTabs[0] : undefined;
  const sso = manifest.webApplicationInfo;
  if (!isObject(first) || typeof first.contentUrl !== 'string') return undefined;
  const resource = isObject(sso) && typeof sso.resource === 'string' ? sso.resource : '–';
  return t(locale, 'cli.package.writtenTab', { url: first.contentUrl, resource });
}

/** Returns the exit code: 0 written, 1 invalid package, configuration or program, 2 bad arguments. */
export async function main(argv: readonly string[], deps: PackageCliDeps = defaultDeps): Promise<number> {
  const { settings, program, problem } = readSetup(deps);
  const locale: Locale = langOf(argv) ?? program?.locale ?? 'sv-SE';

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

  // The program names the publisher the package shows: without it the package would name the
  // wrong one, so a program file that cannot be read stops the packager as it stops the bot.
  if (problem || !program) {
    if (problem instanceof ConfigError) {
      deps.err([...setupProblem(problem, locale), t(locale, 'cli.package.configHint')].join('\n'));
    } else {
      deps.err(setupProblem(problem, locale).join('\n'));
    }
    return 1;
  }
  const botId = args.appId ?? settings?.appId;
  // --host wins over BOT_DOMAIN, as --app-id over MICROSOFT_APP_ID; a bad one is named as given.
  const host = args.host ?? settings?.host;
  const hostProblem = args.host === undefined && host !== undefined && hostProblemText(locale, 'BOT_DOMAIN', host);
  if (hostProblem) {
    deps.err(`${t(locale, 'cli.package.invalid.one', { count: 1 })}\n  - ${hostProblem}`);
    return 1;
  }

  try {
    const result = await buildAppPackage({
      botId,
      teamsAppId: args.teamsAppId,
      host,
      ...(settings?.tabAppId ? { tabAppId: settings.tabAppId } : {}),
      developer: program.developer,
      outFile: args.out,
      manifestDir: deps.manifestDir,
      locale,
    });
    for (const warning of result.warnings) deps.err(`${t(locale, 'cli.word.warning')}: ${warning}`);
    const bots = result.manifest.bots;
    const firstBot = Array.isArray(bots) ? bots[0] : undefined;
    const shownBotId =
      firstBot && typeof firstBot === 'object' && !Array.isArray(firstBot)
        ? String(firstBot.botId)
        : t(locale, 'cli.package.noBot');
    const tab = tabLine(result.manifest, locale);
    deps.out(
      [
        t(locale, 'cli.package.written', { file: path.relative(process.cwd(), result.zipPath) || result.zipPath }),
        t(locale, 'cli.package.writtenIds', {
          appId: String(result.manifest.id),
          botId: shownBotId,
          version: String(result.manifest.version),
        }),
        t(locale, 'cli.package.writtenFiles', { files: result.entries.join(', ') }),
        ...(tab ? [tab] : []),
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
