/** What every pod worker shares: the API, the log, the image map and the agent's settings. */
import type { BackoffPolicy } from '@eds/core';
import type { Placement } from './fields.js';
import type { ImageMapFile } from './image-map-file.js';
import type { Kube } from './kube.js';
import type { Log } from './log.js';

export interface AgentContext {
  readonly kube: Kube;
  readonly log: Log;
  readonly images: ImageMapFile;
  readonly nodeName: string;
  readonly placement: Placement;
  /** `<state>/pods`: one directory per pod. */
  readonly podsDir: string;
  readonly backoff: BackoffPolicy;
  /** How soon a container that could not be configured (missing Secret, volume) is tried again. */
  readonly retryMs: number;
  /** The longest the agent waits for a pod's processes when it shuts down itself. */
  readonly shutdownGraceMs: number;
  /** PATH for container processes. */
  readonly path: string;
}

/** The annotation with each pod's assigned ports, `{"<port name or number>": <port>}`. */
export const PORTS_ANNOTATION = 'node-agent.eds.local/ports';

/** terminationGracePeriodSeconds's default (pkg/apis/core/v1 defaults). */
export const DEFAULT_GRACE_SECONDS = 30;

/** The kubelet's least time for a container to stop after preStop (`minimumGracePeriodInSeconds`). */
export const MIN_GRACE_MS = 2000;

/** The least time between two status writes for one pod. */
export const STATUS_INTERVAL_MS = 250;
