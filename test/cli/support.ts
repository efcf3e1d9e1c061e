/** Shared by the CLI tests: an output sink and a copy of the default program in another language. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Locale } from '../../domain/types';

const DEFAULT_PROGRAM = path.join(__dirname, '..', '..', 'config', 'program.default.json');

export interface Sink {
  text: string;
  isTTY: boolean;
  write(chunk: string | Uint8Array): boolean;
}

/** Collects what a CLI writes; `isTTY` makes it look like a terminal. */
export function sink(isTTY = false): Sink {
  const s: Sink = {
    text: '',
    isTTY,
    write(chunk) {
      s.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      return true;
    },
  };
  return s;
}

/** Writes the default program with another locale into `dir`; returns the file (for PROGRAM_FILE). */
export function programFile(dir: string, locale: Locale): string {
  const program = JSON.parse(fs.readFileSync(DEFAULT_PROGRAM, 'utf8')) as Record<string, unknown>;
  const file = path.join(dir, `program-${locale}.json`);
  fs.writeFileSync(file, JSON.stringify({ ...program, locale }));
  return file;
}

/** What a person sees on a terminal: carriage returns redraw the line, `ESC[K` wipes the rest of it. */
export function screen(text: string): string {
  return text
    .split('\n')
    .map((line) => {
      let shown = '';
      for (const part of line.split('\r')) {
        const wipe = part.indexOf('\u001b[K');
        const drawn = wipe >= 0 ? part.slice(0, wipe) + part.slice(wipe + 3) : part;
        shown = wipe >= 0 ? drawn : drawn + shown.slice(drawn.length);
      }
      return shown;
    })
    .join('\n');
}
