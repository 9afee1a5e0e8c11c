import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LOCAL_CREDENTIALS } from '../env';
import { SettledSignal } from '../settled';
import { PortInUseError } from './http';

/** An object written to the bucket, as the storage process reports it (the key as stored: not URL-encoded). */
export interface ObjectCreated {
  /** `ObjectCreated:Put`, `:Copy` or `:Post` (multipart uploads and browser POSTs). */
  eventName: string;
  bucket: string;
  key: string;
  size: number;
  /** Bare, without quotes. */
  etag: string;
  requestId: string;
  sourceIp: string;
  time: string;
}

/** How the storage process is configured (its first argument, as JSON). */
export interface StorageConfig {
  host: string;
  verbose: boolean;
  s3: { port: number; flag: string; dir: string; bucket: string };
  /** `path` is the LevelDB folder; DynamoDB is in memory without it. */
  dynamodb: { port: number; flag: string; path?: string };
}

/** Parent → storage process. */
export type StorageMessage = { type: 'ack'; id: number } | { type: 'stop' };

/** Storage process → parent. */
export type StorageReply =
  | { type: 'ready'; s3Port: number; dynamodbPort: number }
  | { type: 'failed'; error: { name: string; message: string; port?: number | undefined; flag?: string | undefined } }
  | { type: 's3-event'; id: number; event: ObjectCreated };

/** The running storage process, seen from the platform. */
export interface Storage {
  s3Port: number;
  dynamodbPort: number;
  /** Object-created events whose handler has not finished. */
  readonly pendingEvents: number;
  /** Resolves the next time an event's handler finishes. */
  nextSettled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the storage process (S3 and DynamoDB servers, see `storage-process.ts`) and resolves once both listen.
 * `onObjectCreated` is called for each object written; the writer's request is answered when it has finished.
 */
export function startStorage(
  config: StorageConfig,
  onObjectCreated: (event: ObjectCreated) => void | Promise<void>,
): Promise<Storage> {
  const entry = fileURLToPath(new URL('./storage-process.ts', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const child: ChildProcess = fork(entry, [JSON.stringify(config)], {
    execArgv: ['--openssl-legacy-provider', '--import', tsx],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      // In the environment, not the arguments (visible to every user in `ps`): the keys it verifies signatures with.
      TILLFLOW_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      TILLFLOW_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    },
  });
  let pending = 0;
  const settled = new SettledSignal();
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return new Promise((resolve, reject) => {
    let ready = false;
    child.once('error', reject);
    void exited.then((code) => {
      if (!ready) reject(new Error(`the storage process (S3, DynamoDB) exited with code ${code} before it was ready`));
    });
    child.on('message', (message: StorageReply) => {
      if (message.type === 'failed') {
        const { name, message: text, port, flag } = message.error;
        reject(
          name === 'PortInUseError' && port !== undefined && flag ? new PortInUseError(port, flag) : new Error(text),
        );
      } else if (message.type === 's3-event') {
        pending++;
        void Promise.resolve()
          .then(() => onObjectCreated(message.event))
          .catch((error: Error) =>
            process.stderr.write(`tillflow: an S3 event could not be routed: ${error.message}\n`),
          )
          .finally(() => {
            pending--;
            if (child.connected) child.send({ type: 'ack', id: message.id } satisfies StorageMessage);
            settled.notify();
          });
      } else if (message.type === 'ready') {
        ready = true;
        resolve({
          s3Port: message.s3Port,
          dynamodbPort: message.dynamodbPort,
          get pendingEvents() {
            return pending;
          },
          nextSettled: () => settled.next(),
          async stop() {
            if (child.exitCode !== null) return;
            if (child.connected) child.send({ type: 'stop' } satisfies StorageMessage);
            const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
            await exited;
            clearTimeout(timer);
          },
        });
      }
    });
  });
}
