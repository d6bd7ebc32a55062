/**
 * Why the service's pods do not run, in the terms of the troubleshooting guide: the first
 * pod problem found, most actionable first. Pure: pods are what Crossplane fetched for us.
 */
import { condition, get, isObj, list, num, str } from './object.js';

export interface PodCause {
  readonly reason: string;
  readonly message: string;
}

interface Waiting {
  readonly pod: string;
  readonly container: string;
  readonly init: boolean;
  readonly reason: string;
  readonly message: string;
  readonly restarts: number;
  readonly exitCode: number | undefined;
}

function waitingStates(pod: unknown): Waiting[] {
  const name = str(get(pod, 'metadata', 'name')) ?? 'pod';
  const from = (field: string, init: boolean): Waiting[] =>
    list(get(pod, 'status', field)).flatMap((s) => {
      const waiting = get(s, 'state', 'waiting');
      if (!isObj(waiting)) return [];
      return [
        {
          pod: name,
          container: str(get(s, 'name')) ?? '?',
          init,
          reason: str(waiting.reason) ?? '',
          message: str(waiting.message) ?? '',
          restarts: num(get(s, 'restartCount')) ?? 0,
          exitCode: num(get(s, 'lastState', 'terminated', 'exitCode')),
        },
      ];
    });
  return [...from('initContainerStatuses', true), ...from('containerStatuses', false)];
}

const SECRET_NOT_FOUND = /secret "([^"]+)" not found/;
const KEY_NOT_FOUND = /couldn't find key (\S+) in Secret (\S+)/;

function describe(w: Waiting): PodCause | undefined {
  switch (w.reason) {
    case 'ImagePullBackOff':
    case 'ErrImagePull':
    case 'InvalidImageName':
      return {
        reason: 'ImagePullBackOff',
        message: `pod ${w.pod}: the image cannot be pulled (${w.message || w.reason}); check spec.image and spec.imagePullSecrets`,
      };
    case 'CreateContainerConfigError': {
      const secret = SECRET_NOT_FOUND.exec(w.message)?.[1];
      const key = KEY_NOT_FOUND.exec(w.message);
      const detail =
        secret !== undefined
          ? `Secret "${secret}" does not exist in the namespace`
          : key !== null
            ? `Secret ${key[2] ?? ''} has no key "${key[1] ?? ''}"`
            : w.message;
      return { reason: 'CreateContainerConfigError', message: `pod ${w.pod}: ${detail}` };
    }
    case 'CrashLoopBackOff': {
      const exit = w.exitCode === undefined ? '' : `, exit code ${w.exitCode}`;
      return w.init
        ? {
            reason: 'InitCrashLoopBackOff',
            message: `pod ${w.pod}: init container "${w.container}" keeps failing (${w.restarts} restarts${exit}); see kubectl logs ${w.pod} -c ${w.container}`,
          }
        : {
            reason: 'CrashLoopBackOff',
            message: `pod ${w.pod}: container "${w.container}" keeps restarting (${w.restarts} restarts${exit}); see kubectl logs ${w.pod} --previous`,
          };
    }
    default:
      return undefined;
  }
}

const PRIORITY = [
  'ImagePullBackOff',
  'CreateContainerConfigError',
  'InitCrashLoopBackOff',
  'CrashLoopBackOff',
  'Unschedulable',
];

export function podCause(pods: readonly unknown[]): PodCause | undefined {
  const causes: PodCause[] = [];
  for (const pod of pods) {
    for (const w of waitingStates(pod)) {
      const cause = describe(w);
      if (cause !== undefined) causes.push(cause);
    }
    const scheduled = condition(pod, 'PodScheduled');
    if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
      const name = str(get(pod, 'metadata', 'name')) ?? 'pod';
      causes.push({
        reason: 'Unschedulable',
        message: `pod ${name} cannot be scheduled: ${scheduled.message ?? 'no node fits'}`,
      });
    }
  }
  causes.sort((a, b) => PRIORITY.indexOf(a.reason) - PRIORITY.indexOf(b.reason));
  return causes[0];
}
