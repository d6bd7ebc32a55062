import type { Pod } from '../src/kube-types.js';
import { describe, expect, it } from 'vitest';
import { podPhase, type RestartPolicy } from '../src/phase.js';
import type { ContainerRecord, ContainerState, PodRecord, Terminated } from '../src/state.js';
import { exitStatus } from '../src/state.js';
import { podStatus } from '../src/status.js';

const t0 = new Date('2026-01-02T03:04:05.678Z');
const t1 = new Date('2026-01-02T03:04:15.000Z');
const failed: Terminated = {
  ...exitStatus(1, undefined),
  startedAt: t0,
  finishedAt: t1,
  containerID: 'process://41',
};
const done: Terminated = {
  ...exitStatus(0, undefined),
  startedAt: t0,
  finishedAt: t1,
  containerID: 'process://40',
};

const c = (
  name: string,
  state: ContainerState,
  more: Partial<ContainerRecord> = {},
): ContainerRecord => ({
  name,
  image: `img/${name}:1`,
  state,
  restartCount: 0,
  ready: false,
  started: false,
  ...more,
});
const waiting = (reason: string, message?: string): ContainerState => ({
  kind: 'waiting',
  reason,
  ...(message === undefined ? {} : { message }),
});
const running: ContainerState = { kind: 'running', startedAt: t0, containerID: 'process://42' };

describe('podPhase', () => {
  it.each([
    ['nothing started', 'Always', [], [c('a', waiting('ContainerCreating'))], 'Pending'],
    [
      'an init container runs',
      'Always',
      [c('i', running)],
      [c('a', waiting('PodInitializing'))],
      'Pending',
    ],
    [
      'an init container crash-loops',
      'Always',
      [c('i', waiting('CrashLoopBackOff'), { lastTerminated: failed })],
      [c('a', waiting('PodInitializing'))],
      'Pending',
    ],
    [
      'an init container failed, Never',
      'Never',
      [c('i', { kind: 'terminated', ...failed })],
      [c('a', waiting('PodInitializing'))],
      'Failed',
    ],
    [
      'all run',
      'Always',
      [c('i', { kind: 'terminated', ...done })],
      [c('a', running), c('b', running)],
      'Running',
    ],
    [
      'one runs, one waits',
      'Always',
      [],
      [c('a', running), c('b', waiting('CreateContainerConfigError'))],
      'Pending',
    ],
    [
      'one crash-loops',
      'Always',
      [],
      [c('a', running), c('b', waiting('CrashLoopBackOff'), { lastTerminated: failed })],
      'Running',
    ],
    ['all exited 0, Always', 'Always', [], [c('a', { kind: 'terminated', ...done })], 'Running'],
    [
      'all exited 0, OnFailure',
      'OnFailure',
      [],
      [c('a', { kind: 'terminated', ...done })],
      'Succeeded',
    ],
    [
      'one failed, Never',
      'Never',
      [],
      [c('a', { kind: 'terminated', ...done }), c('b', { kind: 'terminated', ...failed })],
      'Failed',
    ],
    [
      'one failed, OnFailure: restarting',
      'OnFailure',
      [],
      [c('a', { kind: 'terminated', ...failed })],
      'Running',
    ],
  ] as [string, RestartPolicy, ContainerRecord[], ContainerRecord[], string][])(
    '%s: %s',
    (_reason, policy, init, app, phase) => {
      expect(podPhase(policy, init, app)).toBe(phase);
    },
  );
});

