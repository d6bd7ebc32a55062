/**
 * Running one probe or lifecycle handler: `httpGet` (success is a status from 200 to 399; the
 * certificate is not checked for HTTPS, as the kubelet does not), `tcpSocket` (a connection),
 * `exec` (exit 0; the command runs as a process with the container's env), and for hooks
 * `sleep`. gRPC probes are not supported and fail with a message saying so.
 */
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { Probe } from './kube-types.js';

export interface ProbeContext {
  /** The pod's IP: the default host. */
  readonly host: string;
  /** The port a probe names (a number, or a container port's name), as reached on this machine. */
  readonly port: (port: number | string) => number | undefined;
  readonly env: Readonly<Record<string, string>>;
  readonly cwd: string;
  readonly timeoutMs: number;
}

export interface Outcome {
  readonly ok: boolean;
  readonly message: string;
}

/** The User-Agent the kubelet's HTTP prober sends (pkg/probe/http). */
const USER_AGENT = 'kube-probe/1.35';

type Handler = Pick<Probe, 'httpGet' | 'tcpSocket' | 'exec' | 'grpc'> & {
  sleep?: { seconds: number };
};

export async function runHandler(handler: Handler, ctx: ProbeContext): Promise<Outcome> {
  if (handler.exec !== undefined) return execProbe(handler.exec.command ?? [], ctx);
  if (handler.httpGet !== undefined) {
    const h = handler.httpGet;
    const port = ctx.port(h.port);
    if (port === undefined) return { ok: false, message: `unknown port ${JSON.stringify(h.port)}` };
    return httpProbe(
      h.scheme === 'HTTPS',
      h.host ?? ctx.host,
      port,
      h.path ?? '/',
      h.httpHeaders ?? [],
      ctx.timeoutMs,
    );
  }
  if (handler.tcpSocket !== undefined) {
    const port = ctx.port(handler.tcpSocket.port);
    if (port === undefined)
      return { ok: false, message: `unknown port ${JSON.stringify(handler.tcpSocket.port)}` };
    return tcpProbe(handler.tcpSocket.host ?? ctx.host, port, ctx.timeoutMs);
  }
  if (handler.sleep !== undefined) {
    const ms = handler.sleep.seconds * 1000;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return { ok: true, message: `slept ${handler.sleep.seconds}s` };
  }
  if (handler.grpc !== undefined)
    return { ok: false, message: 'grpc probes are not supported by the node agent' };
  return { ok: false, message: 'no handler the node agent supports' };
}

function httpProbe(
  tls: boolean,
  host: string,
  port: number,
  path: string,
  headers: readonly { name: string; value: string }[],
  timeoutMs: number,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const request = tls ? httpsRequest : httpRequest;
    const req = request(
      {
        host,
        port,
        path,
        method: 'GET',
        timeout: timeoutMs,
        rejectUnauthorized: false,
        headers: {
          'User-Agent': USER_AGENT,
          Accept: '*/*',
          ...Object.fromEntries(headers.map((h) => [h.name, h.value])),
        },
      },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        const ok = code >= 200 && code < 400;
        resolve({
          ok,
          message: ok ? '' : `HTTP probe failed with statuscode: ${code}`,
        });
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error(`Get "http://${host}:${port}${path}": context deadline exceeded`));
    });
    req.on('error', (err) => {
      resolve({ ok: false, message: err.message });
    });
    req.end();
  });
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve({ ok: true, message: '' });
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` });
    });
    socket.once('error', (err) => {
      resolve({ ok: false, message: err.message });
    });
  });
}

function execProbe(command: readonly string[], ctx: ProbeContext): Promise<Outcome> {
  return new Promise((resolve) => {
    const [file = '', ...args] = command;
    const child = spawn(file, args, {
      cwd: ctx.cwd,
      env: ctx.env,
      stdio: 'ignore',
      detached: true,
    });
    const timer = setTimeout(() => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // exited meanwhile
        }
      }
      resolve({ ok: false, message: `command timed out after ${ctx.timeoutMs / 1000}s` });
    }, ctx.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({ ok: false, message: err.message });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({
        ok: code === 0,
        message: code === 0 ? '' : `command exited with ${code ?? 'a signal'}`,
      });
    });
  });
}
