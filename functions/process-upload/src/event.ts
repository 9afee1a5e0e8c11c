import type { Static } from 'typebox';
import * as Type from 'typebox/type';

/**
 * process-upload's event: the object that was created, as upload-processor's first state picks it from the
 * EventBridge S3 "Object Created" event (`detail.bucket.name`, `detail.object.*`).
 */
export const UploadEvent = Type.Object({
  bucket: Type.String({ minLength: 3 }),
  key: Type.String({ minLength: 1 }),
  etag: Type.String({ minLength: 1 }),
  size: Type.Optional(Type.Integer({ minimum: 0 })),
  sequencer: Type.Optional(Type.String({ minLength: 1 })),
});
export type UploadEvent = Static<typeof UploadEvent>;
