/**
 * What a container's process gets: its argv, env and working directory, from the image map
 * entry, the container's resolved env, its mounts and its assigned ports. The env is a small
 * base (PATH, as the agent has it, and HOSTNAME, the pod's name), then the entry's env (the
 * image's ENV), then the pod's env with mount paths rewritten, then the assigned ports, which
 * win: a pod's own `PORT` would make replicas collide. Pure.
 */
import { containerArgv } from './command.js';
import type { ImageEntry } from './image-map.js';
import type { Container } from './kube-types.js';
import { rewritePath, type Mount } from './mounts.js';
import type { PortAssignment } from './ports.js';

export interface Launch {
  readonly argv: string[];
  readonly env: Record<string, string>;
  readonly cwd: string;
}

export interface LaunchInput {
  readonly entry: ImageEntry;
  readonly container: Container;
  /** The container's env as `resolveEnv` made it. */
  readonly env: Readonly<Record<string, string>>;
  readonly mounts: readonly Mount[];
  readonly ports: readonly PortAssignment[];
  readonly podName: string;
  /** The agent's PATH, so that entries may name programs such as `node`. */
  readonly path: string;
  /** The working directory when neither the pod nor the entry names one: the pod's directory. */
  readonly defaultCwd: string;
}

export function launchSpec(input: LaunchInput): Launch {
  const podEnv = Object.fromEntries(
    Object.entries(input.env).map(([k, v]) => [k, rewritePath(v, input.mounts)]),
  );
  const env: Record<string, string> = {
    PATH: input.path,
    HOSTNAME: input.podName,
    ...input.entry.env,
    ...podEnv,
    ...Object.fromEntries(input.ports.map((p) => [p.env, String(p.port)])),
  };
  const workingDir = input.container.workingDir;
  const cwd =
    workingDir !== undefined && workingDir !== ''
      ? rewritePath(workingDir, input.mounts)
      : (input.entry.workingDir ?? input.defaultCwd);
  return { argv: containerArgv(input.entry, input.container, env, input.mounts), env, cwd };
}
