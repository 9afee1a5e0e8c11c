import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** The state folder is held by a running platform: two would corrupt each other's data. */
export class StateDirInUseError extends Error {
  override readonly name = 'StateDirInUseError';
  constructor(
    readonly stateDir: string,
    readonly pid: number,
  ) {
    super(
      `the state folder ${stateDir} is in use by a running Tillflow platform (process ${pid}): stop it first, or ` +
        'choose another folder with --state-dir',
    );
  }
}

/** A held state folder; `release()` gives it up (at stop). */
export interface StateLock {
  release(): void;
}

const LOCK_FILE = 'tillflow.lock';

/**
 * Takes the state folder for this process: a lock file created exclusively (`wx`), holding the process id. A lock
 * left by a process that no longer runs (killed with SIGKILL, a crash) is taken over: nothing of that run can still
 * write. A lock of a live process is refused with a {@link StateDirInUseError} naming the folder and the process.
 */
export function lockStateDir(stateDir: string): StateLock {
  mkdirSync(stateDir, { recursive: true });
  const file = join(stateDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = lockHolder(file);
      if (holder !== undefined && isRunning(holder)) throw new StateDirInUseError(stateDir, holder);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take ${file}: another process keeps creating it`);
}

function lockHolder(file: string): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown }).pid;
    return typeof pid === 'number' && Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    // Half written by a process killed while taking it: nobody holds it.
    return undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
