/**
 * The storage process of the local platform: s3rver (S3) and dynalite (DynamoDB), run apart from the handlers so
 * that they use the second core, and with `--openssl-legacy-provider` whatever the host process runs with (s3rver's
 * ListObjectsV2 continuation tokens use DES, which Node ≥ 17 only has with it). Started by `storage.ts`; talks to it
 * over IPC. Each object-created event is handed to the parent, and the S3 response waits for the parent's
 * acknowledgement: when a PUT returns, its workflow is already registered, as `waitForIdle()` needs.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestListener } from 'node:http';
import dynalite from 'dynalite';
import S3rver, { type S3NotificationRecord } from 's3rver';
import { LOCAL_CREDENTIALS } from '../env';
import { listen, type RunningServer } from './http';
import type { ObjectCreated, StorageConfig, StorageMessage, StorageReply } from './storage';
import { dynamoAuthentication, s3Authentication } from './storage-auth';

const config = JSON.parse(process.argv[2] ?? '{}') as StorageConfig;

function reply(message: StorageReply): void {
  process.send?.(message);
}

const waitingAcks = new Map<number, () => void>();
let nextEventId = 1;
const requestEvents = new AsyncLocalStorage<Promise<void>[]>();

async function forward(record: S3NotificationRecord, s3: S3rver): Promise<void> {
  const { bucket, object } = record.s3;
  let etag = object.eTag;
  if (etag === undefined) {
    // s3rver leaves the ETag out of ObjectCreated:Copy records; S3 always sends it.
    const metadata = await s3.store.getMetadata(bucket.name, object.key);
    etag = String(JSON.parse(metadata.etag ?? '""'));
  }
  const event: ObjectCreated = {
    eventName: record.eventName,
    bucket: bucket.name,
    key: object.key,
    size: object.size ?? 0,
    etag,
    requestId: record.responseElements['x-amz-request-id'],
    sourceIp: record.requestParameters.sourceIPAddress,
    time: record.eventTime,
  };
  const id = nextEventId++;
  await new Promise<void>((resolve) => {
    waitingAcks.set(id, resolve);
    reply({ type: 's3-event', id, event });
  });
}

async function main(): Promise<void> {
  const s3 = new S3rver({
    directory: config.s3.dir,
    silent: !config.verbose,
    vhostBuckets: false,
    configureBuckets: [{ name: config.s3.bucket, configs: [PERMISSIVE_CORS] }],
  });
  s3.on('event', (notification) => {
    for (const record of notification.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const sent = forward(record, s3);
      const pending = requestEvents.getStore();
      if (pending) pending.push(sent);
    }
  });
  // First in the chain, so that the response leaves only once the parent has taken the request's events.
  s3.middleware.unshift(async (_ctx, next) => {
    const pending: Promise<void>[] = [];
    await requestEvents.run(pending, next);
    await Promise.all(pending);
  });
  // Before s3rver sees the request, so that it serves only verified ones (see storage-auth.ts for why here).
  s3.middleware.unshift(s3Authentication(LOCAL_CREDENTIALS));
  await s3.configureBuckets();
  cacheBucketLookups(s3.store);

  const servers: RunningServer[] = [];
  try {
    servers.push(await listen(s3.callback(), config.s3.port, config.host, config.s3.flag));
    const dynamo = dynalite({
      ...(config.dynamodb.path ? { path: config.dynamodb.path } : {}),
      createTableMs: 0,
      deleteTableMs: 0,
      updateTableMs: 0,
    });
    // dynalite checks no signature: its own listener is wrapped, on its own server (whose close also closes LevelDB).
    const [dynaliteListener] = dynamo.listeners('request') as RequestListener[];
    if (!dynaliteListener) throw new Error('dynalite has no request listener to put authentication in front of');
    dynamo.removeAllListeners('request');
    dynamo.on('request', dynamoAuthentication(dynaliteListener, LOCAL_CREDENTIALS));
    servers.push(await listen(dynamo, config.dynamodb.port, config.host, config.dynamodb.flag));
  } catch (error) {
    const e = error as Error & { port?: number; flag?: string };
    reply({ type: 'failed', error: { name: e.name, message: e.message, port: e.port, flag: e.flag } });
    await Promise.all(servers.map((s) => s.close()));
    process.exit(1);
  }

  const stop = async (): Promise<void> => {
    // dynalite's close also closes LevelDB, after the requests under way.
    await Promise.all(servers.map((s) => s.close()));
    process.exit(0);
  };
  process.on('message', (message: StorageMessage) => {
    if (message.type === 'ack') {
      waitingAcks.get(message.id)?.();
      waitingAcks.delete(message.id);
    } else if (message.type === 'stop') {
      void stop();
    }
  });
  // Ctrl-C in a terminal signals the whole process group: this process must outlive the parent's drain, which still
  // needs S3 and DynamoDB, and stops only when the parent says so (or is gone).
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined);
  // The parent is gone (killed, crashed): nothing else would stop this process.
  process.on('disconnect', () => void stop());
  reply({ type: 'ready', s3Port: servers[0]?.port ?? 0, dynamodbPort: servers[1]?.port ?? 0 });
}

/**
 * Keeps in memory what s3rver's filesystem store reads from disk on every request and what only bucket operations
 * change: whether the bucket exists (a `stat`) and the bucket's CORS and website configurations (two file reads, one
 * of them a missing file). Measured on the month's 330 uploads (docs/performance.md): those reads were the storage
 * process's largest cost, 5 s of its CPU profile in `open`, `fstat` and `close`. Writes go through the store as
 * before and drop what they change from the cache.
 */
