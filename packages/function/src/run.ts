/**
 * One RunFunction call: validate the XR's spec, render the objects for the target, mark each
 * ready or not from observed state, and report the service's health on the XR. Pure apart
 * from the request it reads: no clock, no I/O.
 */
import {
  Ready,
  Severity,
  Status,
  Target as ConditionTarget,
  type Resource,
  type RunFunctionRequest,
  type RunFunctionResponse,
} from '@crossplane-org/function-sdk-typescript';
import {
  autoscalerName,
  formatIssue,
  forTarget,
  HEALTH_CONDITION,
  platformLabels,
  render,
  RESOURCE_KEYS,
  validateClaim,
  type Claim,
  type Issue,
  type Rendered,
  type ResourceKey,
  type Target,
} from '@eds/core';
import { autoscalingOf } from './autoscaler.js';
import { compositeKey, identify, viewComposite } from './composite.js';
import { decodeInput } from './input.js';
import { Memo, type MemoLimits } from './memo.js';
import { carriesLabels, get, isObj, list, type Obj } from './object.js';
import { listProblems } from './problems.js';
import { assess } from './status.js';
import { encodedBytes } from './wire.js';

export const PODS_REQUIREMENT = 'pods';
/** The HorizontalPodAutoscaler KEDA made for the ScaledObject (its desired replicas and lag). */
export const AUTOSCALER_REQUIREMENT = 'autoscaler';
/** Crossplane calls again on every watched change; this bounds the wait otherwise. */
export const TTL = { seconds: 60, nanos: 0 };

/** The observed object itself; for legacy, the one the provider-kubernetes Object wraps. */
function unwrap(resource: Obj | undefined, target: Target): unknown {
  if (resource === undefined) return undefined;
  return target === 'legacy' ? get(resource, 'status', 'atProvider', 'manifest') : resource;
}

function observedComposed(req: RunFunctionRequest, target: Target) {
  const resources = req.observed?.resources ?? {};
  const out: Partial<Record<ResourceKey, unknown>> = {};
  for (const key of RESOURCE_KEYS) {
    const r = resources[key]?.resource;
    const object = unwrap(isObj(r) ? r : undefined, target);
    if (object !== undefined) out[key] = object;
  }
  return out;
}

function required(req: RunFunctionRequest, requirement: string): unknown[] {
  const found =
    req.requiredResources[requirement] ??
    // eslint-disable-next-line @typescript-eslint/no-deprecated -- Crossplane v1.x still sends them here.
    req.extraResources[requirement];
  return list(found?.items).map((i) => (i as Resource).resource);
}

/**
 * Pods Crossplane fetched for the pods requirement (v2 `requiredResources`, v1 `extraResources`),
 * only those that carry every label the requirement selects on.
 */
function observedPods(
  req: RunFunctionRequest,
  labels: Readonly<Record<string, string>>,
): unknown[] {
  return required(req, PODS_REQUIREMENT).filter((pod) => carriesLabels(pod, labels));
}

/** The HPA Crossplane fetched by name, if it exists yet (KEDA creates it with the ScaledObject). */
function observedAutoscaler(req: RunFunctionRequest, name: string): unknown {
  return required(req, AUTOSCALER_REQUIREMENT).find((o) => get(o, 'metadata', 'name') === name);
}

function baseResponse(req: RunFunctionRequest): RunFunctionResponse {
  return {
    meta: { tag: req.meta?.tag ?? '', ttl: TTL },
    desired: {
      composite: req.desired?.composite,
      resources: { ...(req.desired?.resources ?? {}) },
    },
    results: [],
    context: req.context,
    requirements: undefined,
    conditions: [],
  };
}

function failed(rsp: RunFunctionResponse, message: string): RunFunctionResponse {
  rsp.results.push({ severity: Severity.SEVERITY_FATAL, message });
  return rsp;
}

type Composed =
  | {
      readonly ok: true;
      readonly claim: Claim;
      readonly rendered: Rendered[];
      readonly warnings: readonly Issue[];
    }
  | { readonly ok: false; readonly message: string };

const MiB = 1024 * 1024;

/**
 * Bounds of the memo of composed specs. An entry weighs its key (the spec, two bytes a
 * character) and its encoded objects: the minimal example about 4 KB, the full one about 7 KB,
 * so 512 usual entries fit in 2-3.5 MiB. The byte budget is for large specs: measured, the heap an
 * entry keeps is 1.1 (long strings) to 3.0 (many small objects) times its weight, so 16 MiB keeps
 * the memo under about 48 MiB of heap, within the 256 MiB old space the image gives Node
 * (`FUNCTION_NODE_FLAGS`) and the pod's 384 MiB limit (its DeploymentRuntimeConfig), with the
 * rest left for requests in flight. (Bounded by count only, 40 distinct 1.4 MB specs held
 * 170 MiB, and the image's Node ran out of heap after about 55.) A spec weighing over 1 MiB is
 * composed on every call and never kept: keeping it would evict 150-250 usual entries, and
 * composing it again costs a few milliseconds (a 1.4 MB spec: 2-7 ms).
 */
