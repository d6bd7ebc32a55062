/**
 * Table tests over whole requests: for each case, what the function must answer and why.
 * Crossplane applies desired resources, readiness, conditions and results from the response.
 */
import {
  Ready,
  Severity,
  Status,
  Target,
  type RunFunctionRequest,
} from '@crossplane-org/function-sdk-typescript';
import { forTarget, render, validateClaim } from '@eds/core';
import { runFunction } from '@eds/function';
import { describe, expect, it } from 'vitest';
import {
  allHealthy,
  failingPod,
  claimFile,
  observed,
  pod,
  request,
  xrFor,
  type RequestParts,
} from './requests.js';

const minimal = claimFile('minimal-claim.yaml');

function expectedObjects(claim: Record<string, unknown>, target: 'v2' | 'legacy') {
  const v = validateClaim(claim);
  if (!v.ok) throw new Error('example is invalid');
  return Object.fromEntries(
    forTarget(render(v.claim, v.claim.spec), { target }).map((r) => [r.key, r.object]),
  );
}

interface Case {
  readonly reason: string;
  readonly req: RequestParts;
  /** Expected `ServiceHealthy` condition as [status, reason, message]. */
  readonly health?: [Status, string, string];
  readonly ready?: Record<string, Ready>;
  readonly results?: [Severity, string][];
}

const T = Status.STATUS_CONDITION_TRUE;
const F = Status.STATUS_CONDITION_FALSE;
const Y = Ready.READY_TRUE;
const N = Ready.READY_FALSE;

