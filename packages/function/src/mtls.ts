/**
 * Mutual TLS for the function, terminated here rather than by gRPC's own credentials, because
 * OpenSSL (Node's TLS) cannot verify the certificates Crossplane makes: its CA and every
 * certificate it issues share one distinguished name (`O=Crossplane, CN=Crossplane`), so OpenSSL
 * takes the client's certificate for a self-signed one and fails it ("self-signed certificate",
 * `DEPTH_ZERO_SELF_SIGNED_CERT`) before it looks at the CA. Go's verifier, which Crossplane uses,
 * follows the signature instead.
 *
 * So the listener asks for a client certificate without letting OpenSSL reject it, and accepts
 * the connection when OpenSSL verified the chain, or else when the certificate was issued by one
 * of the CAs in `ca.crt` as a signature check shows (name, key identifiers and signature by the
 * CA's key: `X509Certificate.checkIssued` and `verify`), both are within their validity and the
 * issuer is a CA. Accepted sockets go to gRPC through a connection injector; anything else is
 * closed before it sends a byte of HTTP/2.
 */
import { X509Certificate } from 'node:crypto';
import { createServer, type Server, type TLSSocket } from 'node:tls';

export interface TlsFiles {
  readonly key: Buffer;
  readonly cert: Buffer;
  readonly ca: Buffer;
}

const PEM = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate of a PEM bundle. */
export function parseBundle(pem: Buffer): X509Certificate[] {
  return (pem.toString('latin1').match(PEM) ?? []).map((block) => new X509Certificate(block));
}

/** extendedKeyUsage clientAuth. */
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

const within = (cert: X509Certificate, now: number) =>
  Date.parse(cert.validFrom) <= now && now <= Date.parse(cert.validTo);

/**
 * Why `peer` is not a certificate one of `cas` issued, or undefined when it is: one issuer
 * level, which is what Crossplane's root CA signs directly.
 */
export function untrustedReason(
  peer: X509Certificate | undefined,
  cas: readonly X509Certificate[],
  now = Date.now(),
): string | undefined {
  if (peer === undefined) return 'no client certificate';
  if (!within(peer, now)) return 'the client certificate is expired or not yet valid';
  // Node names the extended key usages `keyUsage`; none listed means any use.
  const usages = (peer.keyUsage as string[] | undefined) ?? []; // undefined without the extension
  if (usages.length > 0 && !usages.includes(CLIENT_AUTH))
    return 'the client certificate is not for client authentication (extendedKeyUsage)';
  for (const ca of cas) {
    if (ca.ca && within(ca, now) && peer.checkIssued(ca) && peer.verify(ca.publicKey))
      return undefined;
  }
  return 'the client certificate is not signed by the CA in ca.crt';
}

export interface MtlsListener {
  readonly server: Server;
  /** Resolves with the bound port. */
  listen(host: string, port: number): Promise<number>;
}

export function mtlsListener(
  files: TlsFiles,
  accept: (socket: TLSSocket) => void,
  refused: (reason: string) => void,
): MtlsListener {
  const cas = parseBundle(files.ca);
  const server = createServer({
    key: files.key,
    cert: files.cert,
    ca: files.ca,
    requestCert: true,
    // Verified below, where Crossplane's certificates can pass; nothing is served before that.
    rejectUnauthorized: false,
    ALPNProtocols: ['h2'],
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    socket.on('error', () => {});
    const reason = socket.authorized
      ? undefined
      : untrustedReason(socket.getPeerX509Certificate(), cas);
    if (reason === undefined && socket.alpnProtocol === 'h2') {
      accept(socket);
      return;
    }
    refused(reason ?? 'the client did not offer HTTP/2 (ALPN h2)');
    socket.destroy();
  });
  // A handshake that fails (plain text, a client that rejects our certificate) only closes that
  // connection.
  server.on('tlsClientError', (err: Error) => {
    refused(err.message);
  });
  return {
    server,
    listen: (host, port) =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address !== null ? address.port : port);
        });
      }),
  };
}
