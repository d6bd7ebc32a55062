/**
 * The observed XR as a claim document for the core validator: identity from the XR (or, for
 * legacy XRs, from the claim reference Crossplane sets), spec without Crossplane's own fields.
 */
import { API_GROUP, API_VERSION, KIND, LEGACY_XR_KIND, type Target } from '@eds/core';
import { get, isObj, str, type Obj } from './object.js';

/** Fields Crossplane adds to an XR's spec; they are not part of the EventDrivenService API. */
const CROSSPLANE_SPEC_FIELDS = [
  'crossplane',
  'compositionRef',
  'compositionRevisionRef',
  'compositionRevisionSelector',
  'compositionSelector',
  'compositionUpdatePolicy',
  'claimRef',
  'resourceRef',
  'resourceRefs',
  'writeConnectionSecretToRef',
  'publishConnectionDetailsTo',
  'environmentConfigRefs',
];

/** The claim's name and namespace: where the composed objects go. */
export interface Identity {
  readonly name: string | undefined;
  readonly namespace: string | undefined;
}

export type Identified =
  ({ readonly ok: true } & Identity) | { readonly ok: false; readonly message: string };

export interface CompositeView extends Identity {
  /** Claim-shaped document for `validateClaim`. */
  readonly doc: Obj;
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** A value quoted for a message, at most 60 characters (as core's `show`, which it does not export). */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Who the XR is composed for. v2: the namespaced XR itself (its namespace is set by the API
 * server). Legacy: the claim in `spec.claimRef`, which Crossplane's claim controller writes when
 * it creates the cluster-scoped XR for a claim and checks on every bind (it refuses a claim whose
 * XR names another). Never the `crossplane.io/claim-namespace` label: labels are copied from the
 * claim, are changed by anyone who may label the XR, and are not checked by anything; an XR
 * created directly with that label set to `kube-system` would compose into `kube-system`. An XR
 * without a claim reference was not made for a claim, so no namespace was asked for: refused.
 */
export function identify(xr: unknown, target: Target): Identified {
  if (target === 'v2') {
    return {
      ok: true,
      name: str(get(xr, 'metadata', 'name')),
      namespace: str(get(xr, 'metadata', 'namespace')),
    };
  }
  const ref = get(xr, 'spec', 'claimRef');
  const xrName = get(xr, 'metadata', 'name');
  const what = `${LEGACY_XR_KIND}${xrName === undefined ? '' : ` ${show(xrName)}`}`;
  const fix =
    `The legacy target composes an ${LEGACY_XR_KIND} only for the ${KIND} claim it belongs to, ` +
    `and places the objects in that claim's namespace, read from spec.claimRef, which Crossplane ` +
    `sets when it creates the XR for a claim. Create an ${KIND} (${API_VERSION}) in the namespace ` +
    `the service should run in instead of creating the ${LEGACY_XR_KIND} directly.`;
  const refused = (problem: string): Identified => ({
    ok: false,
    message: `cannot compose ${what}:\n${problem}\n${fix}`,
  });
  if (ref === undefined) return refused('spec.claimRef  is missing');
  if (!isObj(ref)) return refused(`spec.claimRef  ${show(ref)} must be a mapping`);
  const { name, namespace, kind, apiVersion } = ref;
  if (!nonEmpty(name)) {
    return refused(`spec.claimRef.name  ${show(name)} must be a non-empty string`);
  }
  if (!nonEmpty(namespace)) {
    return refused(`spec.claimRef.namespace  ${show(namespace)} must be a non-empty string`);
  }
  if (kind !== KIND) return refused(`spec.claimRef.kind  ${show(kind)} must be "${KIND}"`);
  if (typeof apiVersion !== 'string' || !apiVersion.startsWith(`${API_GROUP}/`)) {
    return refused(`spec.claimRef.apiVersion  ${show(apiVersion)} must be in group "${API_GROUP}"`);
  }
  return { ok: true, name, namespace };
}

/**
 * A string that is equal for two XRs whenever their views are equal: everything the view is
 * made of, without building it. (Crossplane's own spec fields are kept in: when they change,
 * the view is built again, which costs a little and is never wrong.)
 */
export function compositeKey(xr: unknown, id: Identity): string {
  return JSON.stringify([id.name, id.namespace, get(xr, 'spec')]);
}

export function viewComposite(xr: unknown, id: Identity): CompositeView {
  const { name, namespace } = id;
  const rawSpec = get(xr, 'spec');
  const spec = isObj(rawSpec)
    ? Object.fromEntries(
        Object.entries(rawSpec).filter(([k]) => !CROSSPLANE_SPEC_FIELDS.includes(k)),
      )
    : rawSpec;
  return {
    name,
    namespace,
    doc: {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: {
        ...(name === undefined ? {} : { name }),
        ...(namespace === undefined ? {} : { namespace }),
      },
      ...(spec === undefined ? {} : { spec }),
    },
  };
}
