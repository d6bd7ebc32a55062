/**
 * The rules of `spec.podAnnotations`: what the API server accepts as annotation keys and sizes
 * (k8s.io/apimachinery `ValidateAnnotations`), and the keys the claim may not set because the
 * platform decides what they would say. Shared by validation and by `eds migrate`, which keeps
 * only the annotations a claim accepts.
 */
import { issue, type Issue, type Segment } from './issues.js';
import {
  QUALIFIED_NAME_MAX,
  QUALIFIED_PREFIX_MAX,
  qualifiedNameProblem,
  type KeyKind,
} from './qualified-name.js';
import { MAX_LISTED } from './structural.js';

/** Kubernetes' limit on a pod's annotations, keys and values together, in bytes (256 KiB). */
export const ANNOTATIONS_SIZE_LIMIT = 256 * 1024;

/** The name part of a key: at most 63 characters (apimachinery's qualified name). */
export const ANNOTATION_NAME_MAX = QUALIFIED_NAME_MAX;
/** The prefix part, a DNS-1123 subdomain: at most 253 characters. */
export const ANNOTATION_PREFIX_MAX = QUALIFIED_PREFIX_MAX;

const ANNOTATION_KEY: KeyKind = {
  noun: 'annotation',
  example: 'sidecar.istio.io/inject',
  lowercase: true,
};

/**
 * Why `key` is not a valid annotation key, or `undefined` when it is. The rule is
 * apimachinery's `IsQualifiedName` on the lowercased key, as `ValidateAnnotations` applies it:
 * an optional DNS subdomain prefix and "/", then a name.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/annotations/#syntax-and-character-set
 */
export function annotationKeyProblem(key: string): string | undefined {
  return qualifiedNameProblem(key, ANNOTATION_KEY);
}

/**
 * Annotations the claim may not set on the pods, and why. The platform's render code writes no
 * annotation on the pod template, so none is refused for being the platform's own; if it ever
 * writes one, its key belongs here. What is refused are the Kubernetes pod-security annotations
 * (the `*.security.alpha.kubernetes.io` and `*.security.beta.kubernetes.io` domains): each one
 * is an older spelling of a security context field, and the platform sets the security context
 * of every pod and container (Pod Security Standards "restricted", ADR 4):
 * - `seccomp.security.alpha.kubernetes.io/pod`, `container.seccomp.security.alpha.kubernetes.io/<c>`:
 *   ignored since Kubernetes 1.27 (the API server warns "non-functional"); the platform sets
 *   `seccompProfile: RuntimeDefault` on the pod and every container.
 * - `container.apparmor.security.beta.kubernetes.io/<c>`: still applied to pods (deprecated
 *   since 1.30), so it would replace the containers' AppArmor profile; `unconfined` breaks the
 *   "restricted" (and "baseline") standard, and admission then refuses every pod, a failure the
 *   claim would not show.
 * - `security.alpha.kubernetes.io/sysctls`, `.../unsafe-sysctls`: ignored since 1.11.
 * Other `kubernetes.io` keys stay open (ADR 7): several are meant for users to set on pods
 * (`kubectl.kubernetes.io/default-container`, `cluster-autoscaler.kubernetes.io/safe-to-evict`).
 */
export function reservedAnnotationProblem(key: string): string | undefined {
  const lower = key.toLowerCase();
  const slash = lower.indexOf('/');
  const prefix = slash === -1 ? '' : lower.slice(0, slash);
  const security = ['security.alpha.kubernetes.io', 'security.beta.kubernetes.io'].some(
    (d) => prefix === d || prefix.endsWith(`.${d}`),
  );
  if (!security) return undefined;
  return 'is a Kubernetes pod-security annotation, and the platform sets the pods\' security context itself (Pod Security Standards "restricted": RuntimeDefault seccomp, the runtime\'s default AppArmor profile); remove it';
}

/** Bytes of `s` in UTF-8, as Go's `len` counts a string. */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The problems of `spec.podAnnotations` that its JSON Schema cannot state: each invalid or
 * refused key (at the key), and a total over Kubernetes' limit (at the map). Values that are not
 * strings are the schema's to report.
 */
export function podAnnotationIssues(spec: Record<string, unknown>): Issue[] {
  const annotations = spec.podAnnotations;
  if (!isObject(annotations)) return [];
  const at = ['spec', 'podAnnotations'];
  let size = 0;
  const out = entryIssues(annotations, at, 'annotation keys', (key, value) => {
    size += utf8Length(key) + (typeof value === 'string' ? utf8Length(value) : 0);
    const invalid = annotationKeyProblem(key);
    if (invalid !== undefined) return [issue('annotation-key', [...at, key], invalid)];
    const reserved = reservedAnnotationProblem(key);
    return reserved === undefined ? [] : [issue('reserved-annotation', [...at, key], reserved)];
  });
  if (size > ANNOTATIONS_SIZE_LIMIT) {
    out.push(
      issue(
        'too-long',
        at,
        `keys and values come to ${size} bytes; Kubernetes allows at most ${ANNOTATIONS_SIZE_LIMIT} (256 KiB) of annotations on a pod: shorten or remove some`,
      ),
    );
  }
  return out;
}

/**
 * The problems of a map's entries, `problems(key, value)` for each, listing those of the first
 * `MAX_LISTED` entries that have any and counting the rest in one `too-many` issue at the map.
 */
export function entryIssues(
  map: Readonly<Record<string, unknown>>,
  at: readonly Segment[],
  what: string,
  problems: (key: string, value: unknown) => Issue[],
): Issue[] {
  const out: Issue[] = [];
  let bad = 0;
  for (const [key, value] of Object.entries(map)) {
    const found = problems(key, value);
    if (found.length === 0 || ++bad > MAX_LISTED) continue;
    out.push(...found);
  }
  if (bad <= MAX_LISTED) return out;
  const unlisted = bad - MAX_LISTED;
  out.push({
    ...issue(
      'too-many',
      at,
      `${unlisted} more keys are not valid ${what}, not listed (at most ${MAX_LISTED} are); fix the listed ones first`,
    ),
    unlisted,
  });
  return out;
}
