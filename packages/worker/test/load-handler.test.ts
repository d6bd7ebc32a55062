import { describe, expect, it } from 'vitest';
import { HandlerLoadError } from '@eds/worker';
import { checkModule, describeThrown, loadHandler } from '../src/load-handler.js';
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

describe('loadHandler with modules that fail oddly', () => {
  it.each([
    [
      'throw-null-proto-handler.js',
      'EDS_HANDLER_IMPORT_FAILED',
      'cannot import {path}: a value that is not an Error: {}',
    ],
    // Under vitest the Proxy itself arrives; under plain Node, the loader's own look at it throws
    // first and the trap's Error arrives instead (handler-load.int.test.ts checks that).
    [
      'throw-proxy-handler.js',
      'EDS_HANDLER_IMPORT_FAILED',
      'cannot import {path}: a value that cannot be described (reading it throws)',
    ],
    [
      'proxy-checks-handler.js',
      'EDS_HANDLER_BAD_EXPORTS',
      '{path}: reading its exports failed: Error: readinessChecks cannot be listed',
    ],
  ])('%s: %s', async (name, code, message) => {
    const path = fixture(name);
    const err = await loadError(path);
    expect({ code: err.code, message: err.message }).toEqual({
      code,
      message: message.replace('{path}', path),
    });
  });

  it('gives up on a module whose top-level await never settles', async () => {
    const path = fixture('never-loads-handler.js');
    let err: unknown;
    try {
      await loadHandler(path, process.cwd(), 200);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(HandlerLoadError);
    const { code, message } = err as HandlerLoadError;
    expect({ code, message }).toEqual({
      code: 'EDS_HANDLER_LOAD_TIMEOUT',
      message: `${path} did not finish loading within 200 ms: its top-level code (a top-level await?) has not settled`,
    });
  });
});

describe('describeThrown', () => {
  const trap = (): never => {
    throw new Error('trap');
  };
  const proxy = new Proxy({}, { get: trap, getPrototypeOf: trap, ownKeys: trap });
  // Titles name the case only: formatting some of these values throws.
  it.each([
    ['an Error, on one line', new TypeError('bad\n  value'), 'TypeError: bad value'],
    ['no prototype: String() throws', Object.create(null), 'a value that is not an Error: {}'],
    ['every trap throws', proxy, 'a value that cannot be described (reading it throws)'],
    ['a plain object', { code: 7 }, 'a value that is not an Error: {"code":7}'],
    ['a string', 'oops', '"oops"'],
    ['a number', 42, '42'],
    ['undefined', undefined, 'undefined'],
    ['null', null, 'null'],
    ['a symbol', Symbol('s'), 'Symbol(s)'],
    ['a function', () => undefined, 'a function, not an Error'],
  ] as const)('%s', (_reason, value, text) => {
    expect(describeThrown(value)).toBe(text);
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
