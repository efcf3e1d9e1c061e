/**
 * A plan file sent to the bot and kept until it is applied or cancelled (./upload.ts): the stored
 * row, and the repository that keeps it. It imports nothing, so the domain's ports can name the
 * repository without importing the upload's logic (which uses those ports).
 */
export type UploadState = 'pending' | 'applying' | 'applied' | 'cancelled';

export interface UploadPerson {
  /** Entra object id when Teams sent one, else the Teams user id. */
  id: string;
  name: string;
}

/** What the apply wrote, kept on the upload row so a second press can say what the first did. */
export interface UploadSummary {
  added: number;
  updated: number;
  unchanged: number;
  events: number;
}

export interface PlanUpload {
  programId: string;
  /** Derived from the conversation and message id: a redelivered message finds its upload. */
  id: string;
  /** The file name as sent (shown inert). */
  fileName: string;
  size: number;
  /** SHA-256 of the bytes, hex. */
  contentHash: string;
  /** What the preview showed (see `previewFingerprint`). */
  previewFingerprint: string;
  state: UploadState;
  uploadedBy: UploadPerson;
  uploadedAt: string;
  claimedAt?: string;
  claimedBy?: string;
  /** When it was applied or cancelled, and by whom. */
  finishedAt?: string;
  finishedBy?: UploadPerson;
  summary?: UploadSummary;
  etag?: string;
}

export interface PlanUploadRepository {
  /** Stores the upload row and its bytes; ConcurrencyError when that id exists already. */
  create(upload: PlanUpload, content: Buffer): Promise<PlanUpload>;
  get(programId: string, id: string): Promise<PlanUpload | undefined>;
  /** The program's uploads (a handful: applied ones keep only their row). */
  list(programId: string): Promise<PlanUpload[]>;
  /** The stored bytes; undefined when they were dropped or never completely stored. */
  content(upload: Pick<PlanUpload, 'programId' | 'id'>): Promise<Buffer | undefined>;
  /** Replaces the row when `upload.etag` still matches; otherwise ConcurrencyError. */
  update(upload: PlanUpload): Promise<PlanUpload>;
  /** Deletes the stored bytes (the row stays, as the record of what was done). */
  dropContent(upload: Pick<PlanUpload, 'programId' | 'id'>): Promise<void>;
}
