/**
 * TLS material as Crossplane makes it (`internal/initializer/tls.go`): one root CA signs the
 * function's server certificate (extended key usage serverAuth) and Crossplane's client
 * certificate (clientAuth). Made with the `openssl` command line; plus a client certificate from
 * another CA and a self-signed one, which the function must refuse.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Identity {
  readonly key: Buffer;
  readonly cert: Buffer;
}

export interface Pki {
  /** `tls.crt`, `tls.key` and `ca.crt`, as Crossplane mounts them in the function's pod. */
  readonly serverDir: string;
  readonly ca: Buffer;
  /** Signed by the CA, for client authentication: what Crossplane presents. */
  readonly client: Identity;
  /** Signed by a CA the function does not trust. */
  readonly stranger: Identity;
  readonly selfSigned: Identity;
}

/** Runs `openssl` in `dir`; `args` is split on spaces (none of the arguments holds one). */
function openssl(dir: string, args: string): void {
  execFileSync('openssl', args.split(' '), { cwd: dir, stdio: 'pipe' });
}

const identity = (dir: string, name: string): Identity => ({
  key: readFileSync(join(dir, `${name}.key`)),
  cert: readFileSync(join(dir, `${name}.crt`)),
});

/** A self-signed certificate for `name`, with the given `-addext` extensions. */
function selfSigned(
  dir: string,
  name: string,
  extensions: readonly string[],
  subject = `/CN=${name}`,
): Identity {
  const ext = extensions.map((e) => ` -addext ${e}`).join('');
  openssl(
    dir,
    `req -x509 -newkey rsa:2048 -nodes -days 1 -keyout ${name}.key -out ${name}.crt -subj ${subject}${ext}`,
  );
  return identity(dir, name);
}

const newCa = (dir: string, name: string, subject?: string) =>
  selfSigned(
    dir,
    name,
    ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign'],
    subject,
  );

/** A key and a certificate for `name` signed by CA `ca`, with the given extensions. */
function issue(
  dir: string,
  ca: string,
  name: string,
  extensions: readonly string[],
  subject = `/CN=${name}`,
): Identity {
  openssl(dir, `req -newkey rsa:2048 -nodes -keyout ${name}.key -out ${name}.csr -subj ${subject}`);
  writeFileSync(join(dir, `${name}.ext`), extensions.join('\n'));
  openssl(
    dir,
    `x509 -req -in ${name}.csr -CA ${ca}.crt -CAkey ${ca}.key -CAcreateserial -days 1 -out ${name}.crt -extfile ${name}.ext`,
  );
  return identity(dir, name);
}

const CLIENT = ['extendedKeyUsage=clientAuth', 'subjectAltName=DNS:crossplane'];

export function makePki(dir: string): Pki {
  const ca = newCa(dir, 'ca');
  newCa(dir, 'other-ca');
  const server = issue(dir, 'ca', 'server', [
    'extendedKeyUsage=serverAuth',
    'subjectAltName=DNS:localhost,IP:127.0.0.1',
  ]);
  const serverDir = join(dir, 'server');
  mkdirSync(serverDir);
  writeFileSync(join(serverDir, 'tls.crt'), server.cert);
  writeFileSync(join(serverDir, 'tls.key'), server.key);
  writeFileSync(join(serverDir, 'ca.crt'), ca.cert);
  return {
    serverDir,
    ca: ca.cert,
    client: issue(dir, 'ca', 'client', CLIENT),
    stranger: issue(dir, 'other-ca', 'stranger', CLIENT),
    selfSigned: selfSigned(dir, 'self', ['extendedKeyUsage=clientAuth']),
  };
}

/**
 * The one distinguished name Crossplane gives its CA and every certificate it issues, less its
 * `C=Earth` (openssl req allows two-letter countries only): the names are equal all the same.
 */
const CROSSPLANE_DN = '/ST=Earth/L=Earth/O=Crossplane/CN=Crossplane';
/** As Crossplane's certificates are: no key identifiers, so nothing but the signature tells them apart. */
const NO_KEY_IDS = ['subjectKeyIdentifier=none', 'authorityKeyIdentifier=none'];

/**
 * TLS material with Crossplane's names: CA, server and client certificates all named
 * CROSSPLANE_DN, which OpenSSL's verifier takes for self-signed. `stranger` is signed by another
 * CA of the same name, `selfSigned` is a self-signed certificate of that name.
 */
export function makeCrossplaneNamedPki(dir: string): Pki & { readonly caFile: string } {
  const ca = newCa(dir, 'ca', CROSSPLANE_DN);
  newCa(dir, 'other-ca', CROSSPLANE_DN);
  const server = issue(
    dir,
    'ca',
    'server',
    ['extendedKeyUsage=serverAuth', 'subjectAltName=DNS:localhost,IP:127.0.0.1', ...NO_KEY_IDS],
    CROSSPLANE_DN,
  );
  const serverDir = join(dir, 'server');
  mkdirSync(serverDir);
  writeFileSync(join(serverDir, 'tls.crt'), server.cert);
  writeFileSync(join(serverDir, 'tls.key'), server.key);
  writeFileSync(join(serverDir, 'ca.crt'), ca.cert);
  const client = [...CLIENT, 'keyUsage=critical,digitalSignature,keyEncipherment', ...NO_KEY_IDS];
  return {
    serverDir,
    caFile: join(dir, 'ca.crt'),
    ca: ca.cert,
    client: issue(dir, 'ca', 'client', client, CROSSPLANE_DN),
    stranger: issue(dir, 'other-ca', 'stranger', client, CROSSPLANE_DN),
    selfSigned: selfSigned(dir, 'self', ['extendedKeyUsage=clientAuth'], CROSSPLANE_DN),
  };
}
