import { describe, expect, it } from 'vitest';
import { HandlerLoadError } from '@eds/worker';
import { checkModule, loadHandler } from '../src/load-handler.js';
import { fixture } from './harness/worker-process.js';

async function loadError(path: string): Promise<HandlerLoadError> {
  try {
    await loadHandler(path);
  } catch (err) {
    if (err instanceof HandlerLoadError) return err;
    throw err;
  }
  throw new Error(`${path} loaded`);
}

describe('loadHandler', () => {
  it('loads the default export and readiness checks of a module', async () => {
    const loaded = await loadHandler(fixture('checks-handler.js'));
    expect(typeof loaded.handler).toBe('function');
    expect(Object.keys(loaded.readinessChecks)).toEqual(['database']);
  });

  it('names a missing file', async () => {
    const err = await loadError('no/such/handler.js');
    expect(err.code).toBe('EDS_HANDLER_NOT_FOUND');
    expect(err.message).toMatch(
      /^handler module no\/such\/handler\.js not found \(looked at .*no\/such\/handler\.js\)$/,
    );
  });

  it('wraps an import failure with its cause', async () => {
    const err = await loadError(fixture('broken-handler.js'));
    expect(err.code).toBe('EDS_HANDLER_IMPORT_FAILED');
    expect(err.cause).toBeInstanceOf(Error);
  });
});

describe('checkModule', () => {
  const handler = (): void => undefined;

  const notFunction = 'EDS_HANDLER_NOT_FUNCTION';
  const badChecks = 'EDS_HANDLER_BAD_CHECKS';
  const mustExport =
    'h.js must default-export the handler, e.g. "export default async (message, context) => {…}"';

  it.each([
    [{}, notFunction, `${mustExport}; found no default export`],
    [{ default: 'x' }, notFunction, `${mustExport}; found a default export of type string`],
    [
      { default: handler, readinessChecks: 3 },
      badChecks,
      'h.js: "readinessChecks" must be an object of functions, e.g. {database: async () => …}; found number',
    ],
    [
      { default: handler, readinessChecks: { db: true } },
      badChecks,
      'h.js: readinessChecks.db must be a function returning a promise; found boolean',
    ],
  ])('rejects %o with %s', (mod, code, message) => {
    let thrown: unknown;
    try {
      checkModule('h.js', mod);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(HandlerLoadError);
    expect({ code: (thrown as HandlerLoadError).code, message: (thrown as Error).message }).toEqual(
      { code, message },
    );
  });

  it('accepts a module without readiness checks', () => {
    expect(checkModule('h.js', { default: handler })).toEqual({ handler, readinessChecks: {} });
  });
});
