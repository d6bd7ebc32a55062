/**
 * `--secret NAME=FILE`: a Secret the claim names, made from a local dotenv file (`KEY=value`
 * lines, `#` comments, quoted values), as the node agent's env resolution reads Secrets.
 */
import type { ObjectData } from '@eds/node-agent';
import { readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { UsageError } from '../errors.js';

/** A dotenv file larger than this is refused: a Secret holds at most 1 MiB. */
const MAX_SECRET_BYTES = 1024 * 1024;
const SECRET_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

export function parseSecretOption(value: string): { name: string; file: string } {
  const eq = value.indexOf('=');
  const name = value.slice(0, eq);
  const file = value.slice(eq + 1);
  if (eq <= 0 || file === '' || !SECRET_NAME.test(name))
    throw new UsageError(
      'bad-secret',
      `--secret ${JSON.stringify(value)} is not NAME=FILE with a Secret's name; e.g. --secret orders-db=.env.orders-db`,
    );
  return { name, file };
}

/** The Secrets given, by name; a file that cannot be read or is too large is a usage error. */
export function readSecrets(options: readonly string[]): Map<string, ObjectData> {
  const secrets = new Map<string, ObjectData>();
  for (const option of options) {
    const { name, file } = parseSecretOption(option);
    let text: string;
    try {
      const bytes = readFileSync(file);
      if (bytes.byteLength > MAX_SECRET_BYTES)
        throw new Error(`it is over ${MAX_SECRET_BYTES / 1024} KiB, more than a Secret holds`);
      text = bytes.toString('utf8');
    } catch (e) {
      throw new UsageError(
        'bad-secret',
        `--secret ${name}: cannot read ${JSON.stringify(file)}: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    const values = parseEnv(text);
    secrets.set(name, {
      strings: {},
      bytes: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Buffer.from(v ?? '')])),
    });
  }
  return secrets;
}
