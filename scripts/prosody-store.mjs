// Accounts and rosters written straight into Prosody 0.12's internal storage
// (one Lua table per user and store), for benchmarks that need hundreds of
// accounts: `prosodyctl register` takes a third of a second each.
import { createHash, createHmac, pbkdf2Sync, randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DOMAIN, storeName } from './prosody.mjs';

/** A Lua string literal; only printable ASCII is written, which is all the benchmark names hold. */
function lua(text) {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error(`not printable ASCII: ${text}`);
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

const userFile = (dir, store, user, host) => join(resolve(dir), 'data', storeName(host), store, `${storeName(user)}.dat`);

async function writeStore(dir, store, user, host, body) {
  const file = userFile(dir, store, user, host);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, `return {\n${body}};\n`);
}

/**
 * An account as mod_auth_internal_hashed keeps it: the SCRAM-SHA-1 stored and
 * server keys (RFC 5802 §3). A low `iterations` makes logging in cheap for a
 * client that hashes in JavaScript; Prosody only warns below 4096.
 */
export async function writeAccount(dir, user, password, { host = DOMAIN, iterations = 4096 } = {}) {
  const salt = randomUUID();
  const salted = pbkdf2Sync(password, salt, iterations, 20, 'sha1');
  const clientKey = createHmac('sha1', salted).update('Client Key').digest();
  const storedKey = createHash('sha1').update(clientKey).digest('hex');
  const serverKey = createHmac('sha1', salted).update('Server Key').digest('hex');
  await writeStore(dir, 'accounts', user, host,
    `  ["stored_key"] = ${lua(storedKey)};\n  ["server_key"] = ${lua(serverKey)};\n  ["salt"] = ${lua(salt)};\n  ["iteration_count"] = ${iterations};\n`);
}

/**
 * A roster as core/rostermanager.lua stores it: the metadata under `false`
 * (version, pending requests), then one item per bare JID.
 * @param {{ jid: string, name?: string, subscription?: string }[]} items
 */
export async function writeRoster(dir, user, items, { host = DOMAIN } = {}) {
  const lines = items.map(({ jid, name, subscription = 'both' }) =>
    `  [${lua(jid)}] = { ["subscription"] = ${lua(subscription)}; ["groups"] = {}; ${name ? `["name"] = ${lua(name)}; ` : ''}};\n`);
  await writeStore(dir, 'roster', user, host, `  [false] = { ["version"] = 1; ["pending"] = {}; };\n${lines.join('')}`);
}
