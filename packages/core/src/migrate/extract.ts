/**
 * A service's manifests → the claim that describes them, with only the fields that differ from
 * the API's defaults, and a note for every value the manifests did not state.
 */
import { at } from './own.js';
import { API_VERSION, DEFAULTS, KIND, type Size } from '../api/constants.js';
import type { ServiceGroup } from './group.js';
import { isObject, objects } from './manifests.js';
import { claimSecrets } from './secrets.js';
import { matchSize, type SizeMatch } from './size.js';
import { nats, natsTrigger, workerIndex, type Notes } from './nats.js';
import { scaling } from './scaling.js';
import { podAnnotations } from './annotations.js';
import { availability } from './availability.js';
import { metrics } from './metrics.js';
import type { Assumption, MigrationProblem } from './types.js';

type Obj = Record<string, unknown>;

/** Which item of each list the claim recovered, in the manifests' indices. */
export interface InputRoles {
  readonly main: number;
  readonly init?: number;
  readonly trigger?: number;
}

export interface Extraction {
  /** The claim document, to be checked with `validateClaim`. */
  readonly doc: Obj;
  readonly roles: InputRoles;
  readonly size: SizeMatch;
  readonly assumptions: readonly Assumption[];
  readonly warnings: readonly string[];
}

const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.length > 0 && v.every((s): s is string => typeof s === 'string')
    ? v
    : undefined;

/** The first init container that runs the service's image with a command or arguments. */
function initIndex(pod: Obj, image: unknown): number | undefined {
  const index = objects(pod.initContainers).findIndex((c) => {
    const command = strings(c.command);
    return (
      c.image === image &&
      (command === undefined || command.every((s) => s !== '')) &&
      (command !== undefined || strings(c.args) !== undefined)
    );
  });
  return index === -1 ? undefined : index;
}

function size(main: Obj, notes: Notes): SizeMatch {
  const match = matchSize(main.resources, DEFAULTS.size);
  if (match.none) {
    notes.assumptions.push({
      field: 'spec.size',
      value: match.size,
      reason: `container ${JSON.stringify(main.name)} states no cpu or memory; the default size applies`,
    });
  } else if (!match.exact) {
    notes.warnings.push(
      `resources match no size preset; the nearest is ${match.size}: ${match.changes.join(', ')}`,
    );
  }
  return match;
}

function pullSecrets(pod: Obj, group: ServiceGroup): { name: string }[] {
  const names: string[] = [];
  const sa = group.serviceAccount?.object;
  for (const s of [...objects(pod.imagePullSecrets), ...objects(sa?.imagePullSecrets)]) {
    if (typeof s.name === 'string' && !names.includes(s.name)) names.push(s.name);
  }
  return names.map((name) => ({ name }));
}

function grace(pod: Obj, notes: Notes): Obj {
  const value = pod.terminationGracePeriodSeconds;
  if (value === undefined || value === DEFAULTS.terminationGracePeriodSeconds) return {};
  if (Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 3600) {
    return { terminationGracePeriodSeconds: value };
  }
  notes.warnings.push(
    `spec.terminationGracePeriodSeconds: ${JSON.stringify(value)} is not a whole number from 1 to 3600; the default (${DEFAULTS.terminationGracePeriodSeconds}) applies`,
  );
  return {};
}

export function extractClaim(group: ServiceGroup): Extraction | MigrationProblem {
  const d = group.deployment;
  const pod = at(d.object, 'spec', 'template', 'spec');
  const containers = objects(at(pod, 'containers'));
  if (!isObject(pod) || containers.length === 0) {
    return {
      code: 'no-containers',
      file: d.origin.file,
      document: d.origin.document,
      message: `Deployment ${JSON.stringify(d.name)} has no containers (spec.template.spec.containers is missing or empty); there is nothing to migrate`,
    };
  }
  const notes: Notes = { assumptions: [], warnings: [] };
  const main = workerIndex(containers, d.name);
  const container = containers[main] ?? {};
  const { index: triggerIndex, trigger } = natsTrigger(group.scaledObject);
  const natsResult = nats(group, container, trigger, notes);
  if ('problem' in natsResult) return natsResult.problem;
  const sized = size(container, notes);
  const secrets = claimSecrets(container);
  const pulls = pullSecrets(pod, group);
  const init = initIndex(pod, container.image);
  const initContainer = objects(pod.initContainers)[init ?? -1];
  const scale = scaling(group, trigger, notes);
  const annotations = podAnnotations(d.object, notes);
  const available = availability(group, notes);
  const scraped = metrics(group, container);
  const doc: Obj = {
    apiVersion: API_VERSION,
    kind: KIND,
    metadata: { name: d.name, ...(d.namespace === undefined ? {} : { namespace: d.namespace }) },
    spec: {
      image: container.image,
      ...(sized.size === DEFAULTS.size ? {} : { size: sized.size satisfies Size }),
      // A NACK Consumer declaring the worker's durable consumer: the platform composes its own.
      nats:
        group.consumer === undefined
          ? natsResult.spec
          : { ...natsResult.spec, managedConsumer: true },
      ...secrets.slots,
      ...(secrets.secretRefs.length === 0 ? {} : { secretRefs: secrets.secretRefs }),
      ...(pulls.length === 0 ? {} : { imagePullSecrets: pulls }),
      ...(initContainer === undefined
        ? {}
        : {
            initContainer: {
              ...(strings(initContainer.command) === undefined
                ? {}
                : { command: initContainer.command }),
              ...(strings(initContainer.args) === undefined ? {} : { args: initContainer.args }),
            },
          }),
      ...(Object.keys(scale).length === 0 ? {} : { scaling: scale }),
      ...grace(pod, notes),
      ...(Object.keys(annotations).length === 0 ? {} : { podAnnotations: annotations }),
      ...(Object.keys(available).length === 0 ? {} : { availability: available }),
      ...(Object.keys(scraped).length === 0 ? {} : { metrics: scraped }),
    },
  };
  const saName = at(pod, 'serviceAccountName') ?? at(pod, 'serviceAccount');
  if (typeof saName === 'string' && group.serviceAccount === undefined && saName !== 'default') {
    notes.warnings.push(
      `the pods ran as ServiceAccount ${JSON.stringify(saName)}, which is not in the input; pass it too, or check that its pull secrets and annotations are not needed`,
    );
  }
  return {
    doc,
    roles: {
      main,
      ...(init === undefined ? {} : { init }),
      ...(triggerIndex === -1 ? {} : { trigger: triggerIndex }),
    },
    size: sized,
    assumptions: notes.assumptions,
    warnings: notes.warnings,
  };
}
