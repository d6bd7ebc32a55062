/**
 * Manifest text → Kubernetes objects: multi-document YAML or JSON, `kind: List` (and
 * `DeploymentList`, …) flattened, and the fields the API server sets removed, so that
 * `kubectl get -o yaml` output reads like the manifest that produced it.
 */
import { checkValueLimits, YamlLimitError } from '../source/limits.js';
import { parseYamlDocuments, type SourceDocument } from '../source/yaml.js';
import type { Manifest, ManifestFile, MigrationProblem, Origin } from './types.js';

type Obj = Record<string, unknown>;

export const isObject = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The mappings in a list; nothing when `v` is not a list. */
export const objects = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObject) : []);

/** Set by the API server or by controllers, never by the author of a manifest. */
const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
] as const;

const SERVER_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
  'kubectl.kubernetes.io/restartedAt',
] as const;

/** Added by KEDA to the ScaledObjects it manages. */
const KEDA_LABEL = 'scaledobject.keda.sh/name';
const KEDA_FINALIZER = 'finalizer.keda.sh';

function stripMetadata(meta: unknown, prefix: string, ignored: string[]): void {
  if (!isObject(meta)) return;
  for (const key of SERVER_METADATA) {
    if (key in meta) {
      Reflect.deleteProperty(meta, key);
      ignored.push(`${prefix}.${key}`);
    }
  }
  const annotations = meta.annotations;
  if (isObject(annotations)) {
    for (const key of SERVER_ANNOTATIONS) {
      if (key in annotations) {
        Reflect.deleteProperty(annotations, key);
        ignored.push(`${prefix}.annotations["${key}"]`);
      }
    }
    if (Object.keys(annotations).length === 0) delete meta.annotations;
  }
}

function stripKinds(kind: string, object: Obj, ignored: string[]): void {
  const spec = object.spec;
  const meta = object.metadata as Obj;
  if (kind === 'Deployment' && isObject(spec) && isObject(spec.template)) {
    stripMetadata(spec.template.metadata, 'spec.template.metadata', ignored);
    if (isObject(spec.template.metadata) && Object.keys(spec.template.metadata).length === 0) {
      delete spec.template.metadata;
    }
  }
  if (kind === 'Service' && isObject(spec)) {
    // Allocated by the API server; a headless Service ("None") is the author's choice.
    for (const key of ['clusterIP', 'clusterIPs', 'ipFamilies'] as const) {
      const value = spec[key];
      if (
        value !== undefined &&
        value !== 'None' &&
        !(Array.isArray(value) && value[0] === 'None')
      ) {
        Reflect.deleteProperty(spec, key);
        ignored.push(`spec.${key}`);
      }
    }
  }
  if (kind === 'ScaledObject') {
    const labels = meta.labels;
    if (isObject(labels) && KEDA_LABEL in labels) {
      Reflect.deleteProperty(labels, KEDA_LABEL);
      ignored.push(`metadata.labels["${KEDA_LABEL}"]`);
      if (Object.keys(labels).length === 0) delete meta.labels;
    }
  }
  const finalizers = meta.finalizers;
  if (Array.isArray(finalizers) && finalizers.includes(KEDA_FINALIZER)) {
    const rest = finalizers.filter((f) => f !== KEDA_FINALIZER);
    ignored.push(`metadata.finalizers["${KEDA_FINALIZER}"]`);
    if (rest.length === 0) delete meta.finalizers;
    else meta.finalizers = rest;
  }
  if (kind === 'ServiceAccount' && Array.isArray(object.secrets)) {
    // Token Secrets the control plane generated before Kubernetes 1.24.
    const name = String(meta.name);
    const kept = object.secrets.filter(
      (s) => !(isObject(s) && typeof s.name === 'string' && s.name.startsWith(`${name}-token-`)),
    );
    if (kept.length !== object.secrets.length) {
      ignored.push('secrets (generated tokens)');
      if (kept.length === 0) delete object.secrets;
      else object.secrets = kept;
    }
  }
}

/** Removes what the API server and controllers set; returns what was removed. */
export function stripServerFields(kind: string, object: Obj): string[] {
  const ignored: string[] = [];
  if ('status' in object) {
    delete object.status;
    ignored.push('status');
  }
  stripMetadata(object.metadata, 'metadata', ignored);
  stripKinds(kind, object, ignored);
  return ignored;
}

interface Parsed {
  readonly values: { readonly value: unknown; readonly document: number }[];
  readonly problems: MigrationProblem[];
}

