/**
 * Where the composed objects go. v2: the namespaced XR's own namespace. Legacy: the namespace of
 * the claim named in `spec.claimRef`, which Crossplane's claim controller sets; never the
 * `crossplane.io/claim-namespace` label, which anyone who may label the XR can set. A legacy XR
 * without a claim reference is refused with one FATAL result naming the field.
 */
import { Severity, type RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { runFunction } from '@eds/function';
import { describe, expect, it } from 'vitest';
import { claimFile, request, xrFor } from './requests.js';

type Obj = Record<string, unknown>;
const minimal = claimFile('minimal-claim.yaml'); // namespace "workers"

/** A legacy XR as `xrFor` makes it, with its claim labels and `spec.claimRef` replaced. */
function legacyXr(labels: Obj, claimRef: unknown): Obj {
  const xr = xrFor(minimal, 'legacy');
  const spec = { ...(xr.spec as Obj) };
  delete spec.claimRef;
  return {
    ...xr,
    metadata: { ...(xr.metadata as Obj), labels },
    spec: claimRef === undefined ? spec : { ...spec, claimRef },
  };
}

const hostile = {
  'crossplane.io/claim-name': 'simple-worker',
  'crossplane.io/claim-namespace': 'kube-system',
};
const claimRef = {
  apiVersion: 'platform.bizmatters.io/v1alpha1',
  kind: 'EventDrivenService',
  name: 'simple-worker',
  namespace: 'workers',
};

/** Every namespace the answer names: wrapped manifests and the pods requirement. */
function namespaces(rsp: ReturnType<typeof runFunction>): string[] {
  const manifests = Object.values(rsp.desired?.resources ?? {}).map(
    (r) =>
      (r.resource as { spec: { forProvider: { manifest: { metadata: { namespace?: string } } } } })
        .spec.forProvider.manifest.metadata.namespace ?? '(none)',
  );
  return [...manifests, rsp.requirements?.resources.pods?.namespace ?? '(none)'];
}

const FIX =
  "The legacy target composes an XEventDrivenService only for the EventDrivenService claim it belongs to, and places the objects in that claim's namespace, read from spec.claimRef, which Crossplane sets when it creates the XR for a claim. Create an EventDrivenService (platform.bizmatters.io/v1alpha1) in the namespace the service should run in instead of creating the XEventDrivenService directly.";

/** The whole answer to a refused XR: one FATAL result, nothing composed, nothing required. */
const refused = (req: RunFunctionRequest, problem: string) => ({
  meta: { tag: 'tag-1', ttl: { seconds: 60, nanos: 0 } },
  desired: { composite: undefined, resources: {} },
  results: [
    {
      severity: Severity.SEVERITY_FATAL,
      message: `cannot compose XEventDrivenService "simple-worker-x7k2p":\n${problem}\n${FIX}`,
    },
  ],
  context: req.context,
  requirements: undefined,
  conditions: [],
});

describe('the legacy target takes the namespace from the claim reference', () => {
  it('composes into the namespace of spec.claimRef, as Crossplane sets it for a claim', () => {
    const rsp = runFunction(request({ xr: xrFor(minimal, 'legacy'), target: 'legacy' }));
    expect(rsp.results).toEqual([]);
    expect(namespaces(rsp)).toEqual([
      'workers', // five objects, then the pods requirement
      'workers',
      'workers',
      'workers',
      'workers',
      'workers',
    ]);
  });

  it('ignores a claim-namespace label that disagrees with spec.claimRef', () => {
    const rsp = runFunction(request({ xr: legacyXr(hostile, claimRef), target: 'legacy' }));
    expect(rsp.results).toEqual([]);
    expect(namespaces(rsp)).toEqual([
      'workers', // five objects, then the pods requirement
      'workers',
      'workers',
      'workers',
      'workers',
      'workers',
    ]);
  });

  it.each<[string, Obj, unknown, string]>([
    [
      'an XR created directly, labelled for kube-system',
      hostile,
      undefined,
      'spec.claimRef  is missing',
    ],
    ['an XR created directly, without labels', {}, undefined, 'spec.claimRef  is missing'],
    [
      'a claim reference that is not a mapping',
      hostile,
      'kube-system',
      'spec.claimRef  "kube-system" must be a mapping',
    ],
    [
      'a claim reference without a namespace',
      hostile,
      { ...claimRef, namespace: undefined },
      'spec.claimRef.namespace  nothing must be a non-empty string',
    ],
    [
      'a claim reference with an empty namespace',
      hostile,
      { ...claimRef, namespace: '' },
      'spec.claimRef.namespace  "" must be a non-empty string',
    ],
    [
      'a claim reference without a name',
      hostile,
      { ...claimRef, name: 7 },
      'spec.claimRef.name  7 must be a non-empty string',
    ],
    [
      'a claim reference to another kind',
      hostile,
      { ...claimRef, kind: 'Secret' },
      'spec.claimRef.kind  "Secret" must be "EventDrivenService"',
    ],
    [
      'a claim reference to another API group',
      hostile,
      { ...claimRef, apiVersion: 'v1' },
      'spec.claimRef.apiVersion  "v1" must be in group "platform.bizmatters.io"',
    ],
  ])('refuses %s with a FATAL result naming the field', (_what, labels, ref, problem) => {
    const req = request({ xr: legacyXr(labels, ref), target: 'legacy' });
    expect(runFunction(req)).toEqual(refused(req, problem));
  });
});

describe('the v2 target takes the namespace from the XR', () => {
  it('ignores claim labels and any claim reference on a namespaced XR', () => {
    const xr = xrFor(minimal);
    const rsp = runFunction(
      request({
        xr: {
          ...xr,
          metadata: { ...(xr.metadata as Obj), labels: hostile },
          spec: { ...(xr.spec as Obj), claimRef: { ...claimRef, namespace: 'kube-system' } },
        },
      }),
    );
    expect(rsp.results).toEqual([]);
    const placed = Object.values(rsp.desired?.resources ?? {}).map(
      (r) => (r.resource as { metadata: { namespace?: string } }).metadata.namespace,
    );
    expect([...placed, rsp.requirements?.resources.pods?.namespace]).toEqual([
      'workers',
      'workers',
      'workers',
      'workers',
      'workers',
      'workers',
    ]);
  });
});
