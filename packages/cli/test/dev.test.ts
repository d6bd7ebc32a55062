/** The pure parts of `eds dev`: `--secret` files, finding nats-server, the publish subject. */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findNatsServer } from '../src/dev/local-nats.js';
import { concreteSubject } from '../src/dev/nats-client.js';
import { parseSecretOption, readSecrets } from '../src/dev/secrets.js';
import { UsageError } from '../src/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'eds-dev-unit-'));

describe('--secret NAME=FILE', () => {
  it('reads a dotenv file into the Secret the claim names', () => {
    const file = join(dir, 'db.env');
    writeFileSync(file, '# comment\nDB_URL="postgres://db/x"\nexport_me=1\nEMPTY=\n');
    const secrets = readSecrets([`orders-db=${file}`]);
    const data = secrets.get('orders-db');
    expect(
      Object.fromEntries(Object.entries(data?.bytes ?? {}).map(([k, v]) => [k, v.toString()])),
    ).toEqual({
      DB_URL: 'postgres://db/x',
      export_me: '1',
      EMPTY: '',
    });
  });

  it.each(['nope', '=file', 'Bad_Name=file', 'name='])('refuses %j, naming the form', (value) => {
    expect(() => parseSecretOption(value)).toThrow(
      /is not NAME=FILE with a Secret's name; e.g. --secret/,
    );
  });

  it('names the file it cannot read, and refuses one larger than a Secret', () => {
    expect(() => readSecrets([`db=${join(dir, 'missing.env')}`])).toThrow(UsageError);
    expect(() => readSecrets([`db=${join(dir, 'missing.env')}`])).toThrow(
      /--secret db: cannot read/,
    );
    const big = join(dir, 'big.env');
    writeFileSync(big, `K=${'x'.repeat(1024 * 1024)}\n`);
    expect(() => readSecrets([`db=${big}`])).toThrow(/more than a Secret holds/);
  });
});

describe('finding nats-server', () => {
  it('takes the first on PATH, and nothing when there is none', () => {
    const bin = join(dir, 'bin');
    writeFileSync(join(dir, 'nats-server'), '');
    expect(findNatsServer(dir, [])).toBeUndefined();
    chmodSync(join(dir, 'nats-server'), 0o755);
    expect(findNatsServer(`${bin}:${dir}`, [])).toBe(join(dir, 'nats-server'));
    expect(findNatsServer('', [])).toBeUndefined();
  });
});

describe('the subject test messages go to', () => {
  it.each([
    ['orders.>', 'orders.dev'],
    ['orders.*.new', 'orders.dev.new'],
    ['orders', 'orders'],
  ])('%s → %s', (pattern, subject) => {
    expect(concreteSubject(pattern)).toBe(subject);
  });
});