function cacheBucketLookups(store: S3rver['store']): void {
  const buckets = new Map<string, ReturnType<typeof store.getBucket>>();
  const subresources = new Map<string, ReturnType<typeof store.getSubresource>>();
  const subKey = (bucket: string, key: string | undefined, type: string) => `${bucket}\0${key ?? ''}\0${type}`;
  const getBucket = store.getBucket.bind(store);
  const putBucket = store.putBucket.bind(store);
  const deleteBucket = store.deleteBucket.bind(store);
  const getSubresource = store.getSubresource.bind(store);
  const putSubresource = store.putSubresource.bind(store);
  const deleteSubresource = store.deleteSubresource.bind(store);
  const forgetBucket = (bucket: string): void => {
    buckets.delete(bucket);
    for (const k of subresources.keys()) if (k.startsWith(`${bucket}\0`)) subresources.delete(k);
  };
  store.getBucket = (bucket) => {
    let found = buckets.get(bucket);
    if (!found) {
      found = getBucket(bucket);
      buckets.set(bucket, found);
      // Only an existing bucket is remembered: a missing one may be created by hand in the folder.
      found.then(
        (b) => b || buckets.delete(bucket),
        () => buckets.delete(bucket),
      );
    }
    return found;
  };
  store.putBucket = (bucket) => {
    forgetBucket(bucket);
    return putBucket(bucket);
  };
  store.deleteBucket = async (bucket) => {
    forgetBucket(bucket);
    try {
      return await deleteBucket(bucket);
    } finally {
      forgetBucket(bucket);
    }
  };
  store.getSubresource = (bucket, key, type) => {
    // Object-level subresources (ACLs, tags) change with the object: only the bucket's own are cached.
    if (key !== undefined) return getSubresource(bucket, key, type);
    const k = subKey(bucket, key, type);
    let found = subresources.get(k);
    if (!found) {
      found = getSubresource(bucket, key, type);
      subresources.set(k, found);
      found.catch(() => subresources.delete(k));
    }
    return found;
  };
  store.putSubresource = async (bucket, key, resource) => {
    subresources.delete(subKey(bucket, key, resource.type));
    try {
      return await putSubresource(bucket, key, resource);
    } finally {
      subresources.delete(subKey(bucket, key, resource.type));
    }
  };
  store.deleteSubresource = async (bucket, key, type) => {
    subresources.delete(subKey(bucket, key, type));
    try {
      return await deleteSubresource(bucket, key, type);
    } finally {
      subresources.delete(subKey(bucket, key, type));
    }
  };
}

/** Any origin may read and write: the dashboard and stores' browsers run on other local origins. */
const PERMISSIVE_CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedMethod>POST</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedMethod>DELETE</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

main().catch((error: Error) => {
  reply({ type: 'failed', error: { name: error.name, message: error.message } });
  process.exit(1);
});
