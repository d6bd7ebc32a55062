/**
 * The pods' annotations, from the Deployment's pod template, as `spec.podAnnotations`: every one
 * a claim accepts, in the manifests' order. The rest (an invalid key, a pod-security annotation,
 * a value that is not a string) stay out of the claim, and the comparison reports each with its
 * reason (see `POD_ANNOTATION_RULES`).
 */
import { annotationKeyProblem, reservedAnnotationProblem } from '../api/annotations.js';
import { json, type Facts, type Rule } from './facts.js';
import type { Notes } from './nats.js';
import { at } from './own.js';
import { isObject } from './manifests.js';

/** A value YAML read as a boolean or number, which the API server refuses for an annotation. */
const scalar = (v: unknown): v is boolean | number =>
  typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** Whether the claim can carry `key`; its value is the caller's to check. */
const accepted = (key: string) =>
  annotationKeyProblem(key) === undefined && reservedAnnotationProblem(key) === undefined;

export function podAnnotations(deployment: unknown, notes: Notes): Record<string, string> {
  const annotations = at(deployment, 'spec', 'template', 'metadata', 'annotations');
  if (!isObject(annotations)) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(annotations)) {
    if (!accepted(key)) continue;
    if (typeof value === 'string') out[key] = value;
    else if (scalar(value)) {
      out[key] = String(value);
      notes.warnings.push(
        `spec.podAnnotations[${JSON.stringify(key)}]: the manifests give ${json(value)}, not a string (the API server refuses that); the claim quotes it as ${json(String(value))}`,
      );
    }
  }
  return out;
}

const SECURITY =
  'the platform sets the pods\' security context itself (Pod Security Standards "restricted": RuntimeDefault seccomp, the runtime\'s default AppArmor profile), so a claim takes no pod-security annotation';

function verdictOf(f: Facts): 'policy' | 'lost' {
  const key = f.shape.at(-1) ?? '';
  if (f.after !== undefined) return 'policy';
  if (annotationKeyProblem(key) === undefined && reservedAnnotationProblem(key) !== undefined) {
    // A custom AppArmor profile hardened the container; the runtime's default replaces it.
    const custom = typeof f.before === 'string' && f.before.startsWith('localhost/');
    return key.includes('apparmor') && custom ? 'lost' : 'policy';
  }
  return 'lost';
}

function reasonOf(f: Facts): string {
  const key = f.shape.at(-1) ?? '';
  if (f.after !== undefined) {
    return `annotation values are strings: the claim quotes ${json(f.before)} (the API server refuses the manifest as it is)`;
  }
  const invalid = annotationKeyProblem(key);
  if (invalid !== undefined) return `${json(key)} ${invalid}; the API server refuses it too`;
  if (reservedAnnotationProblem(key) !== undefined) {
    return verdictOf(f) === 'lost'
      ? `the custom AppArmor profile ${json(f.before)} is not representable: ${SECURITY}`
      : SECURITY;
  }
  return 'annotation values are strings; this one is not representable';
}

/** How the pod template's annotations compare: kept, or why not. */
export const POD_ANNOTATION_RULES: readonly Rule[] = [
  { at: 'spec.template.metadata.annotations.*', verdict: verdictOf, reason: reasonOf },
  {
    at: 'spec.template.metadata.annotations.**',
    verdict: 'lost',
    reason: 'annotation values are strings; this one is not representable',
  },
];