const cases: Case[] = [
  {
    reason: 'a new XR: everything desired, nothing ready yet, no event',
    req: { xr: xrFor(minimal) },
    health: [F, 'Creating', 'ScaledObject has not been created yet'],
    ready: {
      serviceaccount: N,
      deployment: N,
      service: N,
      scaledobject: N,
      poddisruptionbudget: N,
    },
    results: [],
  },
  {
    reason: 'everything observed healthy',
    req: { xr: xrFor(minimal), observed: allHealthy() },
    health: [T, 'Available', '2/2 pods ready'],
    ready: {
      serviceaccount: Y,
      deployment: Y,
      service: Y,
      scaledobject: Y,
      poddisruptionbudget: Y,
    },
    results: [],
  },
  {
    reason: 'KEDA scaled the Deployment to zero: idle, not broken',
    req: {
      xr: xrFor(minimal),
      observed: {
        ...allHealthy(),
        deployment: observed.deployment(
          { replicas: 0, updatedReplicas: 0, readyReplicas: 0, availableReplicas: 0 },
          0,
        ),
      },
    },
    health: [T, 'ScaledToZero', 'idle: KEDA scaled the service to zero'],
    ready: {
      serviceaccount: Y,
      deployment: Y,
      service: Y,
      scaledobject: Y,
      poddisruptionbudget: Y,
    },
    results: [],
  },
  {
    reason: 'pods not ready yet, in the seed guide terms',
    req: {
      xr: xrFor(minimal),
      observed: {
        ...allHealthy(),
        deployment: observed.deployment({ readyReplicas: 0, availableReplicas: 0 }, 1),
      },
    },
    health: [F, 'DeploymentNotReady', '0/1 pods ready'],
    ready: {
      serviceaccount: Y,
      deployment: N,
      service: Y,
      scaledobject: Y,
      poddisruptionbudget: Y,
    },
    results: [],
  },
  {
    reason: 'a rollout the controller has not observed is not ready',
    req: {
      xr: xrFor(minimal),
      observed: { ...allHealthy(), deployment: observed.deployment({ observedGeneration: 2 }) },
    },
    health: [
      F,
      'DeploymentNotReady',
      '2/2 pods ready; the rollout of generation 3 has not started',
    ],
    ready: {
      serviceaccount: Y,
      deployment: N,
      service: Y,
      scaledobject: Y,
      poddisruptionbudget: Y,
    },
  },
  {
    reason: 'a rollout half-way: old pods still serve, so not ready, and the message says why',
    req: {
      xr: xrFor(minimal),
      observed: { ...allHealthy(), deployment: observed.deployment({ updatedReplicas: 1 }) },
    },
    health: [F, 'DeploymentNotReady', '2/2 pods ready; 1 of 2 run the latest spec'],
    ready: {
      serviceaccount: Y,
      deployment: N,
      service: Y,
      scaledobject: Y,
      poddisruptionbudget: Y,
    },
    results: [],
  },
  {
    reason: "a KEDA trigger failure carries KEDA's own reason and message, and an event",
    req: {
      xr: xrFor(minimal),
      observed: {
        ...allHealthy(),
        scaledobject: observed.scaledObject({
          type: 'Ready',
          status: 'False',
          reason: 'TriggerError',
          message: 'Triggers defined in ScaledObject are not working correctly',
        }),
      },
    },
    health: [F, 'TriggerError', 'KEDA: Triggers defined in ScaledObject are not working correctly'],
    ready: {
      serviceaccount: Y,
      deployment: Y,
      service: Y,
      scaledobject: N,
      poddisruptionbudget: Y,
    },
    results: [
      [
        Severity.SEVERITY_WARNING,
        'TriggerError: KEDA: Triggers defined in ScaledObject are not working correctly',
      ],
    ],
  },
  {
    reason: 'an image that cannot be pulled is named from the pod',
    req: {
      xr: xrFor(minimal),
      observed: {
        ...allHealthy(),
        deployment: observed.deployment({ readyReplicas: 0, availableReplicas: 0 }, 1),
      },
      pods: [failingPod.imagePull()],
    },
    health: [
      F,
      'ImagePullBackOff',
      'pod simple-worker-6d9f-abcde: the image cannot be pulled (Back-off pulling image "ghcr.io/org/simple-worker:v1.0.0"); check spec.image and spec.imagePullSecrets',
    ],
    results: [
      [
        Severity.SEVERITY_WARNING,
        'ImagePullBackOff: pod simple-worker-6d9f-abcde: the image cannot be pulled (Back-off pulling image "ghcr.io/org/simple-worker:v1.0.0"); check spec.image and spec.imagePullSecrets',
      ],
    ],
  },
  {
    reason: 'a missing secret is named',
    req: {
      xr: xrFor(minimal),
      pods: [failingPod.missingSecret('agent-executor-db-conn')],
    },
    health: [
      F,
      'CreateContainerConfigError',
      'pod simple-worker-6d9f-abcde: Secret "agent-executor-db-conn" does not exist in the namespace',
    ],
  },
  {
    reason: 'a failing init container points at its logs',
    req: {
      xr: xrFor(minimal),
      pods: [failingPod.initCrashLoop()],
    },
    health: [
      F,
      'InitCrashLoopBackOff',
      'pod simple-worker-6d9f-abcde: init container "init" keeps failing (3 restarts, exit code 2); see kubectl logs simple-worker-6d9f-abcde -c init',
    ],
  },
  {
    reason: "an unschedulable pod carries the scheduler's message",
    req: {
      xr: xrFor(minimal),
      pods: [
        pod({
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes are available: 3 Insufficient cpu.',
            },
          ],
        }),
      ],
    },
    health: [
      F,
      'Unschedulable',
      'pod simple-worker-6d9f-abcde cannot be scheduled: 0/3 nodes are available: 3 Insufficient cpu.',
    ],
  },
  {
    reason: "another team's pod of the same name, without the platform's labels, is not diagnosed",
    req: {
      xr: xrFor(minimal),
      observed: allHealthy(),
      pods: [
        {
          ...failingPod.imagePull(),
          metadata: {
            name: 'simple-worker-7f8c-xyz12',
            labels: { 'app.kubernetes.io/name': 'simple-worker' },
          },
        },
      ],
    },
    health: [T, 'Available', '2/2 pods ready'],
    ready: {
      serviceaccount: Y,
      deployment: Y,
      service: Y,
      scaledobject: Y,
      poddisruptionbudget: Y,
    },
    results: [],
  },
  {
    reason: 'no input means the v2 target',
    req: { xr: xrFor(minimal), input: null, observed: allHealthy() },
    health: [T, 'Available', '2/2 pods ready'],
  },
];

