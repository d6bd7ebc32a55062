/**
 * What `eds dev` runs, from the claim's rendered Deployment: the pod template's init containers
 * (their command, or the one given with --init), the main container with the user's command in
 * place of the image, its probes and grace period, and the variables pointed at the local NATS
 * server. The image itself is not run: there is no container engine here.
 */
import { render, type Claim } from '@eds/core';
import type { Container, Objects, ObjectData, Pod } from '@eds/node-agent';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReplicaPlan } from './replica.js';

export interface PlanInput {
  readonly claim: Claim;
  readonly argv: readonly string[];
  /** Replaces the init containers' command (run with /bin/sh -c); undefined keeps theirs. */
  readonly init?: string;
  readonly skipInit: boolean;
  readonly natsUrl: string;
  readonly secrets: ReadonlyMap<string, ObjectData>;
  readonly cwd: string;
}

/** Variables of this program that the processes also get, so a command can be found and run. */
const PASSED = ['PATH', 'HOME', 'USER', 'LANG', 'TERM', 'NODE_OPTIONS'];

export function podTemplate(claim: Claim): Pod {
  const deployment = render(claim, claim.spec)
    .map((r) => r.object)
    .find((o) => o.kind === 'Deployment') as
    { spec: { template: { metadata?: Pod['metadata']; spec: Pod['spec'] } } } | undefined;
  if (deployment === undefined) throw new Error('the claim renders no Deployment');
  return {
    metadata: { ...deployment.spec.template.metadata, namespace: claim.namespace ?? 'default' },
    spec: deployment.spec.template.spec,
  } as Pod;
}

const argvOf = (c: Container) => [...(c.command ?? []), ...(c.args ?? [])];

/**
 * The plan for replica `index` (named `<service>-dev-<index>`, as a pod would be), from the pod
 * template the claim renders (`podTemplate`, rendered once for all replicas).
 */
export function replicaPlan(input: PlanInput, template: Pod, index: number): ReplicaPlan {
  const spec = template.spec ?? { containers: [] };
  const main = spec.containers[0];
  if (main === undefined) throw new Error('the pod template has no container');
  const tmp = mkdtempSync(join(tmpdir(), `eds-dev-${index}-`));
  const baseEnv: Record<string, string> = { TMPDIR: tmp };
  for (const k of PASSED) {
    const v = process.env[k];
    if (v !== undefined) baseEnv[k] = v;
  }
  const objects: Objects = (kind, name) =>
    kind === 'Secret' ? input.secrets.get(name) : undefined;
  const init = input.skipInit
    ? []
    : (spec.initContainers ?? []).map((container) => ({
        container,
        argv: input.init === undefined ? argvOf(container) : ['/bin/sh', '-c', input.init],
      }));
  return {
    pod: {
      ...template,
      metadata: { ...template.metadata, name: `${input.claim.name}-dev-${index}` },
    },
    init,
    main,
    argv: input.argv,
    graceMs: (spec.terminationGracePeriodSeconds ?? 30) * 1000,
    overrides: { NATS_URL: input.natsUrl },
    objects,
    cwd: input.cwd,
    baseEnv,
  };
}
