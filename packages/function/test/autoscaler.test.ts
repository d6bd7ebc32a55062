/**
 * The XR's status from KEDA's HorizontalPodAutoscaler: for each case, the whole status the
 * function writes, on both targets, and why. The HPA is fetched by name, unwrapped on both.
 */
import { runFunction } from '@eds/function';
import { describe, expect, it } from 'vitest';
import { allHealthy, claimFile, observed, request, xrFor, type RequestParts } from './requests.js';

type Obj = Record<string, unknown>;

const minimal = claimFile('minimal-claim.yaml');
const counts = { replicas: 2, readyReplicas: 2, availableReplicas: 2 };
const lastScaleTime = '2026-12-04T20:15:00Z';

/** The External metric as the HPA controller records it, with `current` as given. */
const metric = (current: Obj): Obj[] => [
  {
    type: 'External',
    external: { metric: { name: 's0-nats-jetstream-SIMPLE_JOBS' }, current },
  },
];

interface Case {
  readonly reason: string;
  /** The HPA Crossplane fetched; absent: none exists yet. */
  readonly autoscaler?: Obj;
  readonly deployment?: boolean;
  /** The XR's whole status, or undefined when the function writes none. */
  readonly status: Obj | undefined;
}

const cases: Case[] = [
  {
    reason: 'no HPA yet (KEDA has not reconciled the ScaledObject): the Deployment counts only',
    status: counts,
  },
  {
    reason: 'AverageValue: the lag is the per-replica value times the replicas of that sync',
    autoscaler: observed.autoscaler(),
    status: { ...counts, desiredReplicas: 3, lag: 250, lastScaleTime },
  },
  {
    reason: 'a milli-quantity per replica ("1500m") over four replicas',
    autoscaler: observed.autoscaler({
      currentReplicas: 4,
      desiredReplicas: 1,
      currentMetrics: metric({ averageValue: '1500m' }),
    }),
    status: { ...counts, desiredReplicas: 1, lag: 6, lastScaleTime },
  },
  {
    reason: "the HPA's ceiling: 10 messages over 3 replicas is 3334m each, still a lag of 10",
    autoscaler: observed.autoscaler({
      currentReplicas: 3,
      desiredReplicas: 1,
      currentMetrics: metric({ averageValue: '3334m' }),
    }),
    status: { ...counts, desiredReplicas: 1, lag: 10, lastScaleTime },
  },
  {
    reason: 'a large lag in a decimal suffix ("12k" per replica, ten replicas)',
    autoscaler: observed.autoscaler({
      currentReplicas: 10,
      desiredReplicas: 10,
      currentMetrics: metric({ averageValue: '12k' }),
    }),
    status: { ...counts, desiredReplicas: 10, lag: 120000, lastScaleTime },
  },
  {
    reason: 'a Value target (metricType: Value) records the total itself',
    autoscaler: observed.autoscaler({ currentMetrics: metric({ value: '42' }) }),
    status: { ...counts, desiredReplicas: 3, lag: 42, lastScaleTime },
  },
  {
    reason: 'scaled to zero: the HPA is idle and records no metric, so no lag is claimed',
    autoscaler: observed.autoscaler({
      currentReplicas: 0,
      desiredReplicas: 0,
      currentMetrics: undefined,
    }),
    status: { ...counts, desiredReplicas: 0, lastScaleTime },
  },
  {
    reason: 'a per-replica value with no replica count to multiply by gives no lag',
    autoscaler: observed.autoscaler({ currentReplicas: undefined }),
    status: { ...counts, desiredReplicas: 3, lastScaleTime },
  },
  {
    reason: 'KEDA could not read the lag (FailedGetExternalMetric): an empty metric, no lag',
    autoscaler: observed.autoscaler({ currentMetrics: [{ type: '' }] }),
    status: { ...counts, desiredReplicas: 3, lastScaleTime },
  },
  {
    reason: 'a value that is not a quantity is not read as one',
    autoscaler: observed.autoscaler({ currentMetrics: metric({ averageValue: 'lots' }) }),
    status: { ...counts, desiredReplicas: 3, lastScaleTime },
  },
  {
    reason: 'an HPA that has never scaled has no lastScaleTime',
    autoscaler: observed.autoscaler({ lastScaleTime: undefined }),
    status: { ...counts, desiredReplicas: 3, lag: 250 },
  },
  {
    reason: 'an HPA of another name is not ours',
    autoscaler: observed.autoscaler({}, 'keda-hpa-other-worker-scaler'),
    status: counts,
  },
  {
    reason: 'the HPA before the Deployment is observed: its fields alone',
    autoscaler: observed.autoscaler(),
    deployment: false,
    status: { desiredReplicas: 3, lag: 250, lastScaleTime },
  },
  {
    reason: 'nothing observed at all: no status',
    deployment: false,
    status: undefined,
  },
];

/** The observed composed objects, wrapped in provider-kubernetes Objects for legacy. */
function composedFor(target: 'v2' | 'legacy', deployment: boolean): Record<string, Obj> {
  const objects = allHealthy();
  if (!deployment) delete objects['deployment'];
  if (target === 'v2') return objects;
  return Object.fromEntries(
    Object.entries(objects).map(([k, manifest]) => [
      k,
      {
        apiVersion: 'kubernetes.crossplane.io/v1alpha2',
        kind: 'Object',
        status: { atProvider: { manifest } },
      },
    ]),
  );
}

describe("the XR's status from KEDA's HorizontalPodAutoscaler", () => {
  describe.each(['v2', 'legacy'] as const)('target %s', (target) => {
    it.each(cases)('$reason', ({ autoscaler, deployment = true, status }) => {
      const parts: RequestParts = {
        xr: xrFor(minimal, target),
        target,
        observed: composedFor(target, deployment),
        ...(autoscaler === undefined ? {} : { autoscaler }),
      };
      const rsp = runFunction(request(parts));
      expect(rsp.results).toEqual([]);
      expect(rsp.desired?.composite?.resource).toEqual(
        status === undefined ? undefined : { status },
      );
    });

    it('asks Crossplane for the HPA by name in the claim namespace, beside the pods', () => {
      const rsp = runFunction(request({ xr: xrFor(minimal, target), target }));
      const autoscaler = {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        namespace: 'workers',
        matchName: 'keda-hpa-simple-worker-scaler',
      };
      expect(rsp.requirements?.resources.autoscaler).toEqual(autoscaler);
      // Crossplane v1.x reads the deprecated field; both carry the same selectors.
      // eslint-disable-next-line @typescript-eslint/no-deprecated -- what Crossplane v1.x reads.
      expect(rsp.requirements?.extraResources).toEqual(rsp.requirements?.resources);
    });
  });

  it('reads the HPA from extraResources, where Crossplane v1.x sends it', () => {
    const rsp = runFunction(
      request({
        xr: xrFor(minimal, 'legacy'),
        target: 'legacy',
        observed: composedFor('legacy', true),
        autoscaler: observed.autoscaler(),
        extraResources: true,
      }),
    );
    expect(rsp.desired?.composite?.resource).toEqual({
      status: { ...counts, desiredReplicas: 3, lag: 250, lastScaleTime },
    });
  });
});
