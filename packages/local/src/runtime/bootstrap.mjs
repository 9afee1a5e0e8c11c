/**
 * The runtime inside one execution environment (a worker thread), in the role of Lambda's Node.js runtime interface
 * client: it imports the function's bundle once (the cold start), then answers invocations one at a time with the
 * handler's JSON result or its error as Lambda reports it (`errorType` = the error's `name`). Plain JavaScript, so
 * that nothing but the bundle and Node itself runs in the environment (no TypeScript loader, as in Lambda).
 *
 * Protocol with `environment.ts`: this side posts `ready` or `init-error` once, then `result` or `error` per `invoke`.
 */

import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { entry, handlerName, handlerSetting } = workerData;

/** An error as Lambda's runtime reports it: the name Step Functions matches, the message, the stack lines. */
function describe(error) {
  if (error instanceof Error) {
    return {
      errorType: error.name || 'Error',
      errorMessage: error.message,
      trace: String(error.stack ?? '').split('\n'),
    };
  }
  return { errorType: 'Error', errorMessage: String(error), trace: [] };
}

function unsupported() {
  throw new Error('the callback-style context methods are not supported; return or throw from an async handler');
}

let handler;
const initStarted = performance.now();
try {
  const module = await import(pathToFileURL(entry).href);
  handler = module[handlerName];
  if (typeof handler !== 'function') {
    const error = new Error(`${handlerSetting} is undefined or not exported`);
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  parentPort.postMessage({ type: 'ready', initMs: performance.now() - initStarted });
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(entry)) {
    error.name = 'Runtime.ImportModuleError';
  }
  // An error thrown while the module loads is a failed cold start (a missing variable, for one): it keeps its name.
  parentPort.postMessage({ type: 'init-error', error: describe(error) });
}

parentPort.on('message', async (message) => {
  if (message.type !== 'invoke') return;
  const { id, deadline } = message;
  const context = {
    ...message.context,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
  try {
    const result = await handler(JSON.parse(message.event), context);
    // Lambda serialises the result as JSON: `undefined` becomes null, class instances plain objects.
    parentPort.postMessage({ type: 'result', id, payload: JSON.stringify(result ?? null) });
  } catch (error) {
    parentPort.postMessage({ type: 'error', id, error: describe(error) });
  }
});
