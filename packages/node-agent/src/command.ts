/**
 * The program a container runs: the image map entry's ENTRYPOINT and CMD, overridden by the
 * pod's `command` and `args` as Kubernetes does (a `command` replaces the entrypoint and drops
 * the cmd; `args` replace the cmd), the pod's elements `$(VAR)`-expanded with the container's
 * env and their mount paths rewritten.
 * @see https://kubernetes.io/docs/tasks/inject-data-application/define-command-argument-container/
 */
import type { Container } from './kube-types.js';
import { expand } from './expand.js';
import type { ImageEntry } from './image-map.js';
import { rewritePath, type Mount } from './mounts.js';

export function containerArgv(
  entry: ImageEntry,
  container: Container,
  env: Readonly<Record<string, string>>,
  mounts: readonly Mount[],
): string[] {
  const own = (list: readonly string[]) =>
    list.map((s) =>
      rewritePath(
        expand(s, (name) => (Object.hasOwn(env, name) ? env[name] : undefined)),
        mounts,
      ),
    );
  const command = container.command ?? [];
  const args = container.args ?? [];
  const head = command.length > 0 ? own(command) : [...entry.entrypoint];
  const tail = args.length > 0 ? own(args) : command.length > 0 ? [] : [...entry.cmd];
  return [...head, ...tail];
}
