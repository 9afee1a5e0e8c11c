import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A port that could not be listened on, named by the flag that chooses it. */
export class PortInUseError extends Error {
  readonly port: number;
  readonly flag: string;
  constructor(port: number, flag: string, options?: { cause?: unknown }) {
    super(`port ${port} is already in use: choose another with ${flag} (or stop what listens there)`, options);
    this.name = 'PortInUseError';
    this.port = port;
    this.flag = flag;
  }
}

/** A listening HTTP server and how to stop it. */
export interface RunningServer {
  server: Server;
  port: number;
  /** Stops listening and closes every connection, idle keep-alive ones included. */
  close(): Promise<void>;
}

/**
 * Listens on `host:port` (0: any free port). A port in use becomes a {@link PortInUseError} naming `flag`, instead of
 * the 'error' event that would otherwise go unhandled.
 */
export function listen(
  listener: RequestListener | Server,
  port: number,
  host: string,
  flag: string,
): Promise<RunningServer> {
  const server = typeof listener === 'function' ? createServer(listener) : listener;
  // Clients of the local platform keep connections alive; a stop must not wait for them.
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE' || error.code === 'EACCES'
          ? new PortInUseError(port, flag, { cause: error })
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve({ server, port: (server.address() as AddressInfo).port, close: () => closeServer(server) });
    });
  });
}

/** Stops a server: idle connections at once, busy ones after a second. */
function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) {
      resolve();
      return;
    }
    server.close(() => resolve());
    server.closeIdleConnections();
    // Requests still running get a moment to finish before their connections are cut.
    setTimeout(() => server.closeAllConnections(), 1000).unref();
  });
}

/** The request body, refused (413) above `limitBytes`. */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) throw new BodyTooLargeError(limitBytes);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A request body above the limit of {@link readBody}. */
export class BodyTooLargeError extends Error {
  constructor(limitBytes: number) {
    super(`the request body is larger than ${limitBytes} bytes`);
    this.name = 'BodyTooLargeError';
  }
}

/** Writes a whole response with its content length. */
export function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[]>,
  body: string | Buffer,
): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}
