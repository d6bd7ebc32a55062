/**
 * The function over real gRPC on loopback, called the way Crossplane calls it, against what
 * `eds render` prints for the same claim: the central promise that both agree.
 */
import {
  FunctionRunnerServiceService,
  RunFunctionRequest,
  RunFunctionResponse,
  Severity,
} from '@crossplane-org/function-sdk-typescript';
import { runFunction, startFunctionServer, type FunctionServer } from '@eds/function';
import * as grpc from '@grpc/grpc-js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimFile, pod, request, ROOT, xrFor } from './requests.js';
import { makeCrossplaneNamedPki, makePki, type Pki } from './pki.js';

const Client = grpc.makeGenericClientConstructor(
  FunctionRunnerServiceService,
  'FunctionRunnerService',
);
type Call = (req: RunFunctionRequest) => Promise<RunFunctionResponse>;
const silent = pino({ level: 'silent' });

function caller(client: grpc.Client): Call {
  return (req) =>
    new Promise((resolve, reject) => {
      (
        client as unknown as {
          runFunction: (
            r: RunFunctionRequest,
            cb: (e: grpc.ServiceError | null, r: RunFunctionResponse) => void,
          ) => void;
        }
      ).runFunction(req, (e, r) => {
        if (e) reject(e);
        else resolve(r);
      });
    });
}

function renderWithCli(file: string, target: string): Record<string, unknown>[] {
  const out = execFileSync(
    process.execPath,
    [
      join(ROOT, 'packages/cli/bin/eds.js'),
      'render',
      '-o',
      'json',
      '--target',
      target,
      join(ROOT, 'examples', file),
    ],
    { encoding: 'utf8' },
  );
  return (JSON.parse(out) as { items: Record<string, unknown>[] }).items;
}

