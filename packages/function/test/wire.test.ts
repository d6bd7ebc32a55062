/**
 * The response serializer must mean exactly what the SDK's generated encoder means: decoding
 * its bytes gives the same message, for every shape of response the function sends, on the
 * first call (encoding) and on later ones (reused bytes).
 */
import { Ready, RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';
import { encodeResponse, runFunction } from '@eds/function';
import { describe, expect, it } from 'vitest';
import { allHealthy, claimFile, pod, request, xrFor, type RequestParts } from './requests.js';

const sdkRoundTrip = (rsp: RunFunctionResponse) =>
  RunFunctionResponse.decode(RunFunctionResponse.encode(rsp).finish());

const cases: [string, RequestParts][] = [
  [
    'healthy v2 service with pods and status',
    {
      xr: xrFor(claimFile('full-claim.yaml')),
      observed: allHealthy(),
      pods: [pod({ phase: 'Running' })],
    },
  ],
  [
    'legacy target, nothing observed yet',
    {
      xr: xrFor(claimFile('agent-executor-claim.yaml'), 'legacy'),
      target: 'legacy',
    },
  ],
  [
    'desired resources from an earlier step pass through',
    {
      xr: xrFor(claimFile('minimal-claim.yaml')),
      desired: { extra: { apiVersion: 'v1', kind: 'ConfigMap', data: { a: '1' } } },
    },
  ],
  [
    'invalid spec: a FATAL result and no desired resources',
    {
      xr: { ...xrFor(claimFile('minimal-claim.yaml')), spec: { size: 'xlarge' } },
    },
  ],
];

describe('encodeResponse', () => {
  for (const [reason, parts] of cases) {
    it(`${reason}: decodes to the same message as the SDK encoding`, () => {
      const rsp = runFunction(request(parts));
      const expected = sdkRoundTrip(rsp);
      expect(RunFunctionResponse.decode(encodeResponse(rsp))).toEqual(expected);
      // Second call for the same spec: the composed objects' bytes come from the cache.
      const again = runFunction(request(parts));
      expect(RunFunctionResponse.decode(encodeResponse(again))).toEqual(expected);
    });
  }

  it('does not reuse bytes for objects that may change (not frozen)', () => {
    const object: Record<string, unknown> = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { a: '1' },
    };
    const rsp = runFunction(request({ xr: xrFor(claimFile('minimal-claim.yaml')) }));
    rsp.desired = {
      composite: undefined,
      resources: {
        cm: { resource: object, connectionDetails: {}, ready: Ready.READY_UNSPECIFIED },
      },
    };
    encodeResponse(rsp);
    object.data = { a: '2' };
    const decoded = RunFunctionResponse.decode(encodeResponse(rsp));
    expect(decoded.desired?.resources.cm?.resource).toEqual(object);
  });

  it('leaves nothing behind when an encoding fails half-way', () => {
    const rsp = runFunction(request({ xr: xrFor(claimFile('minimal-claim.yaml')) }));
    const broken: RunFunctionResponse = {
      ...rsp,
      desired: {
        composite: undefined,
        resources: {
          bad: {
            resource: { value: 10n },
            connectionDetails: {},
            ready: Ready.READY_UNSPECIFIED,
          },
        },
      },
    };
    expect(() => encodeResponse(broken)).toThrow();
    expect(RunFunctionResponse.decode(encodeResponse(rsp))).toEqual(sdkRoundTrip(rsp));
  });
});