describe('runFunction', () => {
  it.each(cases)('$reason', ({ req, health, ready, results }) => {
    const rsp = runFunction(request(req));
    expect(rsp.meta).toEqual({ tag: 'tag-1', ttl: { seconds: 60, nanos: 0 } });
    expect(
      Object.fromEntries(
        Object.entries(rsp.desired?.resources ?? {}).map(([k, r]) => [k, r.resource]),
      ),
    ).toEqual(expectedObjects(minimal, 'v2'));
    if (health) {
      expect(rsp.conditions).toEqual([
        {
          type: 'ServiceHealthy',
          status: health[0],
          reason: health[1],
          message: health[2],
          target: Target.TARGET_COMPOSITE_AND_CLAIM,
        },
      ]);
    }
    if (ready) {
      expect(
        Object.fromEntries(
          Object.entries(rsp.desired?.resources ?? {}).map(([k, r]) => [k, r.ready]),
        ),
      ).toEqual(ready);
    }
    if (results) expect(rsp.results.map((r) => [r.severity, r.message])).toEqual(results);
    expect(rsp.requirements?.resources).toEqual({
      autoscaler: {
        apiVersion: 'autoscaling/v2',
        kind: 'HorizontalPodAutoscaler',
        namespace: 'workers',
        matchName: 'keda-hpa-simple-worker-scaler',
      },
      pods: {
        apiVersion: 'v1',
        kind: 'Pod',
        namespace: 'workers',
        matchLabels: {
          labels: {
            'app.kubernetes.io/name': 'simple-worker',
            'app.kubernetes.io/component': 'event-driven-worker',
            'app.kubernetes.io/managed-by': 'crossplane',
          },
        },
      },
    });
  });

  it('reports replica counts in the XR status', () => {
    const rsp = runFunction(request({ xr: xrFor(minimal), observed: allHealthy() }));
    expect(rsp.desired?.composite?.resource).toEqual({
      status: { replicas: 2, readyReplicas: 2, availableReplicas: 2 },
    });
  });

  it('passes desired resources of earlier pipeline steps through untouched', () => {
    const extra = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'from-step-1' },
      data: { a: '1' },
    };
    const rsp = runFunction(request({ xr: xrFor(minimal), desired: { configmap: extra } }));
    expect(rsp.desired?.resources.configmap?.resource).toEqual(extra);
    expect(Object.keys(rsp.desired?.resources ?? {}).sort()).toEqual([
      'configmap',
      'deployment',
      'poddisruptionbudget',
      'scaledobject',
      'service',
      'serviceaccount',
    ]);
  });

  it('replaces its own earlier desired objects instead of merging arrays into them', () => {
    const first = runFunction(request({ xr: xrFor(minimal) }));
    const again = runFunction(
      request({
        xr: xrFor(minimal),
        desired: Object.fromEntries(
          Object.entries(first.desired?.resources ?? {}).map(([k, r]) => [
            k,
            r.resource as Record<string, unknown>,
          ]),
        ),
      }),
    );
    const containers = (
      again.desired?.resources.deployment?.resource as {
        spec: { template: { spec: { containers: unknown[] } } };
      }
    ).spec.template.spec.containers;
    expect(containers).toHaveLength(1);
  });

  describe('a spec with a field that has no effect', () => {
    const claimWith = (scaling: Record<string, unknown>) => ({
      ...minimal,
      spec: { ...(minimal.spec as Record<string, unknown>), scaling },
    });

    it('still composes, and says so in a Warning result for the composite and the claim', () => {
      const claim = claimWith({ activationLagThreshold: 5 });
      const rsp = runFunction(request({ xr: xrFor(claim), observed: allHealthy() }));
      expect(rsp.results).toEqual([
        {
          severity: Severity.SEVERITY_WARNING,
          message:
            'spec.scaling.activationLagThreshold  5 has no effect unless minReplicas is 0 (it is 1, the default): KEDA uses it only to wake a service from zero replicas; set spec.scaling.minReplicas: 0, or remove activationLagThreshold',
          reason: 'SpecWarning',
          target: Target.TARGET_COMPOSITE_AND_CLAIM,
        },
      ]);
      expect(
        Object.fromEntries(
          Object.entries(rsp.desired?.resources ?? {}).map(([k, r]) => [k, r.resource]),
        ),
      ).toEqual(expectedObjects(claim, 'v2'));
    });

    it('gives no result once minReplicas is 0, where the threshold wakes the service', () => {
      const claim = claimWith({ minReplicas: 0, activationLagThreshold: 5 });
      const spec = claim.spec as Record<string, unknown>;
      const managed = {
        ...claim,
        spec: { ...spec, nats: { ...(spec['nats'] as object), managedConsumer: true } },
      };
      expect(runFunction(request({ xr: xrFor(managed), observed: allHealthy() })).results).toEqual(
        [],
      );
    });
  });

  /** The whole answer to a request the function refuses: one FATAL result, nothing composed. */
  const refused = (req: RunFunctionRequest, message: string) => ({
    meta: { tag: 'tag-1', ttl: { seconds: 60, nanos: 0 } },
    desired: { composite: undefined, resources: {} },
    results: [{ severity: Severity.SEVERITY_FATAL, message }],
    context: req.context,
    requirements: undefined,
    conditions: [],
  });

  it('gives one FATAL result listing every problem of an invalid spec, as eds validate lists them', () => {
    const xr = xrFor(minimal);
    const spec = xr.spec as Record<string, unknown>;
    const req = request({ xr: { ...xr, spec: { ...spec, size: 'xlarge', secret1name: 'db' } } });
    expect(runFunction(req)).toEqual(
      refused(
        req,
        [
          'invalid EventDrivenService:',
          'spec.secret1name  is not a field of spec; did you mean "secret1Name"?',
          'spec.size  "xlarge" is not one of small, medium, large',
        ].join('\n'),
      ),
    );
  });

  it("refuses a pod-security annotation by name, as the platform sets the pods' security context", () => {
    const xr = xrFor(minimal);
    const spec = xr.spec as Record<string, unknown>;
    const podAnnotations = {
      'sidecar.istio.io/inject': 'true',
      'container.apparmor.security.beta.kubernetes.io/main': 'unconfined',
    };
    const req = request({ xr: { ...xr, spec: { ...spec, podAnnotations } } });
    expect(runFunction(req)).toEqual(
      refused(
        req,
        [
          'invalid EventDrivenService:',
          'spec.podAnnotations["container.apparmor.security.beta.kubernetes.io/main"]  is a Kubernetes pod-security annotation, and the platform sets the pods\' security context itself (Pod Security Standards "restricted": RuntimeDefault seccomp, the runtime\'s default AppArmor profile); remove it',
        ].join('\n'),
      ),
    );
  });

  it('composes the pod annotations onto the pod template of the Deployment', () => {
    const claim = {
      ...minimal,
      spec: {
        ...(minimal.spec as Record<string, unknown>),
        podAnnotations: { 'sidecar.istio.io/inject': 'true', 'linkerd.io/inject': 'enabled' },
      },
    };
    const rsp = runFunction(request({ xr: xrFor(claim), observed: allHealthy() }));
    const deployment = rsp.desired?.resources.deployment?.resource as {
      spec: { template: { metadata: Record<string, unknown> } };
    };
    expect(deployment.spec.template.metadata.annotations).toEqual({
      'linkerd.io/inject': 'enabled',
      'sidecar.istio.io/inject': 'true',
    });
    expect(rsp.results).toEqual([]);
  });

  describe('the PodDisruptionBudget', () => {
    const readiness = (rsp: ReturnType<typeof runFunction>) =>
      Object.fromEntries(
        Object.entries(rsp.desired?.resources ?? {}).map(([k, r]) => [k, r.ready]),
      );
    /** Every object observed healthy except the PodDisruptionBudget, which is not there. */
    const withoutBudget = () => {
      const all = allHealthy();
      delete all.poddisruptionbudget;
      return all;
    };
    const withAvailability = (availability: Record<string, boolean>) => ({
      ...minimal,
      spec: { ...(minimal.spec as Record<string, unknown>), availability },
    });

    it('is ready once it exists; until then the service is Creating, and no event is emitted', () => {
      const rsp = runFunction(request({ xr: xrFor(minimal), observed: withoutBudget() }));
      expect(readiness(rsp)).toEqual({
        serviceaccount: Y,
        deployment: Y,
        service: Y,
        scaledobject: Y,
        poddisruptionbudget: N,
      });
      expect(rsp.conditions.map((c) => [c.status, c.reason, c.message])).toEqual([
        [F, 'Creating', 'PodDisruptionBudget has not been created yet'],
      ]);
      expect(rsp.results).toEqual([]);
    });

    it('allowing no disruption now is not a fault of its own: the Deployment names the cause', () => {
      const budget = observed.podDisruptionBudget();
      const spent = { ...budget, status: { currentHealthy: 0, disruptionsAllowed: 0 } };
      const rsp = runFunction(
        request({
          xr: xrFor(minimal),
          observed: {
            ...allHealthy(),
            poddisruptionbudget: spent,
            deployment: observed.deployment({ readyReplicas: 0, availableReplicas: 0 }, 1),
          },
        }),
      );
      expect(readiness(rsp).poddisruptionbudget).toBe(Y);
      expect(rsp.conditions.map((c) => [c.status, c.reason, c.message])).toEqual([
        [F, 'DeploymentNotReady', '0/1 pods ready'],
      ]);
    });

    it('is not composed, nor waited for, when the claim turns it off', () => {
      const claim = withAvailability({ podDisruptionBudget: false });
      const rsp = runFunction(request({ xr: xrFor(claim), observed: withoutBudget() }));
      expect(readiness(rsp)).toEqual({
        serviceaccount: Y,
        deployment: Y,
        service: Y,
        scaledobject: Y,
      });
      expect(rsp.conditions.map((c) => [c.status, c.reason, c.message])).toEqual([
        [T, 'Available', '2/2 pods ready'],
      ]);
      expect(rsp.results).toEqual([]);
    });

    it('keeps the topology spread on when only the budget is off, and the reverse', () => {
      const spread = (claim: Record<string, unknown>) => {
        const rsp = runFunction(request({ xr: xrFor(claim) }));
        const deployment = rsp.desired?.resources.deployment?.resource as {
          spec: { template: { spec: { topologySpreadConstraints?: { topologyKey: string }[] } } };
        };
        return {
          keys: (deployment.spec.template.spec.topologySpreadConstraints ?? []).map(
            (c) => c.topologyKey,
          ),
          budget: rsp.desired?.resources.poddisruptionbudget !== undefined,
        };
      };
      expect(spread(withAvailability({ podDisruptionBudget: false }))).toEqual({
        keys: ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'],
        budget: false,
      });
      expect(spread(withAvailability({ topologySpread: false }))).toEqual({
        keys: [],
        budget: true,
      });
    });
  });

  it.each([
    [
      'no spec',
      {
        apiVersion: 'platform.bizmatters.io/v1alpha1',
        kind: 'EventDrivenService',
        metadata: { name: 'w', namespace: 'n' },
      },
      'invalid EventDrivenService:\nspec  is required',
    ],
    [
      'a spec of the wrong type',
      { metadata: { name: 'w', namespace: 'n' }, spec: 'text' },
      'invalid EventDrivenService:\nspec  "text" must be a mapping, not a string',
    ],
  ])('gives a FATAL result for %s', (_what, xr, message) => {
    const req = request({ xr });
    expect(runFunction(req)).toEqual(refused(req, message));
  });

  it.each<[string, unknown, string[]]>([
    ['an unknown target', { target: 'v3' }, ['target  "v3" is not one of v2, legacy']],
    [
      'a misspelt field',
      { tagret: 'v2' },
      ['tagret  is not a field of the function input; did you mean "target"?'],
    ],
    [
      'an invalid ProviderConfig name',
      { target: 'legacy', providerConfigName: 'Kubernetes_Provider' },
      [
        'providerConfigName  "Kubernetes_Provider" is not valid: it must be a Kubernetes object name: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
      ],
    ],
    [
      'a target of the wrong type, and the wrong kind',
      { apiVersion: 'eds.platform.bizmatters.io/v1alpha1', kind: 'Inputs', target: 2 },
      [
        'kind  "Inputs" must be "Input"',
        'target  2 must be a string, not an integer',
        'target  2 is not one of v2, legacy',
      ],
    ],
    [
      'an input that is not a mapping',
      'legacy',
      ['the function input must be a mapping, not a string'],
    ],
  ])('gives a FATAL result for %s in the function input', (_what, input, problems) => {
    const req = request({ xr: xrFor(minimal), input: input as Record<string, unknown> });
    expect(runFunction(req)).toEqual(
      refused(req, ['invalid function input:', ...problems].join('\n')),
    );
  });

  describe('the managed consumer', () => {
    const readiness = (rsp: ReturnType<typeof runFunction>) =>
      Object.fromEntries(
        Object.entries(rsp.desired?.resources ?? {}).map(([k, r]) => [k, r.ready]),
      );
    const spec = minimal.spec as Record<string, unknown>;
    const managed = (scaling: Record<string, unknown> = {}) => ({
      ...minimal,
      spec: { ...spec, nats: { ...(spec['nats'] as object), managedConsumer: true }, scaling },
    });
    const consumer = observed.consumer;
    const conditions = (rsp: ReturnType<typeof runFunction>) =>
      rsp.conditions.map((c) => [c.status, c.reason, c.message]);

    it('is composed only when asked, after every other object, as NACK reads it', () => {
      const rsp = runFunction(request({ xr: xrFor(managed()), observed: allHealthy() }));
      const keys = Object.keys(rsp.desired?.resources ?? {});
      expect(keys).toEqual([...Object.keys(expectedObjects(minimal, 'v2')), 'consumer']);
      expect(rsp.desired?.resources['consumer']?.resource).toMatchObject({
        apiVersion: 'jetstream.nats.io/v1beta2',
        kind: 'Consumer',
        metadata: { name: 'simple-worker', namespace: 'workers' },
        spec: {
          streamName: 'SIMPLE_JOBS',
          durableName: 'simple-workers',
          ackPolicy: 'explicit',
          ackWait: '30s',
          preventDelete: true,
        },
      });
      expect(
        Object.keys(runFunction(request({ xr: xrFor(minimal) })).desired?.resources ?? {}),
      ).not.toContain('consumer');
    });

    it('not there yet: the service is Creating, with what to install', () => {
      const rsp = runFunction(request({ xr: xrFor(managed()), observed: allHealthy() }));
      expect(readiness(rsp)['consumer']).toBe(N);
      expect(conditions(rsp)).toEqual([
        [
          F,
          'Creating',
          "Consumer has not been created yet; it needs NACK's CRD (consumers.jetstream.nats.io) and JetStream controller: install NACK (e.g. helm install nack nats/nack --set jetstream.additionalArgs={--control-loop}), or set spec.nats.managedConsumer: false",
        ],
      ]);
    });

    it("NACK's error is the cause, before KEDA's, which fails for want of the consumer", () => {
      const rsp = runFunction(
        request({
          xr: xrFor(managed()),
          observed: {
            ...allHealthy(),
            consumer: consumer('False', 'create or update consumer: stream not found'),
            scaledobject: observed.scaledObject({
              type: 'Ready',
              status: 'False',
              reason: 'ScaledObjectCheckFailed',
              message: 'consumer "simple-workers" not found in stream "SIMPLE_JOBS"',
            }),
          },
        }),
      );
      expect(conditions(rsp)).toEqual([
        [F, 'ConsumerNotReady', 'NACK: create or update consumer: stream not found'],
      ]);
    });

    it('ready, with no pod running: an idle service is healthy and ready', () => {
      const rsp = runFunction(
        request({
          xr: xrFor(managed({ minReplicas: 0 })),
          observed: {
            ...allHealthy(),
            consumer: consumer('True', 'Consumer successfully created or updated.'),
            deployment: observed.deployment({ readyReplicas: 0, availableReplicas: 0 }, 0),
          },
        }),
      );
      expect(readiness(rsp)['consumer']).toBe(Y);
      expect(conditions(rsp)).toEqual([
        [T, 'ScaledToZero', 'idle: KEDA scaled the service to zero'],
      ]);
      expect(rsp.results).toEqual([]);
    });
  });

  it('composes provider-kubernetes Objects for legacy XRs, named after the claim, with readiness from the wrapped objects', () => {
    const wrap = (manifest: Record<string, unknown>) => ({
      apiVersion: 'kubernetes.crossplane.io/v1alpha2',
      kind: 'Object',
      status: { atProvider: { manifest } },
    });
    const obs = Object.fromEntries(Object.entries(allHealthy()).map(([k, v]) => [k, wrap(v)]));
    const rsp = runFunction(
      request({ xr: xrFor(minimal, 'legacy'), target: 'legacy', observed: obs }),
    );
    expect(
      Object.fromEntries(
        Object.entries(rsp.desired?.resources ?? {}).map(([k, r]) => [k, r.resource]),
      ),
    ).toEqual(expectedObjects(minimal, 'legacy'));
    expect(Object.values(rsp.desired?.resources ?? {}).map((r) => r.ready)).toEqual([
      Y,
      Y,
      Y,
      Y,
      Y,
    ]);
    expect(rsp.conditions[0]?.reason).toBe('Available');
  });
});