describe('the function over insecure gRPC', () => {
  let server: FunctionServer;
  let client: grpc.Client;
  let call: Call;

  beforeAll(async () => {
    server = await startFunctionServer({ address: '127.0.0.1:0', insecure: true, logger: silent });
    client = new Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    call = caller(client);
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });

  const examples = readdirSync(join(ROOT, 'examples')).filter((f) => f.endsWith('-claim.yaml'));
  const cases = examples.flatMap((file) =>
    (['v2', 'legacy'] as const).map((target) => ({ file, target })),
  );

  it.each(cases)(
    'composes exactly what eds render --target $target prints for $file',
    async ({ file, target }) => {
      const rsp = await call(request({ xr: xrFor(claimFile(file), target), target }));
      expect(rsp.results).toEqual([]);
      const composed = Object.values(rsp.desired?.resources ?? {}).map((r) => r.resource);
      expect(composed).toEqual(renderWithCli(file, target));
    },
  );

  it('echoes the tag, keeps earlier steps, and answers required-resource rounds', async () => {
    const extra = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'earlier' } };
    const pods = [
      pod({
        containerStatuses: [
          { name: 'main', state: { waiting: { reason: 'ErrImagePull', message: 'not found' } } },
        ],
      }),
    ];
    const rsp = await call(
      request({
        xr: xrFor(claimFile('minimal-claim.yaml')),
        desired: { configmap: extra },
        pods,
        tag: 'abc',
      }),
    );
    expect(rsp.meta?.tag).toBe('abc');
    expect(rsp.desired?.resources.configmap?.resource).toEqual(extra);
    expect(rsp.conditions[0]?.reason).toBe('ImagePullBackOff');
  });

  it('answers a very large spec with a FATAL result and keeps serving', async () => {
    const xr = xrFor(claimFile('minimal-claim.yaml'));
    const big = {
      ...xr,
      spec: {
        ...(xr.spec as object),
        initContainer: {
          args: Array.from({ length: 2000 }, (_, i) => `arg-${i}-${'x'.repeat(500)}`),
        },
        bogus: 'y'.repeat(100_000),
      },
    };
    const rsp = await call(request({ xr: big }));
    expect(rsp.results.map((r) => r.severity)).toEqual([Severity.SEVERITY_FATAL]);
    expect(rsp.results[0]?.message).toContain(
      '\nspec.bogus  is not a field of spec; known fields are ',
    );
    const ok = await call(request({ xr }));
    expect(ok.results).toEqual([]);
  });

  it('answers a spec with 30,000 unknown fields with a short FATAL that a default client accepts', async () => {
    // Crossplane's client, like this one, refuses answers over 4 MiB; listing every problem
    // made a 6.7 MB message, so Crossplane saw a transport error instead of the problems.
    const xr = xrFor(claimFile('minimal-claim.yaml'));
    const bogus = Object.fromEntries(
      Array.from({ length: 30_000 }, (_, i) => [`unknownField${i}`, i]),
    );
    const rsp = await call(request({ xr: { ...xr, spec: { ...(xr.spec as object), ...bogus } } }));
    expect(rsp.results.map((r) => r.severity)).toEqual([Severity.SEVERITY_FATAL]);
    const message = rsp.results[0]?.message ?? '';
    console.log(`FATAL message for 30,000 unknown fields: ${message.length} characters`);
    expect(message).toMatch(
      /^invalid EventDrivenService:\nspec\.unknownField0 {2}is not a field of spec; known fields are /,
    );
    expect(message).toMatch(/\n\.\.\. and 29980 more problems \(30000 in all\); fix these first/);
    expect(message.length).toBeLessThan(16 * 1024);
  });

  it('rejects a message over the gRPC size limit with a gRPC error, not a crash', async () => {
    const xr = xrFor(claimFile('minimal-claim.yaml'));
    const huge = { ...xr, spec: { ...(xr.spec as object), image: 'z'.repeat(5 * 1024 * 1024) } };
    await expect(call(request({ xr: huge }))).rejects.toMatchObject({
      code: grpc.status.RESOURCE_EXHAUSTED,
    });
    expect((await call(request({ xr }))).results).toEqual([]);
  });

  it('rejects garbage bytes with a gRPC error and keeps serving', async () => {
    const raw = new grpc.Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    const error = await new Promise<grpc.ServiceError | null>((resolve) => {
      raw.makeUnaryRequest(
        FunctionRunnerServiceService.runFunction.path,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from([0xff, 0xff, 0xff, 0x0f, 0x12, 0x99, 0x01]),
        (e) => {
          resolve(e);
        },
      );
    });
    raw.close();
    expect(error).not.toBeNull();
    expect(error?.code).not.toBe(grpc.status.OK);
    expect((await call(request({ xr: xrFor(claimFile('minimal-claim.yaml')) }))).results).toEqual(
      [],
    );
  });

  it('refuses a second server on a taken port', async () => {
    await expect(
      startFunctionServer({ address: `127.0.0.1:${server.port}`, insecure: true, logger: silent }),
    ).rejects.toMatchObject({ code: 'address-in-use' });
  });
});

describe('a bug in the function', () => {
  it('is answered with a gRPC INTERNAL error and logged, and the server keeps serving', async () => {
    const logged: Record<string, unknown>[] = [];
    const logger = pino(
      { level: 'info' },
      {
        write: (line: string) => {
          logged.push(JSON.parse(line) as Record<string, unknown>);
        },
      },
    );
    let calls = 0;
    const server = await startFunctionServer({
      address: '127.0.0.1:0',
      insecure: true,
      logger,
      runFunction: (req) => {
        calls += 1;
        if (calls === 1) throw new TypeError("Cannot read properties of undefined (reading 'x')");
        return runFunction(req);
      },
    });
    const client = new Client(`127.0.0.1:${server.port}`, grpc.credentials.createInsecure());
    try {
      const req = request({ xr: xrFor(claimFile('minimal-claim.yaml')) });
      await expect(caller(client)(req)).rejects.toMatchObject({
        code: grpc.status.INTERNAL,
        details:
          "the composition function failed: Cannot read properties of undefined (reading 'x')",
      });
      expect(logged.filter((l) => l.msg !== 'function listening')).toMatchObject([
        {
          level: 50,
          msg: 'RunFunction failed',
          tag: 'tag-1',
          err: {
            type: 'TypeError',
            message: "Cannot read properties of undefined (reading 'x')",
          },
        },
      ]);
      expect((await caller(client)(req)).results).toEqual([]);
    } finally {
      client.close();
      await server.close();
    }
  });
});

