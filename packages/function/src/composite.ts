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

export function viewComposite(xr: unknown, target: Target): CompositeView {
  const labels = get(xr, 'metadata', 'labels');
  const claimName = target === 'legacy' ? str(get(labels, CLAIM_NAME_LABEL)) : undefined;
  const claimNamespace = target === 'legacy' ? str(get(labels, CLAIM_NAMESPACE_LABEL)) : undefined;
  const name = claimName ?? str(get(xr, 'metadata', 'name'));
  const namespace = claimNamespace ?? str(get(xr, 'metadata', 'namespace'));
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