describe('podStatus', () => {
  const pod = (
    spec: Partial<Pod['spec']> = {},
    conditions: NonNullable<Pod['status']>['conditions'] = [],
  ): Pod => ({
    metadata: { name: 'p', namespace: 'n' },
    spec: { containers: [], ...spec },
    status: { conditions },
  });
  const scheduled = { type: 'PodScheduled', status: 'True', lastTransitionTime: t0.toISOString() };

  it('reports an init crash loop as kubectl shows Init:CrashLoopBackOff', () => {
    const record: PodRecord = {
      readyToStart: true,
      startTime: t0,
      init: [
        c(
          'setup',
          waiting('CrashLoopBackOff', 'back-off 10s restarting failed container=setup pod=p_n(u)'),
          { lastTerminated: failed, restartCount: 1 },
        ),
      ],
      app: [c('app', waiting('PodInitializing'))],
    };
    expect(
      podStatus(pod({ restartPolicy: 'Always' }, [scheduled]), record, '127.0.0.1', t1),
    ).toEqual({
      phase: 'Pending',
      conditions: [
        { type: 'PodScheduled', status: 'True', lastTransitionTime: '2026-01-02T03:04:05Z' },
        {
          type: 'PodReadyToStartContainers',
          status: 'True',
          lastProbeTime: null,
          lastTransitionTime: '2026-01-02T03:04:15Z',
        },
        {
          type: 'Initialized',
          status: 'False',
          reason: 'ContainersNotInitialized',
          message: 'containers with incomplete status: [setup]',
          lastProbeTime: null,
          lastTransitionTime: '2026-01-02T03:04:15Z',
        },
        {
          type: 'ContainersReady',
          status: 'False',
          reason: 'ContainersNotReady',
          message: 'containers with unready status: [app]',
          lastProbeTime: null,
          lastTransitionTime: '2026-01-02T03:04:15Z',
        },
        {
          type: 'Ready',
          status: 'False',
          reason: 'ContainersNotReady',
          message: 'containers with unready status: [app]',
          lastProbeTime: null,
          lastTransitionTime: '2026-01-02T03:04:15Z',
        },
      ],
      hostIP: '127.0.0.1',
      hostIPs: [{ ip: '127.0.0.1' }],
      podIP: '127.0.0.1',
      podIPs: [{ ip: '127.0.0.1' }],
      startTime: '2026-01-02T03:04:05Z',
      initContainerStatuses: [
        {
          name: 'setup',
          image: 'img/setup:1',
          imageID: 'local://img/setup:1',
          containerID: 'process://41',
          state: {
            waiting: {
              reason: 'CrashLoopBackOff',
              message: 'back-off 10s restarting failed container=setup pod=p_n(u)',
            },
          },
          lastState: {
            terminated: {
              exitCode: 1,
              reason: 'Error',
              startedAt: '2026-01-02T03:04:05Z',
              finishedAt: '2026-01-02T03:04:15Z',
              containerID: 'process://41',
            },
          },
          ready: false,
          started: false,
          restartCount: 1,
        },
      ],
      containerStatuses: [
        {
          name: 'app',
          image: 'img/app:1',
          imageID: 'local://img/app:1',
          state: { waiting: { reason: 'PodInitializing' } },
          lastState: {},
          ready: false,
          started: false,
          restartCount: 0,
        },
      ],
    });
  });

  it('keeps lastTransitionTime while a condition holds, and checks readiness gates', () => {
    const record: PodRecord = {
      readyToStart: true,
      startTime: t0,
      init: [],
      app: [c('app', running, { ready: true, started: true })],
    };
    const before = [
      scheduled,
      { type: 'Ready', status: 'True', lastTransitionTime: t0.toISOString() },
      { type: 'ContainersReady', status: 'False', lastTransitionTime: t0.toISOString() },
    ];
    const status = podStatus(pod({}, before), record, '127.0.0.1', t1);
    expect(status.phase).toBe('Running');
    expect(status.conditions.map((x) => [x.type, x.status, x.lastTransitionTime])).toEqual([
      ['PodScheduled', 'True', '2026-01-02T03:04:05Z'],
      ['PodReadyToStartContainers', 'True', '2026-01-02T03:04:15Z'],
      ['Initialized', 'True', '2026-01-02T03:04:15Z'],
      ['ContainersReady', 'True', '2026-01-02T03:04:15Z'],
      ['Ready', 'True', '2026-01-02T03:04:05Z'],
    ]);
    const gated = podStatus(
      pod({ readinessGates: [{ conditionType: 'example.com/lb' }] }),
      record,
      '127.0.0.1',
      t1,
    );
    expect(gated.conditions.find((x) => x.type === 'Ready')).toEqual({
      type: 'Ready',
      status: 'False',
      reason: 'ReadinessGatesNotReady',
      message: 'corresponding condition of pod readiness gate "example.com/lb" does not exist.',
      lastProbeTime: null,
      lastTransitionTime: '2026-01-02T03:04:15Z',
    });
  });

  it('says PodCompleted once every container succeeded', () => {
    const record: PodRecord = {
      readyToStart: true,
      startTime: t0,
      init: [],
      app: [c('job', { kind: 'terminated', ...done })],
    };
    const status = podStatus(pod({ restartPolicy: 'Never' }), record, '127.0.0.1', t1);
    expect(status.phase).toBe('Succeeded');
    expect(status.conditions.map((x) => [x.type, x.status, x.reason])).toEqual([
      ['PodReadyToStartContainers', 'True', undefined],
      ['Initialized', 'True', 'PodCompleted'],
      ['ContainersReady', 'False', 'PodCompleted'],
      ['Ready', 'False', 'PodCompleted'],
    ]);
    expect(status.containerStatuses[0]?.state).toEqual({
      terminated: {
        exitCode: 0,
        reason: 'Completed',
        startedAt: '2026-01-02T03:04:05Z',
        finishedAt: '2026-01-02T03:04:15Z',
        containerID: 'process://40',
      },
    });
  });
});

describe('exitStatus', () => {
  it.each([
    [0, undefined, { exitCode: 0, reason: 'Completed' }],
    [3, undefined, { exitCode: 3, reason: 'Error' }],
    [null, 9, { exitCode: 137, signal: 9, reason: 'Error' }],
    [null, 15, { exitCode: 143, signal: 15, reason: 'Error' }],
  ] as [number | null, number | undefined, object][])(
    'code %s, signal %s',
    (code, signal, expected) => {
      expect(exitStatus(code, signal)).toEqual(expected);
    },
  );
});
