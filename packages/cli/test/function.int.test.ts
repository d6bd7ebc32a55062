import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { eds, STACK_FRAME } from './run.js';

const BIN = fileURLToPath(new URL('../bin/eds.js', import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => {
        resolve(port);
      });
    });
  });
}

describe('eds function serve', () => {
  it('listens, then stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [
      BIN,
      'function',
      'serve',
      '--insecure',
      '--address',
      `127.0.0.1:${port}`,
    ]);
    let out = '';
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('function listening')) resolve();
      });
    });
    const code = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await code).toBe(0);
  });

  it('exits 2 with a message when the port is taken', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const { port } = blocker.address() as { port: number };
    const r = await eds(['function', 'serve', '--insecure', '--address', `127.0.0.1:${port}`]);
    blocker.close();
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`eds: 127.0.0.1:${port} is already in use`);
    expect(r.stderr).not.toMatch(STACK_FRAME);
  });

  it('exits 2 without certificates unless --insecure', async () => {
    const r = await eds(['function', 'serve', '--address', '127.0.0.1:0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no TLS certificates: pass --tls-certs-dir DIR');
  });
});
