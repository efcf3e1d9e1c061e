/**
 * `npm run export -- protocol --meeting <date> --format html|md|pdf [--out file] [--lang sv|en]`
 *
 * Writes a steering meeting's protocol for the registry (diarium): the meeting (the day's
 * meetings the bot noted in the steering chat), its date and times, who took part, and every
 * decision with that meeting date as § 1, § 2 … with number, affected teams, follow-up and what
 * happened to it since. The same blocks as the card in Teams. `--meeting` takes a date
 * (`2026-03-10`, or `idag`/`today`). Without `--out` the file is
 * `exports/protokoll-<date>.<format>`; `--out -` writes to standard output (the summary then goes
 * to stderr). The protocol is in the program's language unless `--lang` says otherwise. Exit
 * code 0 when written, 1 when the store or the file failed, 2 for usage mistakes.
 */
import * as path from 'node:path';
import { t } from '../domain/i18n';
import { loadProtocol, protocolDocument, protocolHtml, protocolMarkdown } from '../domain/protocol';
import { type Clock, localDate, parseLocalDate, systemClock } from '../domain/time';
import type { Locale } from '../domain/types';
import { cliLocale, deliverExport, langOf, loadSetup, parseLang, setupProblem, withReadStore } from './common';
import type { OutStream } from './progress';
import { protocolPdf } from './protocol-pdf';

/** What `export` hands over (its `ExportIo`): environment, streams, clock, working directory. */
export interface ProtocolExportIo {
  env?: Record<string, string | undefined>;
  stdout?: { write(chunk: string | Uint8Array): unknown; isTTY?: boolean };
  stderr?: OutStream;
  clock?: Clock;
  cwd?: string;
}

export const PROTOCOL_WORDS = ['protocol', 'protokoll'];
const FORMATS = ['html', 'md', 'pdf'] as const;
type Format = (typeof FORMATS)[number];

interface ProtocolArgs {
  meeting?: string;
  format?: Format;
  out?: string;
  lang?: Locale;
  help: boolean;
}

/** Reads the arguments after `protocol`; a mistake comes back as a message in `locale`. */
export function parseProtocolArgs(argv: readonly string[], locale: Locale): ProtocolArgs | { error: string } {
  const args: ProtocolArgs = { help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--help' || flag === '-h') args.help = true;
    else if (flag === '--meeting' || flag === '--date') args.meeting = value() ?? '';
    else if (flag === '--format' || flag === '-f') {
      const v = (value() ?? '').toLowerCase().replace(/^markdown$/, 'md');
      if (!(FORMATS as readonly string[]).includes(v)) return { error: t(locale, 'cli.protocol.formatInvalid') };
      args.format = v as Format;
    } else if (flag === '--out' || flag === '-o') {
      const v = value();
      if (!v) return { error: t(locale, 'cli.export.outNeedsName') };
      args.out = v;
    } else if (flag === '--lang') {
      const lang = parseLang(value());
      if (!lang) return { error: t(locale, 'cli.lang.invalid') };
      args.lang = lang;
    } else
      return {
        error: flag.startsWith('-')
          ? t(locale, 'cli.args.unknownOption', { option: flag })
          : t(locale, 'cli.args.unexpected', { arg: a }),
      };
  }
  return args;
}

/** Runs `export protocol …` (argv after the word `protocol`); returns the exit code. */
export async function exportProtocol(argv: readonly string[], io: ProtocolExportIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const err = (line: string) => stderr.write(`${line}\n`);
  const cwd = io.cwd ?? process.cwd();
  const clock: Clock = io.clock ?? systemClock;
  const setup = loadSetup(io.env, cwd);
  const locale: Locale = cliLocale(langOf(argv), setup);
  const usage = t(locale, 'cli.protocol.usage');
  const args = parseProtocolArgs(argv, locale);
  if ('error' in args) {
    err(args.error);
    err(usage);
    return 2;
  }
  if (args.help) {
    stdout.write(`${usage}\n`);
    return 0;
  }
  if (!args.meeting || !args.format) {
    err(t(locale, args.meeting ? 'cli.protocol.formatInvalid' : 'cli.protocol.meetingMissing'));
    err(usage);
    return 2;
  }
  if (!setup.ok) {
    setupProblem(setup.error, locale).forEach(err);
    return 2;
  }
  const { config, program } = setup;
  let date: string;
  try {
    date = ['idag', 'today'].includes(args.meeting.toLowerCase())
      ? localDate(clock.now(), program.timezone)
      : parseLocalDate(args.meeting);
  } catch {
    err(t(locale, 'cli.protocol.dateInvalid', { value: args.meeting.slice(0, 40) }));
    return 2;
  }
  // The protocol is the program's record: its language, unless --lang asks for another.
  const docLocale: Locale = args.lang ?? program.locale;
  const format = args.format;
  const result = await withReadStore(
    { config, timeZone: program.timezone, locale, err, stderr },
    async (repositories) => {
      const protocol = await loadProtocol({ program, repos: repositories }, { date }, docLocale);
      const blocks = protocolDocument(protocol, docLocale);
      const content =
        format === 'md'
          ? Buffer.from(protocolMarkdown(blocks), 'utf8')
          : format === 'html'
            ? Buffer.from(protocolHtml(blocks, docLocale), 'utf8')
            : await protocolPdf(blocks, {
                title: t(docLocale, 'protocol.title', { meeting: protocol.title }),
                created: clock.now(),
                language: docLocale,
              });
      return { content, count: protocol.paragraphs.length };
    },
  );
  if (!result) return 1;
  const { content, count } = result.value;
  const toStdout = args.out === '-';
  const file = toStdout
    ? undefined
    : path.resolve(cwd, args.out ?? path.join('exports', `protokoll-${date}.${format}`));
  const shownFile = file ?? t(locale, 'cli.stdout');
  const summary = t(locale, count === 0 ? 'cli.protocol.empty' : 'cli.protocol.written', {
    count,
    date,
    file: shownFile,
  });
  return deliverExport({ file, makeFolder: !args.out, content, summary, stdout, err, locale });
}
