/**
 * What `eds dev` shows: each scaling decision with its reason, each replica's state changes and
 * output, and the replicas, lag and throughput. On a terminal the status is one line redrawn in
 * place under the log; otherwise it is printed when it changes and every 10 s. `--format json`
 * writes one JSON object per line (every second's status included), for scripts and tests.
 * Everything that came from the user's processes or the server is escaped (terminal.ts).
 */
import type { ScalingEvent } from '@eds/core';
import { printable, printableJson } from '../terminal.js';
import type { ReplicaEvent } from './replica.js';

export interface Tick {
  readonly t: number;
  readonly desired: number;
  readonly ready: number;
  /** Undefined when the lag could not be read. */
  readonly lag?: number;
  /** Acknowledged messages per second over the last 5 s. */
  readonly rate: number;
}

export interface Summary {
  readonly seconds: number;
  readonly published: number;
  readonly processed: number;
  readonly lagLeft?: number;
  readonly restarts: number;
  /** Replicas that could not start: a missing Secret or key, a failing init container. */
  readonly failures: number;
  readonly scalingEvents: number;
  readonly peakReplicas: number;
}

export interface View {
  note(t: number, message: string): void;
  replica(t: number, e: ReplicaEvent): void;
  scale(e: ScalingEvent): void;
  tick(tick: Tick): void;
  summary(s: Summary): void;
}

const stamp = (t: number) => `${String(t).padStart(5)}s`;
const status = (k: Tick) =>
  `replicas ${k.ready}/${k.desired} ready  lag ${k.lag ?? '?'}  ${k.rate.toFixed(1)} msg/s`;

export function summaryLines(s: Summary): string[] {
  return [
    `ran ${s.seconds} s: ${s.processed} messages processed, ${s.published} published by eds dev${s.lagLeft === undefined ? '' : `, lag ${s.lagLeft} at the end`}`,
    `${s.scalingEvents} scaling events, peak ${s.peakReplicas} replicas, ${s.restarts} restarts`,
    ...(s.failures > 0
      ? [
          `${s.failures} replica${s.failures === 1 ? '' : 's'} could not start as the platform would start them (see above)`,
        ]
      : []),
  ];
}

export function textView(out: NodeJS.WriteStream): View {
  const tty = out.isTTY;
  let last: Tick | undefined;
  let shown = '';
  let shownAt = -Infinity;
  const write = (line: string) => {
    out.write(`${tty ? '\r\x1b[K' : ''}${printable(line)}\n`);
    if (tty && last !== undefined) out.write(status(last));
  };
  return {
    note: (t, message) => {
      write(`${stamp(t)} ${message}`);
    },
    replica: (t, e) => {
      write(
        e.kind === 'output'
          ? `${e.replica} | ${e.message}`
          : `${stamp(t)} ${e.replica} ${e.message}`,
      );
    },
    scale: (e) => {
      write(`${stamp(e.at)} scale ${e.by} ${e.from} → ${e.to}: ${e.reason}`);
    },
    tick(k) {
      last = k;
      const s = status(k);
      if (tty) out.write(`\r\x1b[K${s}`);
      else if (s.split('  ')[0] !== shown.split('  ')[0] || k.t - shownAt >= 10) {
        out.write(`${stamp(k.t)} ${s}\n`);
        [shown, shownAt] = [s, k.t];
      }
    },
    summary(s) {
      last = undefined;
      if (tty) out.write('\r\x1b[K');
      for (const line of summaryLines(s)) out.write(`${line}\n`);
    },
  };
}

export function jsonView(out: NodeJS.WriteStream): View {
  const line = (value: unknown) =>
    out.write(printableJson(value).replace(/\n\s*/g, ' ').trim() + '\n');
  return {
    note: (t, message) => line({ type: 'note', t, message }),
    replica: (t, e) => line({ type: 'replica', t, ...e }),
    scale: (e) => line({ type: 'scale', ...e }),
    tick: (k) => line({ type: 'tick', ...k }),
    summary: (s) => line({ type: 'summary', ...s }),
  };
}
