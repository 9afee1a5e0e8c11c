import { listen } from '../servers/http';

/**
 * Checks that every fixed port can be listened on, before the platform creates anything (the state folder, the
 * storage process): a port in use then fails the start with a `PortInUseError` naming its flag, and leaves nothing
 * behind. Port 0 (any free port) needs no check. A port taken between this check and the server's start still fails
 * that server's start the same way.
 */
export async function checkPortsFree(
  ports: Readonly<Record<string, number>>,
  flags: Readonly<Record<string, string>>,
  host: string,
): Promise<void> {
  for (const [key, port] of Object.entries(ports)) {
    if (port === 0) continue;
    const probe = await listen(() => undefined, port, host, flags[key] ?? `--${key}-port`);
    await probe.close();
  }
}
