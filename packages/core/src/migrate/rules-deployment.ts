/**
 * Why a Deployment field differs: a platform policy (with the one-line reason) or something an
 * EventDrivenService cannot express (with how to keep it). First matching rule wins.
 */
import { SHUTDOWN_TIMEOUT_ENV } from '../api/constants.js';
import { SIZE_PRESETS } from '../render/sizes.js';
import { POD_ANNOTATION_RULES } from './annotations.js';
import { TOPOLOGY_SPREAD_RULES } from './rules-availability.js';
import { isObject } from './manifests.js';
import { json, keyAfter, lacks, type Facts, type Rule } from './facts.js';
import {
  ANNOTATIONS,
  labelRule,
  SCHEDULING,
  SERVICE_ACCOUNT_NAME,
  AUTOMOUNT,
} from './rules-common.js';

const POD = 'spec.template.spec';
const MAIN = `${POD}.containers[@main]`;
const INIT = `${POD}.initContainers[@init]`;
const EITHER = `${POD}.{containers,initContainers}[{@main,@init}]`;

const PULL_POLICY =
  'images tagged :latest (or untagged) are pulled on every start (Always), pinned tags and digests only when missing (IfNotPresent)';
const CONTAINER_SECURITY =
  'containers run as UID 1000, non-root, with no privilege escalation, all capabilities dropped, RuntimeDefault seccomp and a read-only root filesystem (Pod Security Standards "restricted")';
const TMP = 'the root filesystem is read-only, so /tmp is a writable emptyDir';
const NOT_REPRESENTABLE = 'not representable in an EventDrivenService';

function sizeText(f: Facts): string {
  const s = f.service.size.size;
  const p = SIZE_PRESETS[s];
  return `size ${s}: requests ${p.requests.cpu} CPU / ${p.requests.memory}, limits ${p.limits.cpu} CPU / ${p.limits.memory}`;
}

function resources(f: Facts): { verdict: 'policy' | 'lost'; reason: string } {
  const known = ['requests', 'limits'].some((g) => f.shape.includes(g))
    ? ['cpu', 'memory'].includes(f.shape.at(-1) ?? '')
    : true;
  const before = f.before;
  if (f.before !== undefined && !known) {
    return {
      verdict: 'lost',
      reason: `only cpu and memory are set, from the size preset; ${f.shape.at(-1) ?? 'this resource'} is not representable`,
    };
  }
  if (lacks(f, 'resources') || (isObject(before) && Object.keys(before).length === 0)) {
    return { verdict: 'policy', reason: `the container set no resources; ${sizeText(f)}` };
  }
  return {
    verdict: 'policy',
    reason: `sizes are presets, and the nearest to the manifests is ${sizeText(f)}`,
  };
}

function envHint(f: Facts, init: boolean): string {
  const name = keyAfter(f, 'env');
  const item = f.before;
  const from = isObject(item) && isObject(item.valueFrom) ? item.valueFrom : undefined;
  if (from !== undefined && isObject(from.configMapKeyRef)) {
    const cm = from.configMapKeyRef;
    return `copy key ${json(cm.key)} of ConfigMap ${json(cm.name)} into a Secret and map it to ${name} with secretRefs[].env`;
  }
  if (from !== undefined && isObject(from.secretKeyRef) && init) {
    return `only the init container read ${name}; map it in secretRefs[].env and both containers get it`;
  }
  if (from !== undefined && isObject(from.secretKeyRef)) {
    return `${name} cannot be mapped under this name; map the key under an environment variable name the claim accepts`;
  }
  if (from !== undefined) {
    return `${name} comes from the Downward API, which is not representable; the worker must find the value another way`;
  }
  if (f.before === undefined) return NOT_REPRESENTABLE;
  return `move the env var ${name} into a Secret and list it in secretRefs (envFrom: true, or env: [{secretKey: ${name}, envName: ${name}}])`;
}

function envFromHint(f: Facts, init: boolean): string {
  const item = f.before;
  if (isObject(item) && item.prefix !== undefined) {
    return `envFrom with prefix ${json(item.prefix)} is not representable; map each key with secretRefs[].env under the prefixed name`;
  }
  if (isObject(item) && isObject(item.configMapRef)) {
    return `copy ConfigMap ${json(item.configMapRef.name)} into a Secret and list it in a secret slot (secret1Name…secret5Name)`;
  }
  if (init) {
    return 'only the init container mounted this Secret; list it in the claim and both containers get it';
  }
  return NOT_REPRESENTABLE;
}

const NATS_ENV = '{NATS_URL,NATS_STREAM_NAME,NATS_CONSUMER_GROUP}';

