/**
 * Kubernetes' rules for label and annotation keys (apimachinery `IsQualifiedName`) and label
 * values (`IsValidLabelValue`), with messages that say which part is wrong. Shared by
 * `spec.podAnnotations`, `spec.metrics.serviceMonitor.labels` and `eds migrate`.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
 */
import { show } from './issues.js';

/** The name part of a key, and a label value: at most 63 characters. */
export const QUALIFIED_NAME_MAX = 63;
/** The prefix part, a DNS-1123 subdomain: at most 253 characters. */
export const QUALIFIED_PREFIX_MAX = 253;

const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A label value: empty, or a name (apimachinery `labelValueRegexp`). */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

const NAME_RULE = `letters, digits, "-", "_" and ".", starting and ending with a letter or digit, at most ${QUALIFIED_NAME_MAX} characters`;

/** What kind of key is checked, for the rule's wording. */
export interface KeyKind {
  /** "annotation" or "label": completes "is not a valid … key". */
  readonly noun: string;
  /** A valid key, for the message: `e.g. "sidecar.istio.io/inject"`. */
  readonly example: string;
  /**
   * Annotation keys are checked lowercased (`ValidateAnnotations`), so their prefix may use
   * capitals; label keys are not (`ValidateLabelName`).
   */
  readonly lowercase: boolean;
}

/** Why `key` is not a valid qualified name of `kind`, or `undefined` when it is. */
export function qualifiedNameProblem(key: string, kind: KeyKind): string | undefined {
  const example = `e.g. ${JSON.stringify(kind.example)}`;
  const parts = key.split('/');
  if (parts.length > 2) {
    return `is not a valid ${kind.noun} key: it has more than one "/"; a key is a name, optionally after a DNS subdomain prefix and "/" (${example})`;
  }
  const prefix = parts.length === 2 ? parts[0] : undefined;
  const name = parts.at(-1) ?? '';
  const problems: string[] = [];
  const letters = kind.lowercase ? 'letters' : 'lowercase letters';
  if (prefix === '') problems.push('the prefix before "/" is empty');
  else if (prefix !== undefined && prefix.length > QUALIFIED_PREFIX_MAX) {
    problems.push(
      `the prefix is ${prefix.length} characters long; the limit is ${QUALIFIED_PREFIX_MAX}`,
    );
  } else if (
    prefix !== undefined &&
    !SUBDOMAIN.test(kind.lowercase ? prefix.toLowerCase() : prefix)
  ) {
    problems.push(
      `the prefix ${show(prefix)} must be a DNS subdomain: ${letters}, digits, "-" and ".", starting and ending with a letter or digit, at most ${QUALIFIED_PREFIX_MAX} characters`,
    );
  }
  const what = prefix === undefined ? 'the key' : 'the name after "/"';
  if (name === '') problems.push(`${what} is empty`);
  else if (name.length > QUALIFIED_NAME_MAX) {
    problems.push(`${what} is ${name.length} characters long; the limit is ${QUALIFIED_NAME_MAX}`);
  } else if (!NAME.test(name)) {
    const named = prefix === undefined ? `the key ${show(name)}` : `the name ${show(name)}`;
    problems.push(`${named} must be ${NAME_RULE}`);
  }
  if (problems.length === 0) return undefined;
  return `is not a valid ${kind.noun} key: ${problems.join('; ')} (${example})`;
}

/** Whether `value` is a valid label value (at most 63 characters of the name rule, or empty). */
export const isLabelValue = (value: string): boolean =>
  value.length <= QUALIFIED_NAME_MAX && LABEL_VALUE.test(value);

/** Why `value` is not a valid label value, or `undefined` when it is. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > QUALIFIED_NAME_MAX) {
    return `${show(value)} is not a valid label value: it is ${value.length} characters long; the limit is ${QUALIFIED_NAME_MAX}`;
  }
  if (LABEL_VALUE.test(value)) return undefined;
  return `${show(value)} is not a valid label value: it must be empty or ${NAME_RULE} (e.g. "kube-prometheus-stack")`;
}