export const MEMO_LIMITS: MemoLimits = { entries: 512, bytes: 16 * MiB, entryBytes: MiB };

const weigh = (c: Composed): number =>
  c.ok
    ? c.rendered.reduce((sum, { object }) => sum + encodedBytes(object), 0)
    : 2 * c.message.length;

/** Validated and rendered per distinct (claim document, target, provider config). */
const composed = new Memo<Composed>(MEMO_LIMITS, weigh);

/** What the memo of composed specs holds now (for tests and benchmarks). */
export const memoHeld = () => composed.held;

function compose(xr: Obj, target: Target, providerConfigName: string): Composed {
  const id = identify(xr, target);
  if (!id.ok) return id;
  const key = JSON.stringify([target, providerConfigName]) + compositeKey(xr, id);
  return composed.get(key, () => {
    const validation = validateClaim(viewComposite(xr, id).doc);
    if (!validation.ok) {
      // Listed as `eds validate` lists them: one `path  message` a line (the first few).
      return { ok: false, message: listProblems('invalid EventDrivenService:', validation.issues) };
    }
    const { claim, warnings } = validation;
    // Frozen: the same objects answer many requests and must never change in between.
    const rendered = forTarget(render(claim, claim.spec), { target, providerConfigName });
    return { ok: true, claim, rendered: deepFreeze(rendered), warnings };
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export function runFunction(req: RunFunctionRequest): RunFunctionResponse {
  const rsp = baseResponse(req);
  const input = decodeInput(req.input);
  if (!input.ok) return failed(rsp, input.message);
  const { target, providerConfigName } = input.options;

  const xr = req.observed?.composite?.resource;
  if (!isObj(xr)) return failed(rsp, 'the request has no observed composite resource');
  const result = compose(xr, target, providerConfigName);
  if (!result.ok) return failed(rsp, result.message);
  const { claim, rendered } = result;
  // The spec's warnings (a field with no effect) become events, worded as `eds validate` prints
  // them; the spec still composes.
  for (const w of result.warnings) {
    rsp.results.push({
      severity: Severity.SEVERITY_WARNING,
      message: formatIssue(w),
      reason: 'SpecWarning',
      target: ConditionTarget.TARGET_COMPOSITE_AND_CLAIM,
    });
  }
  // The platform's labels, not the name alone: another team may run pods of the same name.
  const labels = platformLabels(claim.name);
  const hpaName = autoscalerName(claim.name);
  const { verdicts, health, replicas } = assess(
    observedComposed(req, target),
    observedPods(req, labels),
    rendered.map((r) => r.key),
  );
  const desired = rsp.desired ?? { composite: undefined, resources: {} };
  for (const { key, object } of rendered) {
    desired.resources[key] = {
      resource: object,
      connectionDetails: {},
      ready: verdicts[key]?.ready === true ? Ready.READY_TRUE : Ready.READY_FALSE,
    };
  }
  // Written whole on every call: Crossplane applies the XR's status, so a count the HPA no longer
  // reports (scaled to zero: no metric) leaves the status instead of staying stale.
  const counts = { ...replicas, ...autoscalingOf(observedAutoscaler(req, hpaName)) };
  if (Object.keys(counts).length > 0) {
    const composite = desired.composite ?? {
      resource: {},
      connectionDetails: {},
      ready: Ready.READY_UNSPECIFIED,
    };
    const status = get(composite.resource, 'status');
    composite.resource = {
      ...composite.resource,
      status: { ...(isObj(status) ? status : {}), ...counts },
    };
    desired.composite = composite;
  }
  rsp.desired = desired;
  rsp.conditions.push({
    type: HEALTH_CONDITION,
    status: health.healthy ? Status.STATUS_CONDITION_TRUE : Status.STATUS_CONDITION_FALSE,
    reason: health.reason,
    message: health.message,
    target: ConditionTarget.TARGET_COMPOSITE_AND_CLAIM,
  });
  // An event only when a pod or KEDA needs a person; not on every reconcile of a healthy service.
  if (
    !health.healthy &&
    !['Creating', 'DeploymentNotReady', 'ScaledObjectNotReady'].includes(health.reason)
  ) {
    rsp.results.push({
      severity: Severity.SEVERITY_WARNING,
      message: `${health.reason}: ${health.message}`,
      reason: health.reason,
      target: ConditionTarget.TARGET_COMPOSITE_AND_CLAIM,
    });
  }
  if (claim.namespace !== undefined) {
    const selector = {
      apiVersion: 'v1',
      kind: 'Pod',
      namespace: claim.namespace,
      matchLabels: { labels },
    };
    const autoscaler = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      namespace: claim.namespace,
      matchName: hpaName,
    };
    const resources = { [PODS_REQUIREMENT]: selector, [AUTOSCALER_REQUIREMENT]: autoscaler };
    rsp.requirements = {
      resources,
      extraResources: resources, // read by Crossplane v1.x
      schemas: {},
    };
  }
  return rsp;
}
