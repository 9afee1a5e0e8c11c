/** The parts of s3rver 3 and dynalite 4 (untyped CommonJS packages) that the local platform uses. */

declare module 's3rver' {
  import type { EventEmitter } from 'node:events';
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface S3rverOptions {
    directory: string;
    silent?: boolean;
    vhostBuckets?: boolean;
    allowMismatchedSignatures?: boolean;
    configureBuckets?: { name: string; configs?: (string | Buffer)[] }[];
  }

  /** One record of the S3 notification s3rver emits: keys as stored (not URL-encoded), ETags bare. */
  export interface S3NotificationRecord {
    eventName: string;
    eventTime: string;
    requestParameters: { sourceIPAddress: string };
    responseElements: { 'x-amz-request-id': string };
    s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
  }

  /** s3rver's filesystem store: the methods the platform reads or wraps (see `cacheBucketLookups`). */
  interface FilesystemStore {
    getMetadata(bucket: string, key: string): Promise<Record<string, string>>;
    getBucket(bucket: string): Promise<unknown>;
    putBucket(bucket: string): Promise<unknown>;
    deleteBucket(bucket: string): Promise<unknown>;
    getSubresource(bucket: string, key: string | undefined, resourceType: string): Promise<unknown>;
    putSubresource(bucket: string, key: string | undefined, resource: { type: string }): Promise<unknown>;
    deleteSubresource(bucket: string, key: string | undefined, resourceType: string): Promise<unknown>;
  }

  type KoaMiddleware = (ctx: unknown, next: () => Promise<void>) => Promise<void>;

  class S3rver extends EventEmitter {
    constructor(options: S3rverOptions);
    configureBuckets(): Promise<void>;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    /** Koa's middleware list, composed when `callback()` is called. */
    middleware: KoaMiddleware[];
    store: FilesystemStore;
    on(event: 'event', listener: (notification: { Records: S3NotificationRecord[] }) => void): this;
  }

  export default S3rver;
}

declare module 'dynalite' {
  import type { Server } from 'node:http';

  interface DynaliteOptions {
    /** LevelDB folder; in memory without it. */
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
  }

  export default function dynalite(options?: DynaliteOptions): Server;
}

/** The part of nodemailer 10 (untyped ESM) that the local SES uses: MailComposer, which builds a MIME message. */
declare module 'nodemailer/lib/mail-composer' {
  type Addresses = string | string[];

  interface MailOptions {
    from?: string;
    to?: Addresses;
    cc?: Addresses;
    bcc?: Addresses;
    replyTo?: Addresses;
    subject?: string;
    text?: string;
    html?: string;
    headers?: Record<string, string>;
    messageId?: string;
    date?: Date | string;
  }

  /** A built MIME tree; `keepBcc` keeps the Bcc header in the output. */
  interface MimeNode {
    keepBcc: boolean;
    build(): Promise<Buffer>;
  }

  export default class MailComposer {
    constructor(mail: MailOptions);
    compile(): MimeNode;
  }
}
