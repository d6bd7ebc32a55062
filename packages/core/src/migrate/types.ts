/**
 * The data `migrate()` returns. Problems, differences and assumptions are plain data; turning
 * them into text or JSON is the CLI's job.
 */
import type { ClaimInput } from '../api/schema.js';

/** A manifest file as the caller read it. `.json` names are parsed as JSON, the rest as YAML. */
export interface ManifestFile {
  readonly name: string;
  readonly text: string;
}

export type MigrationProblemCode =
  | 'yaml-syntax'
  | 'json-syntax'
  | 'not-an-object'
  | 'no-kind'
  | 'duplicate-object'
  | 'no-deployment'
  | 'no-containers'
  | 'no-nats-stream'
  | 'no-nats-consumer'
  | 'invalid-claim';

/** Why the input cannot be migrated at all (the CLI exits 2). */
export interface MigrationProblem {
  readonly code: MigrationProblemCode;
  readonly file: string;
  /** 0-based index of the document in its file, when the problem is in one. */
  readonly document?: number;
  readonly line?: number;
  readonly column?: number;
  readonly message: string;
}

/** Where an object came from. */
export interface Origin {
  readonly file: string;
  readonly document: number;
  /** Index in a `kind: List` document's `items`, when it came from one. */
  readonly item?: number;
}

/** A Kubernetes object read from the input, with server-set fields removed. */
export interface Manifest {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly object: Record<string, unknown>;
  readonly origin: Origin;
  /** Paths of the server-set fields that were removed, e.g. `status`, `metadata.uid`. */
  readonly ignored: readonly string[];
}

/**
 * - `same`: the platform creates what the manifests say (possibly written differently, e.g.
 *   `1` and `1000m`, or a Kubernetes default spelled out);
 * - `policy`: the platform decides this field differently on purpose, for every service;
 * - `lost`: the manifests say something an EventDrivenService cannot express.
 */
export type Verdict = 'same' | 'policy' | 'lost';

export interface Difference {
  readonly verdict: Verdict;
  /** The kind of the object compared: `Deployment`, `Service`, `ScaledObject`, `ServiceMonitor`, … */
  readonly kind: string;
  /** The object's name in the manifests, or the platform's name when the manifests had none. */
  readonly name: string;
  /** Path of the field in the object, e.g. `spec.template.spec.containers[name=app].image`. */
  readonly path: string;
  /** The value in the manifests; absent when they did not set it. */
  readonly before?: unknown;
  /** The value the platform renders; absent when it does not set it. */
  readonly after?: unknown;
  /** One line: which claim field carries it, why the platform differs, or how to keep it. */
  readonly reason: string;
}

/** A claim value the manifests did not state, so the migration chose it. */
export interface Assumption {
  readonly field: string;
  readonly value: unknown;
  readonly reason: string;
}

export interface ServiceSource {
  readonly kind: string;
  readonly name: string;
  readonly origin: Origin;
  readonly ignored: readonly string[];
}

export interface ServiceMigration {
  readonly name: string;
  readonly namespace?: string;
  /** The claim, with only the fields that differ from the API's defaults. */
  readonly claim: ClaimInput;
  readonly sources: readonly ServiceSource[];
  readonly differences: readonly Difference[];
  readonly assumptions: readonly Assumption[];
  readonly warnings: readonly string[];
  readonly counts: Readonly<Record<Verdict, number>>;
}

/** An input object that belongs to no migrated service. */
export interface Leftover {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly origin: Origin;
  readonly reason: string;
}

export interface MigrationReport {
  readonly services: readonly ServiceMigration[];
  readonly leftovers: readonly Leftover[];
  /** Differences classified `lost`, plus leftovers: the number of things the claims drop. */
  readonly lost: number;
}

export type MigrationResult =
  | { readonly ok: true; readonly report: MigrationReport }
  | { readonly ok: false; readonly problems: readonly MigrationProblem[] };
