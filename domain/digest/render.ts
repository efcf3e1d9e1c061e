/**
 * The digest in one of its file formats: Markdown (newsletter), standalone HTML (intranet) or
 * JSON (other tools), as `npm run digest` writes it.
 */
import type { Locale } from '../types';
import { renderHtml } from './html';
import { renderMarkdown } from './markdown';
import type { Digest } from './model';

/** The digest data itself (schema `kraftsamla.digest/1`), pretty-printed. */
export function renderJson(digest: Digest): string {
  return `${JSON.stringify(digest, null, 2)}\n`;
}

export type DigestFormat = 'md' | 'html' | 'json';

export function renderDigest(digest: Digest, locale: Locale, format: DigestFormat): string {
  switch (format) {
    case 'md':
      return renderMarkdown(digest, locale);
    case 'html':
      return renderHtml(digest, locale);
    case 'json':
      return renderJson(digest);
  }
}
