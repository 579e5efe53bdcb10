// The lab's STUN/TURN server: Debian's coturn with a shared secret (the TURN
// REST scheme), whose time-limited credentials Prosody's mod_turn_external
// hands out through XEP-0215. Used by `npm start` and the end-to-end tests.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LabError, assertPortFree, ensureDebianPackage, stopper, waitForPort } from './prosody.mjs';

/** Installs Debian's coturn when it is missing. */
export const ensureCoturn = (log = console.log) =>
  ensureDebianPackage({ name: 'coturn', pkg: 'coturn', commands: ['turnserver'], service: 'coturn', log });

/** A fresh shared secret for one run of the lab: Prosody and coturn get the same. */
export const newTurnSecret = () => randomBytes(18).toString('base64url');

async function lastLogLine(file) {
  try {
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    return lines.filter((l) => /error|cannot|fail/i.test(l)).pop() ?? lines.pop() ?? '';
  } catch {
    return '';
  }
}

/**
 * Starts coturn in the foreground of a child process, listening (UDP and TCP)
 * on `port` of every address in `addresses` and relaying from the first;
 * resolves once its TCP listener answers.
 * @param {{ dir: string, addresses: string[], port: number, secret: string, realm: string, externalHost?: string, timeoutMs?: number }} options
 */
export async function startCoturn({ dir, addresses, port, secret, realm, externalHost, timeoutMs = 10000 }) {
  dir = resolve(dir);
  await mkdir(dir, { recursive: true });
  // coturn shares its ports with another coturn instead of failing: look first.
  for (const address of addresses) await assertPortFree(port, 'STUN/TURN', address, { udp: true });
  const logFile = join(dir, 'coturn.log');
  const args = [
    '-n', // no /etc/turnserver.conf: everything is said here
    '--listening-port', String(port),
    ...addresses.flatMap((a) => ['--listening-ip', a]),
    '--relay-ip', addresses[0],
    ...(externalHost && externalHost !== addresses[0] ? ['--external-ip', externalHost] : []),
    '--use-auth-secret', '--static-auth-secret', secret,
    '--realm', realm,
    '--fingerprint',
    // The lab's parties are on this machine, often on loopback.
    '--allow-loopback-peers',
    '--no-multicast-peers',
    '--no-tls', '--no-dtls', '--no-cli',
    '--db', join(dir, 'turndb'),
    '--pidfile', join(dir, 'coturn.pid'),
    '--log-file', logFile, '--simple-log', '--no-stdout-log',
  ];
  const child = spawn('turnserver', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const deadline = Date.now() + timeoutMs;
  const ready = Promise.all(addresses.map((a) => waitForPort(port, deadline, a, 'coturn')));
  const outcome = await Promise.race([ready.then(() => 'ready', (err) => err), exited.then((code) => ({ code }))]);
  if (outcome !== 'ready') {
    child.kill('SIGKILL');
    const why = (await lastLogLine(logFile)) || output.trim().split('\n').pop() || (outcome instanceof Error ? outcome.message : `exit code ${outcome.code}`);
    throw new LabError(`coturn did not start on port ${port}: ${why.replace(/\s+/g, ' ').slice(0, 300)}`);
  }
  return { child, stop: stopper(child, exited) };
}