describe.each([
  ['certificates with distinct names', makePki, false],
  // OpenSSL takes each of these for self-signed: a gRPC client on Node cannot verify the
  // server's either, so this client skips that, and only the server's check is tested.
  ["certificates named as Crossplane's (one name for CA and all)", makeCrossplaneNamedPki, true],
] as const)('the function over mutual TLS, %s', (_pkis, make, skipServerCheck) => {
  let pki: Pki;
  let server: FunctionServer;
  const req = () => request({ xr: xrFor(claimFile('minimal-claim.yaml')) });
  /** A client that trusts the function's CA, presenting `identity` (key and certificate) if given. */
  const client = (identity?: { key: Buffer; cert: Buffer }) =>
    new Client(
      `localhost:${server.port}`,
      grpc.credentials.createSsl(
        pki.ca,
        identity?.key ?? null,
        identity?.cert ?? null,
        skipServerCheck ? { rejectUnauthorized: false } : {},
      ),
    );

  beforeAll(async () => {
    pki = make(mkdtempSync(join(tmpdir(), 'eds-tls-')));
    server = await startFunctionServer({
      address: '127.0.0.1:0',
      insecure: false,
      tlsCertsDir: pki.serverDir,
      logger: silent,
    });
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves a client that presents a certificate signed by the CA, as Crossplane does', async () => {
    const c = client(pki.client);
    try {
      const rsp = await caller(c)(req());
      expect(rsp.results).toEqual([]);
      expect(Object.keys(rsp.desired?.resources ?? {})).toEqual([
        'serviceaccount',
        'deployment',
        'service',
        'scaledobject',
        'poddisruptionbudget',
      ]);
    } finally {
      c.close();
    }
  });

  it.each([
    ['presents no certificate', () => client()],
    ['presents a certificate signed by another CA', () => client(pki.stranger)],
    ['presents a self-signed certificate', () => client(pki.selfSigned)],
    [
      'does not speak TLS',
      () => new Client(`localhost:${server.port}`, grpc.credentials.createInsecure()),
    ],
  ])('refuses a client that %s, and keeps serving', async (_what, make) => {
    const c = make();
    try {
      await expect(caller(c)(req())).rejects.toMatchObject({ code: grpc.status.UNAVAILABLE });
    } finally {
      c.close();
    }
    const good = client(pki.client);
    try {
      expect((await caller(good)(req())).results).toEqual([]);
    } finally {
      good.close();
    }
  });

  if (skipServerCheck)
    it("is what OpenSSL's own verifier refuses (the case gRPC's TLS check fails)", () => {
      const dir = mkdtempSync(join(tmpdir(), 'eds-tls-'));
      const named = makeCrossplaneNamedPki(dir);
      writeFileSync(join(dir, 'client.pem'), named.client.cert);
      expect(() =>
        execFileSync('openssl', ['verify', '-CAfile', named.caFile, join(dir, 'client.pem')], {
          stdio: 'pipe',
        }),
      ).toThrow(/self-signed certificate/);
    });
});

describe('the function over mutual TLS', () => {
  it('fails clearly when the certificates are missing', async () => {
    await expect(
      startFunctionServer({
        address: '127.0.0.1:0',
        insecure: false,
        tlsCertsDir: '/nonexistent',
        logger: silent,
      }),
    ).rejects.toMatchObject({ code: 'tls' });
  });
});
