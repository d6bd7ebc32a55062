/**
 * Why our diagnosis is a `ServiceHealthy` condition: Crossplane core keeps a function's
 * condition only when its type is not one of Crossplane's own. A function on the same SDK that
 * returns `Healthy`, `Ready`, `Synced` and `ServiceHealthy` shows, through Crossplane's own
 * reconciler, which of them reach the XR.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  FunctionRunner,
  getServer,
  Status,
  Target,
  to,
  type RunFunctionRequest,
} from '@crossplane-org/function-sdk-typescript';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HEALTH_CONDITION } from '@eds/core';
import { freePort } from '../../packages/worker/test/harness/ports.js';
import { compositionRender, functionsYaml, readYaml, tempDir, xrFor } from './crossplane.js';

const REASON = 'SaidByTheFunction';
const TYPES = ['Healthy', 'Ready', 'Synced', HEALTH_CONDITION];

const logger = pino({ level: 'silent' });
const server = getServer(
  new FunctionRunner(
    {
      RunFunction: (req: RunFunctionRequest) => {
        const rsp = to(req);
        rsp.conditions = TYPES.map((type) => ({
          type,
          status: Status.STATUS_CONDITION_TRUE,
          reason: REASON,
          message: `a ${type} condition from the function`,
          target: Target.TARGET_COMPOSITE_AND_CLAIM,
        }));
        return Promise.resolve(rsp);
      },
    },
    logger,
  ),
  logger,
);
let functions: string;

beforeAll(async () => {
  const address = `127.0.0.1:${await freePort()}`;
  await new Promise<void>((resolve, reject) => {
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
  functions = join(tempDir('functions'), 'functions.yaml');
  writeFileSync(functions, functionsYaml(address));
});

afterAll(() => {
  server.forceShutdown();
});

describe("Crossplane keeps a function's conditions only of types that are not its own", () => {
  it.each(['v2', 'legacy'] as const)('target %s', async (target) => {
    const [claim] = readYaml('examples/minimal-claim.yaml');
    if (claim === undefined) throw new Error('no claim');
    const { xr } = await compositionRender(xrFor(claim, target), target, { functions });
    const conditions = (xr['status'] as { conditions: Record<string, unknown>[] }).conditions;
    const kept = conditions.filter((c) => c['reason'] === REASON).map((c) => c['type']);
    console.log(
      `${target}: the function returned ${TYPES.join(', ')}; the XR carries ${kept.join(', ')} from it ` +
        `and ${conditions
          .filter((c) => c['reason'] !== REASON)
          .map((c) => `${String(c['type'])}=${String(c['reason'])}`)
          .join(', ')} from Crossplane`,
    );
    expect(kept).toEqual([HEALTH_CONDITION]);
  });
});
