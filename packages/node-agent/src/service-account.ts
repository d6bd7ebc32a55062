/**
 * Service account tokens, as the kubelet provides them: for each projected `serviceAccountToken`
 * source (the `kube-api-access-*` volume the ServiceAccount admission plugin adds, or one a pod
 * declares) the agent requests a token bound to the pod (TokenRequest, with the source's audience
 * and expiration) and writes it at the source's path. A process cannot find the API server the
 * way an in-cluster client does (`KUBERNETES_SERVICE_HOST` and the fixed path
 * `/var/run/secrets/kubernetes.io/serviceaccount`), so a container that mounts such a volume
 * also gets `KUBECONFIG` (unless its env sets one): a kubeconfig next to the volume naming the
 * agent's API server, the volume's `ca.crt` (or the agent's CA) and the token file, which
 * client-go and client-node read again as it changes. Tokens are minted when the pod's volumes
 * are set up and not refreshed; the API server extends the admission plugin's default (3607 s)
 * to a year, so that matters only for a short expiration a pod asks for itself.
 */
import { posix } from 'node:path';
import { stringify } from 'yaml';
import type { Container, Pod } from './kube-types.js';

/** One `serviceAccountToken` projection: the volume, the file in it, and the request. */
export interface TokenSource {
  readonly volume: string;
  readonly path: string;
  readonly audience?: string;
  readonly expirationSeconds?: number;
}

/** A minted token, or the reason there is none (shown as the kubelet's FailedMount message). */
export type TokenResult = { readonly token: string } | { readonly error: string };

/** The token for a volume's file, as the agent fetched it before planning the volumes. */
export type Tokens = (volume: string, path: string) => TokenResult | undefined;

export const noTokens: Tokens = () => undefined;

/** Every `serviceAccountToken` projection in the pod's volumes. */
export function tokenSources(pod: Pod): TokenSource[] {
  return (pod.spec?.volumes ?? []).flatMap((v) =>
    (v.projected?.sources ?? []).flatMap((s) => {
      const t = s.serviceAccountToken;
      if (t === undefined) return [];
      return [
        {
          volume: v.name,
          path: t.path,
          ...(t.audience !== undefined && t.audience !== '' ? { audience: t.audience } : {}),
          ...(t.expirationSeconds !== undefined ? { expirationSeconds: t.expirationSeconds } : {}),
        },
      ];
    }),
  );
}

/** The first of the container's mounts that holds a token, with the token's path in it. */
export function tokenMount(
  container: Container,
  sources: readonly TokenSource[],
): { readonly volume: string; readonly tokenPath: string } | undefined {
  for (const m of container.volumeMounts ?? []) {
    if (m.subPath !== undefined && m.subPath !== '') continue;
    const source = sources.find((s) => s.volume === m.name);
    if (source !== undefined) return { volume: m.name, tokenPath: posix.normalize(source.path) };
  }
  return undefined;
}

export interface KubeconfigInput {
  readonly server: string;
  /** A CA file (the volume's ca.crt), or else the agent's CA as base64 PEM. */
  readonly caFile?: string;
  readonly caData?: string;
  readonly tokenFile: string;
  readonly namespace: string;
}

/** A kubeconfig that authenticates with the token file. */
export function tokenKubeconfig(input: KubeconfigInput): string {
  const cluster: Record<string, string> = { server: input.server };
  if (input.caFile !== undefined) cluster['certificate-authority'] = input.caFile;
  else if (input.caData !== undefined) cluster['certificate-authority-data'] = input.caData;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'cluster', cluster }],
    users: [{ name: 'service-account', user: { tokenFile: input.tokenFile } }],
    contexts: [
      {
        name: 'service-account',
        context: { cluster: 'cluster', user: 'service-account', namespace: input.namespace },
      },
    ],
    'current-context': 'service-account',
  });
}
