/** An action's status as a badge: the word, on the status's colour. */
import type { ActionStatus } from '../../domain/types';
import { esc, type Tr } from '../html';

export function statusBadge(status: ActionStatus, tx: Tr): string {
  return `<span class="ks-badge ks-badge-${status}">${esc(tx(`status.${status}`))}</span>`;
}
