/**
 * Hand-written manifests → one claim per service, with a parity report: what the platform
 * would create compared field by field with what the manifests say. Pure: no I/O, no clock.
 */
import type { ClaimInput } from '../api/schema.js';
import { validateClaim } from '../api/validate.js';
import { compareService } from './compare.js';
import { extractClaim } from './extract.js';
import { groupManifests, type ServiceGroup } from './group.js';
import { readManifests } from './manifests.js';
import type {
  Manifest,
  ManifestFile,
  MigrationProblem,
  MigrationResult,
  ServiceMigration,
  ServiceSource,
  Verdict,
} from './types.js';

function sources(group: ServiceGroup): ServiceSource[] {
  const members = [
    group.deployment,
    group.service,
    group.scaledObject,
    group.serviceAccount,
    group.podDisruptionBudget,
    group.serviceMonitor,
    group.consumer,
  ];
  return members
    .filter((m): m is Manifest => m !== undefined)
    .map((m) => ({ kind: m.kind, name: m.name, origin: m.origin, ignored: m.ignored }));
}

function inventory(manifests: readonly Manifest[]): string {
  if (manifests.length === 0) return 'no Kubernetes objects at all';
  const counts = new Map<string, number>();
  for (const m of manifests) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
  return [...counts].map(([kind, n]) => `${n} ${kind}`).join(', ');
}

function migrateService(group: ServiceGroup): ServiceMigration | MigrationProblem {
  const extraction = extractClaim(group);
  if ('code' in extraction) return extraction;
  const validation = validateClaim(extraction.doc);
  const d = group.deployment;
  if (!validation.ok) {
    return {
      code: 'invalid-claim',
      file: d.origin.file,
      document: d.origin.document,
      message: `Deployment ${JSON.stringify(d.name)} cannot be expressed as a claim: ${validation.issues
        .map((i) => `${i.path}: ${i.message}`)
        .join('; ')}`,
    };
  }
  const claim = validation.claim;
  const differences = compareService(group, extraction, claim);
  const counts: Record<Verdict, number> = { same: 0, policy: 0, lost: 0 };
  for (const diff of differences) counts[diff.verdict]++;
  return {
    name: claim.name,
    ...(claim.namespace === undefined ? {} : { namespace: claim.namespace }),
    claim: extraction.doc as unknown as ClaimInput,
    sources: sources(group),
    differences,
    assumptions: extraction.assumptions,
    // The claim's own warnings (a field with no effect), as `eds validate` would give them.
    warnings: [
      ...extraction.warnings,
      ...validation.warnings.map((w) => `${w.path}: ${w.message}`),
    ],
    counts,
  };
}

/** Reads the manifests and migrates every Deployment in them. Never throws on any input. */
export function migrate(files: readonly ManifestFile[]): MigrationResult {
  const read = readManifests(files);
  if (read.problems.length > 0) return { ok: false, problems: read.problems };
  const { groups, leftovers } = groupManifests(read.manifests);
  if (groups.length === 0) {
    const names = files.map((f) => f.name).join(', ');
    return {
      ok: false,
      problems: [
        {
          code: 'no-deployment',
          file: names,
          message: `no Deployment in the input (found ${inventory(read.manifests)}); eds migrate starts from each service's Deployment`,
        },
      ],
    };
  }
  const services: ServiceMigration[] = [];
  const problems: MigrationProblem[] = [];
  for (const group of groups) {
    const result = migrateService(group);
    if ('code' in result) problems.push(result);
    else services.push(result);
  }
  if (problems.length > 0) return { ok: false, problems };
  const lost = services.reduce((n, s) => n + s.counts.lost, 0) + leftovers.length;
  return { ok: true, report: { services, leftovers, lost } };
}
