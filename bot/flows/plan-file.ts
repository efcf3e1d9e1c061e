/**
 * The file a person sent the bot: the `file.download.info` attachment Teams delivers (or the
 * HTML it puts in channels and group chats), and its download from the pre-authorised,
 * short-lived URL — a plain GET with a deadline and a size limit, refused when the answer is not
 * the file.
 */
import type { TurnContext } from 'botbuilder';

const FILE_INFO = 'application/vnd.microsoft.teams.file.download.info';
/** Longest a download may take: the URL is short-lived and someone is waiting for the answer. */
const DOWNLOAD_TIMEOUT_MS = 30_000;

export interface SentFile {
  name: string;
  downloadUrl?: string;
}

interface RawAttachment {
  contentType?: string;
  name?: string;
  content?: unknown;
}

function attachmentsOf(context: TurnContext): RawAttachment[] {
  return Array.isArray(context.activity.attachments) ? (context.activity.attachments as RawAttachment[]) : [];
}

export function sentFiles(context: TurnContext): SentFile[] {
  return attachmentsOf(context)
    .filter((a) => a.contentType === FILE_INFO)
    .map((a) => {
      const content = a.content && typeof a.content === 'object' ? (a.content as { downloadUrl?: unknown }) : {};
      return {
        name: typeof a.name === 'string' && a.name ? a.name : 'fil',
        downloadUrl: typeof content.downloadUrl === 'string' ? content.downloadUrl : undefined,
      };
    });
}

/**
 * Whether a message carries a file: the personal-chat attachment, or in a channel or group chat
 * what Teams sends there instead (an attachment with a file name, or the message's HTML holding
 * an `<attachment>` element).
 */
export function carriesFile(context: TurnContext): boolean {
  if (context.activity.type !== 'message') return false;
  return attachmentsOf(context).some(
    (a) =>
      a.contentType === FILE_INFO ||
      (typeof a.name === 'string' && /\.(xlsx|xls|csv)$/i.test(a.name)) ||
      (a.contentType === 'text/html' && typeof a.content === 'string' && /<attachment\b/i.test(a.content)),
  );
}

// ---------------------------------------------------------------------------------------------
// Download

export type Download =
  { ok: true; content: Buffer } | { ok: false; reason: 'expired' | 'failed' | 'tooLarge' | 'notTheFile' };

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** HTTPS only (Teams' links are SharePoint/OneDrive); plain HTTP only to this machine (tests, the Playground). */
function allowedUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || (u.protocol === 'http:' && LOOPBACK.has(u.hostname));
  } catch {
    return false;
  }
}

function looksLikeHtml(content: Buffer): boolean {
  return /^\s*<(!doctype\s+html|html)\b/i.test(
    content
      .subarray(0, 512)
      .toString('latin1')
      .replace(/^\uFEFF|^ï»¿/, ''),
  );
}

/** Fetches a pre-authorised download URL: no Authorization header, at most `maxBytes`. */
export async function download(url: string, maxBytes: number): Promise<Download> {
  if (!allowedUrl(url)) return { ok: false, reason: 'failed' };
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) });
  } catch {
    return { ok: false, reason: 'failed' };
  }
  if (res.url && !allowedUrl(res.url)) {
    await res.body?.cancel().catch(() => undefined);
    return { ok: false, reason: 'failed' };
  }
  if ([401, 403, 404, 410].includes(res.status)) {
    await res.body?.cancel().catch(() => undefined);
    return { ok: false, reason: 'expired' };
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => undefined);
    return { ok: false, reason: 'failed' };
  }
  const announced = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(announced) && announced > maxBytes) {
    await res.body.cancel().catch(() => undefined);
    return { ok: false, reason: 'tooLarge' };
  }
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    const reader = res.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: 'tooLarge' };
      }
      chunks.push(Buffer.from(value));
    }
  } catch {
    return { ok: false, reason: 'failed' };
  }
  const content = Buffer.concat(chunks);
  if ((res.headers.get('content-type') ?? '').toLowerCase().startsWith('text/html') || looksLikeHtml(content))
    return { ok: false, reason: 'notTheFile' };
  return { ok: true, content };
}
