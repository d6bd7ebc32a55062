/**
 * `NATS_URL` as nats.js needs it: the servers without credentials, and the one set of
 * credentials they carry. nats.js ignores user info in a server URL (the server then answers
 * "Authorization Violation"); it takes `user`/`pass` or `token` as options, for every server.
 */

export type NatsAuth =
  { readonly user: string; readonly pass: string } | { readonly token: string };

export interface NatsServers {
  /** Server URLs in order, credentials removed. */
  readonly servers: readonly string[];
  /** From `user:password@` (user and password) or `token@` (token) in the URLs. */
  readonly auth?: NatsAuth;
}

export type NatsServersResult =
  | { readonly ok: true; readonly value: NatsServers }
  | { readonly ok: false; readonly problem: string };

/** The problem of a list with an empty server or whitespace: not a URL list at all. */
export const EMPTY_SERVER = 'has an empty server or whitespace inside a server';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/**
 * Parses a comma-separated server list. `problem` says what is wrong without quoting the value
 * (it may hold a password).
 */
export function parseNatsServers(raw: string): NatsServersResult {
  const list = raw.split(',').map((u) => u.trim());
  if (list.some((u) => u === '' || /\s/.test(u))) {
    return { ok: false, problem: EMPTY_SERVER };
  }
  const servers: string[] = [];
  let auth: NatsAuth | undefined;
  let authKey: string | undefined;
  for (const server of list) {
    const at = server.lastIndexOf('@');
    if (at === -1) {
      servers.push(server);
      continue;
    }
    const scheme = SCHEME.exec(server)?.[0] ?? '';
    const info = server.slice(scheme.length, at);
    const host = server.slice(at + 1);
    if (info === '' || host === '') {
      return { ok: false, problem: 'has an "@" with no credentials before it or no host after it' };
    }
    let parsed: NatsAuth;
    try {
      const colon = info.indexOf(':');
      parsed =
        colon === -1
          ? { token: decodeURIComponent(info) }
          : {
              user: decodeURIComponent(info.slice(0, colon)),
              pass: decodeURIComponent(info.slice(colon + 1)),
            };
    } catch {
      return {
        ok: false,
        problem:
          'has credentials that are not valid percent-encoding; write "%" as %25 (and may write "@" as %40, ":" in a user name as %3A)',
      };
    }
    const key = JSON.stringify(parsed);
    if (authKey !== undefined && authKey !== key) {
      return {
        ok: false,
        problem:
          'gives different credentials for different servers; nats.js uses one set for all of them, so give it once (on the first server) or the same on each',
      };
    }
    auth = parsed;
    authKey = key;
    servers.push(`${scheme}${host}`);
  }
  return { ok: true, value: auth === undefined ? { servers } : { servers, auth } };
}
