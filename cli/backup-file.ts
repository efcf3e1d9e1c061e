/**
 * The backup file on disk: JSON Lines, gzipped when its name ends in `.gz`. It is written beside
 * its final name and moved there only when complete, so a backup that failed never looks like one,
 * and readable by its owner only (it holds the record and people's names).
 */
import * as fs from 'node:fs';
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import * as zlib from 'node:zlib';

export const isGzipName = (file: string): boolean => file.toLowerCase().endsWith('.gz');

/** Lines to a plain file, waiting whenever the stream's buffer is full. */
export interface LineWriter {
  write(line: string): Promise<void>;
  end(): Promise<void>;
}

export function lineWriter(file: string): LineWriter {
  const stream: Writable = fs.createWriteStream(file, { flags: 'wx', mode: 0o600 });
  let failed: unknown;
  stream.on('error', (e) => (failed = e));
  return {
    async write(line) {
      if (failed) throw failed;
      // `once` rejects if the stream fails while we wait.
      if (!stream.write(`${line}\n`)) await once(stream, 'drain');
    },
    async end() {
      if (failed) throw failed;
      await new Promise<void>((resolve, reject) => {
        stream.once('error', reject);
        stream.end(() => resolve());
      });
    },
  };
}

/** `first` and then the bytes of `restFile` into `target` (created, never overwritten), gzipped if asked. */
export async function assemble(target: string, first: string, restFile: string, gzip: boolean): Promise<void> {
  async function* content() {
    yield Buffer.from(`${first}\n`, 'utf8');
    for await (const chunk of fs.createReadStream(restFile)) yield chunk as Buffer;
  }
  const out = fs.createWriteStream(target, { flags: 'wx', mode: 0o600 });
  if (gzip) await pipeline(Readable.from(content()), zlib.createGzip(), out);
  else await pipeline(Readable.from(content()), out);
}

/**
 * Moves the finished file to its name. Without `overwrite` an existing file is never replaced:
 * a hard link fails if the name exists; where links are not supported, it is checked first.
 */
export function publish(temp: string, file: string, overwrite: boolean): void {
  if (overwrite) {
    fs.renameSync(temp, file);
    return;
  }
  try {
    fs.linkSync(temp, file);
    fs.unlinkSync(temp);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' || fs.existsSync(file)) throw e;
    fs.renameSync(temp, file);
  }
}

export function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // A temporary file that cannot be removed is left behind; the backup itself is unaffected.
  }
}

/** The file's lines (gzip recognised by its first bytes, whatever the name), without line ends. */
export async function* readLines(file: string): AsyncGenerator<string> {
  const head = Buffer.alloc(2);
  const fd = fs.openSync(file, 'r');
  let got: number;
  try {
    got = fs.readSync(fd, head, 0, 2, 0);
  } finally {
    fs.closeSync(fd);
  }
  const source = fs.createReadStream(file);
  let input: Readable = source;
  if (got === 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = zlib.createGunzip();
    source.on('error', (e) => gunzip.destroy(e));
    input = source.pipe(gunzip);
  }
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for await (const chunk of input) {
      const lines = (rest + decoder.write(chunk as Buffer)).split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) yield line.replace(/\r$/, '');
    }
    rest += decoder.end();
    if (rest !== '') yield rest.replace(/\r$/, '');
  } finally {
    source.destroy();
    input.destroy();
  }
}
