/**
 * The observed XR as a claim document for the core validator: identity from the XR (or, for
 * legacy XRs, from the claim labels Crossplane sets), spec without Crossplane's own fields.
 */
import { API_VERSION, KIND, type Target } from '@eds/core';
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

export const CLAIM_NAME_LABEL = 'crossplane.io/claim-name';
export const CLAIM_NAMESPACE_LABEL = 'crossplane.io/claim-namespace';

export interface CompositeView {
  readonly name: string | undefined;
  readonly namespace: string | undefined;
  /** Claim-shaped document for `validateClaim`. */
  readonly doc: Obj;
}

function identity(xr: unknown, target: Target) {
  const labels = get(xr, 'metadata', 'labels');
  const claimName = target === 'legacy' ? str(get(labels, CLAIM_NAME_LABEL)) : undefined;
  const claimNamespace = target === 'legacy' ? str(get(labels, CLAIM_NAMESPACE_LABEL)) : undefined;
  return {
    name: claimName ?? str(get(xr, 'metadata', 'name')),
    namespace: claimNamespace ?? str(get(xr, 'metadata', 'namespace')),
  };
}

/**
 * A string that is equal for two XRs whenever their views are equal: everything the view is
 * made of, without building it. (Crossplane's own spec fields are kept in: when they change,
 * the view is built again, which costs a little and is never wrong.)
 */
export function compositeKey(xr: unknown, target: Target): string {
  const { name, namespace } = identity(xr, target);
  return JSON.stringify([name, namespace, get(xr, 'spec')]);
}

export function viewComposite(xr: unknown, target: Target): CompositeView {
  const { name, namespace } = identity(xr, target);
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
