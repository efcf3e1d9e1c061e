/**
 * The delivery records of a fan-out: one per batch and target, saying whether that post went out.
 * ./fanout.ts reads and writes them; storage implements the repository. They have a file of their
 * own because domain/ports.ts names the repository among all the others, and ports.ts is what
 * ./fanout.ts itself imports.
 */

/**
 * `uncertain`: the post may have reached Teams without an answer (no answer in time, connection
 * lost after sending, 500, 504); it is not posted again.
 */
export type DeliveryStatus = 'pending' | 'sent' | 'failed' | 'blocked' | 'uncertain';

export interface DeliveryRecord {
  key: string;
  status: DeliveryStatus;
  channelId: string;
  messageId?: string;
  threadId?: string;
  /** Runs that tried this delivery. */
  runs: number;
  retries: number;
  error?: string;
  updatedAt: string;
  /** The run that claimed the delivery (while `pending`). */
  owner?: string;
  /** Until when the claim holds; after it, another run may take the delivery over. */
  leaseUntil?: string;
  /** The stored version; set by the repository when read or written. */
  etag?: string;
}

export interface DeliveryRepository {
  get(programId: string, batch: string, key: string): Promise<DeliveryRecord | undefined>;
  /** Writes whatever is stored (no version check). */
  save(programId: string, batch: string, record: DeliveryRecord): Promise<void>;
  /**
   * Creates the record when it has no `etag`, else replaces it only if the stored version is
   * still `etag`. Throws ConcurrencyError when another run wrote first. Returns the new version.
   */
  put(programId: string, batch: string, record: DeliveryRecord): Promise<DeliveryRecord>;
  list(programId: string, batch: string): Promise<DeliveryRecord[]>;
}
