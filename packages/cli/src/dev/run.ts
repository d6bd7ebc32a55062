/**
 * `eds dev`'s supervisor: the replicas (replica.ts) and, once a second, the lag read from the
 * monitoring endpoint with the claim's account as KEDA reads it, fed to the autoscalers' rules
 * (@eds/core `autoscalerStep`, the ones `eds scale` simulates); their changes add replicas or
 * stop them, not-ready ones first and then the most recently ready, as a ReplicaSet picks them.
 */
import {
  AUTOSCALER_INITIAL_STATE,
  autoscalerStep,
  consumerLag,
  isScalingSecond,
  keepAfterScaleIn,
  scalingSettings,
  type Claim,
  type ConsumerLag,
} from '@eds/core';
import { rmSync } from 'node:fs';
import { getJson, jszQuery, reason } from '../monitoring.js';
import { podTemplate, replicaPlan, type PlanInput } from './plan.js';
import { Replica } from './replica.js';
import type { Summary, View } from './view.js';

export interface Supervision {
  readonly claim: Claim;
  readonly plan: PlanInput;
  /** host:port of the NATS monitoring endpoint. */
  readonly monitoring: string;
  readonly view: View;
  /** Resolves when the run should end (the duration passed, or a signal came). */
  readonly until: Promise<void>;
  /** Messages published by eds dev so far. */
  readonly published: () => number;
  /** Called when the clock starts (the load may begin): once the first replicas are ready. */
  readonly onStart?: () => void;
}

const RATE_WINDOW = 5;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function supervise(s: Supervision): Promise<Summary> {
  const settings = scalingSettings(s.claim.spec.scaling);
  let started = Date.now();
  const seconds = () => Math.floor((Date.now() - started) / 1000);
  const replicas: Replica[] = [];
  const stopping: Promise<void>[] = [];
  const tmpDirs: string[] = [];
  const template = podTemplate(s.plan.claim);
  let nextIndex = 0;
  let restartsOfGone = 0;
  let failures = 0;
  let scalingEvents = 0;
  let peak = 0;

  const add = () => {
    const plan = replicaPlan(s.plan, template, nextIndex++);
    const dir = plan.baseEnv['TMPDIR'];
    if (dir !== undefined) tmpDirs.push(dir);
    const r = new Replica(plan, (e) => {
      s.view.replica(seconds(), e);
    });
    replicas.push(r);
    r.start();
  };
  const remove = (n: number) => {
    const far = Number.MAX_SAFE_INTEGER / 2;
    const pods = replicas.map((r) => ({ r, readyAt: r.readyAt ?? far + r.createdAt }));
    const keep = new Set(keepAfterScaleIn(pods, n, Date.now()).map((p) => p.r));
    for (const r of [...replicas]) {
      if (keep.has(r)) continue;
      replicas.splice(replicas.indexOf(r), 1);
      stopping.push(
        r.stop().then(() => {
          restartsOfGone += r.restarts;
          if (r.failure !== undefined) failures += 1;
        }),
      );
    }
  };
  const scaleTo = (to: number) => {
    while (replicas.length < to) add();
    if (replicas.length > to) remove(replicas.length - to);
    peak = Math.max(peak, replicas.length);
  };

  const read = async (): Promise<ConsumerLag> => {
    try {
      const jsz = await getJson(jszQuery(s.monitoring, s.claim.spec.nats.account), 900);
      return consumerLag(jsz, s.claim.spec.nats);
    } catch (e) {
      return { ok: false, reason: `${s.monitoring} gave ${reason(e)}` };
    }
  };

  const run = { ended: false };
  void s.until.then(() => {
    run.ended = true;
  });
  // The service as it idles before the load: minReplicas rolled out and ready. The clock (and
  // the load) start then, as `eds scale` starts with them ready.
  scaleTo(settings.minReplicas);
  if (replicas.length > 0)
    s.view.note(
      0,
      `waiting for ${plural(replicas.length, 'replica')} to be ready before the clock starts`,
    );
  while (
    !run.ended &&
    !replicas.every((r) => r.ready) &&
    !replicas.some((r) => r.failure !== undefined)
  )
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 100)), s.until]);
  started = Date.now();
  s.onStart?.();
  const first = await read();
  const ackedAtStart = first.ok ? first.acked : 0;
  const acked: number[] = [];
  let lastFailure = '';
  let autoscaler = AUTOSCALER_INITIAL_STATE;
  let lastLag: ConsumerLag = first;
  for (let t = 0; !run.ended; t++) {
    const reading = t === 0 ? first : await read();
    lastLag = reading;
    if (reading.ok) {
      lastFailure = '';
      acked.push(reading.acked);
      if (isScalingSecond(t, settings)) {
        const step = autoscalerStep(settings, autoscaler, {
          at: t,
          replicas: replicas.length,
          lag: reading.lag,
        });
        autoscaler = step.state;
        for (const e of step.events) {
          s.view.scale(e);
          scalingEvents += 1;
          scaleTo(e.to);
        }
      }
    } else if (reading.reason !== lastFailure) {
      lastFailure = reading.reason;
      s.view.note(t, `keda: cannot read the lag (${reading.reason}); no scaling until it can`);
    }
    const window = acked.slice(-RATE_WINDOW - 1);
    const rate =
      window.length < 2 ? 0 : ((window.at(-1) ?? 0) - (window[0] ?? 0)) / (window.length - 1);
    s.view.tick({
      t,
      desired: replicas.length,
      ready: replicas.filter((r) => r.ready).length,
      ...(reading.ok ? { lag: reading.lag } : {}),
      rate,
    });
    const next = started + (t + 1) * 1000;
    await Promise.race([
      new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now()))),
      s.until,
    ]);
  }

  s.view.note(
    seconds(),
    `stopping ${plural(replicas.length, 'replica')} (SIGTERM, then SIGKILL after the grace period)`,
  );
  const restartsOfLive = () => replicas.reduce((n, r) => n + r.restarts, 0);
  const liveRestarts = restartsOfLive();
  await Promise.all([...replicas.map((r) => r.stop()), ...stopping]);
  const final = await read();
  if (final.ok) lastLag = final;
  for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true });
  return {
    seconds: Math.round((Date.now() - started) / 1000),
    published: s.published(),
    processed: (lastLag.ok ? lastLag.acked : 0) - ackedAtStart,
    ...(lastLag.ok ? { lagLeft: lastLag.lag } : {}),
    restarts: liveRestarts + restartsOfGone,
    failures: failures + replicas.filter((r) => r.failure !== undefined).length,
    scalingEvents,
    peakReplicas: peak,
  };
}