function parseJson(file: ManifestFile): Parsed {
  try {
    const value = JSON.parse(file.text) as unknown;
    // The same limits as YAML (JSON.parse itself takes any depth; what walks the value after
    // it would not).
    checkValueLimits([value]);
    return { values: [{ value, document: 0 }], problems: [] };
  } catch (e) {
    if (e instanceof YamlLimitError) {
      return {
        values: [],
        problems: [{ code: 'json-syntax', file: file.name, message: e.message }],
      };
    }
    const message = e instanceof Error ? e.message : String(e);
    return { values: [], problems: [{ code: 'json-syntax', file: file.name, message }] };
  }
}

function parseYaml(file: ManifestFile): Parsed {
  const values: Parsed['values'] = [];
  const problems: MigrationProblem[] = [];
  let docs: SourceDocument[];
  try {
    docs = parseYamlDocuments(file.text);
  } catch (e) {
    if (!(e instanceof YamlLimitError)) throw e;
    return { values, problems: [{ code: 'yaml-syntax', file: file.name, message: e.message }] };
  }
  for (const doc of docs) {
    for (const i of doc.issues) {
      problems.push({
        code: 'yaml-syntax',
        file: file.name,
        document: doc.index,
        ...(i.line === undefined ? {} : { line: i.line }),
        ...(i.column === undefined ? {} : { column: i.column }),
        message: i.message,
      });
    }
    if (doc.issues.length === 0 && doc.value !== null && doc.value !== undefined) {
      values.push({ value: doc.value, document: doc.index });
    }
  }
  return { values, problems };
}

function describe(origin: Origin): string {
  return origin.item === undefined
    ? `document ${origin.document + 1}`
    : `document ${origin.document + 1}, items[${origin.item}]`;
}

function toManifest(value: unknown, origin: Origin): Manifest | MigrationProblem {
  const base = { file: origin.file, document: origin.document };
  if (!isObject(value)) {
    return { ...base, code: 'not-an-object', message: `${describe(origin)} is not a mapping` };
  }
  const object = structuredClone(value);
  const meta = object.metadata;
  if (typeof object.kind !== 'string' || !isObject(meta) || typeof meta.name !== 'string') {
    return {
      ...base,
      code: 'no-kind',
      message: `${describe(origin)} is not a Kubernetes object: it needs kind and metadata.name`,
    };
  }
  const ignored = stripServerFields(object.kind, object);
  return {
    kind: object.kind,
    name: meta.name,
    ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
    object,
    origin,
    ignored,
  };
}

/** `kind: List` and typed lists (`DeploymentList`) as `kubectl get -o yaml` prints them. */
const isList = (value: unknown): value is Obj & { items: unknown[] } =>
  isObject(value) &&
  typeof value.kind === 'string' &&
  value.kind.endsWith('List') &&
  Array.isArray(value.items);

export interface ReadManifests {
  readonly manifests: readonly Manifest[];
  readonly problems: readonly MigrationProblem[];
}

/** Parses every file; problems name the file, document and (for YAML) the line. */
export function readManifests(files: readonly ManifestFile[]): ReadManifests {
  const manifests: Manifest[] = [];
  const problems: MigrationProblem[] = [];
  for (const file of files) {
    const parsed = file.name.toLowerCase().endsWith('.json') ? parseJson(file) : parseYaml(file);
    problems.push(...parsed.problems);
    for (const { value, document } of parsed.values) {
      const items = isList(value)
        ? value.items.map((v, item) => ({ v, origin: { file: file.name, document, item } }))
        : [{ v: value, origin: { file: file.name, document } }];
      for (const { v, origin } of items) {
        const result = toManifest(v, origin);
        if ('code' in result) problems.push(result);
        else manifests.push(result);
      }
    }
  }
  return { manifests, problems: [...problems, ...duplicates(manifests)] };
}

function duplicates(manifests: readonly Manifest[]): MigrationProblem[] {
  const seen = new Map<string, Manifest>();
  const out: MigrationProblem[] = [];
  for (const m of manifests) {
    const key = `${m.kind}/${m.namespace ?? ''}/${m.name}`;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, m);
      continue;
    }
    out.push({
      code: 'duplicate-object',
      file: m.origin.file,
      document: m.origin.document,
      message: `${m.kind} ${JSON.stringify(m.name)} is also in ${first.origin.file} (${describe(first.origin)}); pass each object once`,
    });
  }
  return out;
}
