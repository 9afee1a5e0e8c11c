import type { Static } from 'typebox';
import * as Type from 'typebox/type';
import { CursorParameter, DateParameter, LimitParameter, StoreParameter } from './common.schema';

/** The folders `GET /files` lists. */
export const FilePrefix = Type.Enum(['uploads', 'processed', 'rejected']);
export type FilePrefix = Static<typeof FilePrefix>;

/** `GET /files?prefix=&date=&store=&cursor=&limit=`. */
export const FilesQuery = Type.Object({
  prefix: FilePrefix,
  date: Type.Optional(DateParameter),
  store: Type.Optional(StoreParameter),
  cursor: Type.Optional(CursorParameter),
  limit: Type.Optional(LimitParameter),
});
export type FilesQuery = Static<typeof FilesQuery>;

/** One stored file. */
export const FileEntry = Type.Object({
  key: Type.String(),
  size: Type.Integer({ minimum: 0 }),
  last_modified: Type.String({ description: 'ISO 8601' }),
  /** The store and day the key names, when it names one (an unattributed rejection names none). */
  store_id: Type.Union([Type.String(), Type.Null()]),
  date: Type.Union([Type.String(), Type.Null()]),
  /** For rejected files: the count of rejected lines (0 when the whole file was rejected); else null. */
  rejected_lines: Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]),
  /** For rejected files: why the whole file was rejected, when it was; else null. */
  reason: Type.Union([Type.String(), Type.Null()]),
});
export type FileEntry = Static<typeof FileEntry>;

/** `GET /files` 200: a page of files in key order; `next_cursor` is null on the last page. */
export const FilesResponse = Type.Object({
  prefix: FilePrefix,
  files: Type.Array(FileEntry),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});
export type FilesResponse = Static<typeof FilesResponse>;

/** `GET /files/rejections?key=&cursor=&limit=`: `key` is a rejected file's key (under `rejected/`). */
export const RejectionsQuery = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 1024 }),
  cursor: Type.Optional(CursorParameter),
  limit: Type.Optional(LimitParameter),
});
export type RejectionsQuery = Static<typeof RejectionsQuery>;

/** A rejected line: its 1-based position in the file, the record as it came, and every reason. */
export const RejectedRecord = Type.Object({
  line: Type.Integer({ minimum: 1 }),
  record: Type.Unknown(),
  reasons: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
});
export type RejectedRecord = Static<typeof RejectedRecord>;

/** `GET /files/rejections` 200: the file's totals and a page of its rejected lines. */
export const RejectionsResponse = Type.Object({
  key: Type.String(),
  source_key: Type.String(),
  /** Why the whole file was rejected, when it was; else null. */
  reason: Type.Union([Type.String(), Type.Null()]),
  lines: Type.Integer({ minimum: 0 }),
  rejected: Type.Integer({ minimum: 0 }),
  records: Type.Array(RejectedRecord),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
});
export type RejectionsResponse = Static<typeof RejectionsResponse>;
