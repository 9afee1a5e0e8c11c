/**
 * The `tillflow` CLI entry (`npm start`, `bin/tillflow.js`). The first SIGINT/SIGTERM stops gracefully (running
 * workflows get a few seconds to finish); a second one quits at once.
 */
import { runCommand } from './command';

// A reader that goes away (`tillflow | head`) must not crash the platform: the output is dropped, the work goes on.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

let requestStop: () => void = () => undefined;
const stopSignal = new Promise<void>((resolve) => {
  requestStop = resolve;
});
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signals++;
    if (signals > 1) process.exit(130);
    process.stderr.write('tillflow: stopping (again to quit at once)…\n');
    requestStop();
  });
}

const code = await runCommand(process.argv.slice(2), { stopSignal });
// SDK clients' keep-alive sockets and handlers' timers must not hold the command open once it is done.
process.exit(code);