export const DEPLOYMENT_RULES: readonly Rule[] = [
  labelRule('metadata.labels.*'),
  labelRule('spec.template.metadata.labels.*'),
  {
    at: 'metadata.annotations.**',
    verdict: 'lost',
    reason: `${ANNOTATIONS} (the pods' annotations are spec.podAnnotations)`,
  },
  ...POD_ANNOTATION_RULES,
  {
    at: 'spec.replicas',
    verdict: 'policy',
    reason:
      'KEDA owns the replica count; a fixed spec.replicas would be re-applied on every reconcile and fight the autoscaler',
  },
  {
    at: 'spec.selector.**',
    verdict: 'policy',
    reason:
      'the platform selects pods by app.kubernetes.io/name; a selector cannot change in place, so the Deployment is replaced, not updated (see docs/migration.md)',
  },
  {
    at: `${POD}.{serviceAccountName,serviceAccount}`,
    verdict: 'policy',
    reason: SERVICE_ACCOUNT_NAME,
  },
  { at: `${POD}.automountServiceAccountToken`, verdict: 'policy', reason: AUTOMOUNT },
  {
    at: `${POD}.securityContext.**`,
    verdict: 'policy',
    reason:
      'pods run as UID and GID 1000, non-root, with RuntimeDefault seccomp (Pod Security Standards "restricted")',
  },
  {
    at: `${POD}.imagePullSecrets.**`,
    verdict: 'policy',
    reason: "the ServiceAccount's pull secrets are listed on the pod instead",
  },
  { at: `${POD}.volumes[@tmp].**`, verdict: 'policy', reason: TMP },
  {
    at: `${POD}.volumes.**`,
    verdict: 'lost',
    reason:
      'volumes are not representable (only the /tmp emptyDir); pass configuration as Secret env vars or bake files into the image',
  },
  ...TOPOLOGY_SPREAD_RULES,
  {
    at: `${POD}.${SCHEDULING}.**`,
    verdict: 'lost',
    reason: 'scheduling constraints are not representable: the pods may run on any node',
  },
  { at: `${MAIN}.name`, verdict: 'policy', reason: 'the worker container is always named main' },
  { at: `${INIT}.name`, verdict: 'policy', reason: 'the init container is always named init' },
  { at: `${EITHER}.imagePullPolicy`, verdict: 'policy', reason: PULL_POLICY },
  { at: `${EITHER}.securityContext.**`, verdict: 'policy', reason: CONTAINER_SECURITY },
  { at: `${EITHER}.volumeMounts[@tmp].**`, verdict: 'policy', reason: TMP },
  {
    at: `${EITHER}.volumeMounts.**`,
    verdict: 'lost',
    reason: 'volume mounts are not representable (only /tmp)',
  },
  {
    at: `${MAIN}.{command,args}`,
    verdict: 'lost',
    reason: "the platform runs the image's own entrypoint; make this the image's ENTRYPOINT/CMD",
  },
  {
    at: `${MAIN}.ports[@http].**`,
    verdict: (f) => (f.after === undefined ? 'lost' : 'policy'),
    reason: (f) =>
      f.after === undefined
        ? `${NOT_REPRESENTABLE} on the platform's port 8080`
        : 'the platform exposes port 8080, named http, for probes and metrics',
  },
  {
    at: `${MAIN}.ports.**`,
    verdict: 'lost',
    reason: 'only port 8080 (http) is exposed; serve this port on 8080 as well, or drop it',
  },
  {
    at: `${MAIN}.env[${NATS_ENV}].**`,
    verdict: (f) => (lacks(f, `[${keyAfter(f, 'env')}]`) ? 'policy' : 'lost'),
    reason: (f) =>
      lacks(f, `[${keyAfter(f, 'env')}]`)
        ? 'the platform always passes NATS_URL, NATS_STREAM_NAME and NATS_CONSUMER_GROUP to the worker'
        : `the platform sets ${keyAfter(f, 'env')} itself, from spec.nats, as a plain value`,
  },
  {
    at: `${MAIN}.env[${SHUTDOWN_TIMEOUT_ENV}].**`,
    verdict: 'policy',
    reason: `the platform sets ${SHUTDOWN_TIMEOUT_ENV} itself, from spec.terminationGracePeriodSeconds (the grace period less max(2 s, 10 %)), so the worker finishes its drain before SIGKILL`,
  },
  {
    at: `${INIT}.{env,envFrom}.**`,
    verdict: (f) => (f.before === undefined ? 'policy' : 'lost'),
    reason: (f) =>
      f.before === undefined
        ? 'the init container gets the same secrets as the main container'
        : f.shape.includes('env')
          ? envHint(f, true)
          : envFromHint(f, true),
  },
  { at: `${MAIN}.env.**`, verdict: 'lost', reason: (f) => envHint(f, false) },
  { at: `${MAIN}.envFrom.**`, verdict: 'lost', reason: (f) => envFromHint(f, false) },
  {
    at: `${INIT}.resources.**`,
    verdict: 'policy',
    reason: (f) => `the init container gets the main container's ${sizeText(f)}`,
  },
  {
    at: `${MAIN}.resources.**`,
    verdict: (f) => resources(f).verdict,
    reason: (f) => resources(f).reason,
  },
  {
    at: `${MAIN}.{livenessProbe,readinessProbe}.**`,
    verdict: (f) =>
      lacks(f, f.shape.includes('livenessProbe') ? 'livenessProbe' : 'readinessProbe')
        ? 'policy'
        : 'lost',
    reason: (f) =>
      lacks(f, f.shape.includes('livenessProbe') ? 'livenessProbe' : 'readinessProbe')
        ? 'the platform probes GET /health (liveness) and GET /ready (readiness) on port 8080; the worker must serve them'
        : 'probes are fixed: GET /health every 10s (timeout 5s, 3 failures, first after 10s) and GET /ready every 5s (timeout 3s, 2 failures, first after 5s) on port 8080; make the worker serve them',
  },
  {
    at: `${MAIN}.startupProbe.**`,
    verdict: 'lost',
    reason: 'startup probes are not representable; the liveness probe first checks after 10s',
  },
  {
    at: `${INIT}.**`,
    verdict: 'lost',
    reason: 'the init container takes only the image, command, args and secrets from the claim',
  },
  {
    at: `${POD}.initContainers.**`,
    verdict: 'lost',
    reason:
      'only one init container, running the service image with a command or args, is representable; bake this step into the image or run it as a Job',
  },
  {
    at: `${POD}.containers[@main].**`,
    verdict: 'lost',
    reason: NOT_REPRESENTABLE,
  },
  {
    at: `${POD}.containers.**`,
    verdict: 'lost',
    reason: 'sidecar containers are not representable; run this one as its own Deployment',
  },
];
