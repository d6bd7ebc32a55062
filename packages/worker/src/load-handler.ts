import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { HandlerLoadError } from './errors.js';
import type { Handler } from './handler.js';
import type { ReadinessCheck } from './readiness.js';

export interface LoadedHandler {
  readonly handler: Handler;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
}

/**
 * How long a handler module may take to load (its top-level code, including top-level `await`):
 * 10 s. A module that takes longer is reported as not loading, instead of the worker waiting
 * forever (or, when the pending `await` keeps nothing alive, exiting 0 without a word).
 */
export const HANDLER_LOAD_TIMEOUT_MS = 10_000;

/**
 * One line describing any thrown value, never throwing itself: modules can throw values whose
 * properties, prototype or conversion to a string throw (a Proxy, `Object.create(null)`).
 */
export function describeThrown(err: unknown): string {
  try {
    if (err instanceof Error) return oneLine(`${err.name}: ${err.message}`);
    switch (typeof err) {
      case 'string':
        return JSON.stringify(err);
      case 'number':
      case 'boolean':
      case 'bigint':
      case 'undefined':
        return `${err}`;
      case 'symbol':
        return err.toString();
      default: {
        if (err === null) return 'null';
        if (typeof err === 'function') return 'a function, not an Error';
        return `a value that is not an Error: ${oneLine(JSON.stringify(err))}`;
      }
    }
  } catch {
    return 'a value that cannot be described (reading it throws)';
  }
}

const TIMED_OUT = Symbol('timed out');

/** `instanceof` that cannot throw (a Proxy's `getPrototypeOf` trap can). */
function isLoadError(err: unknown): err is HandlerLoadError {
  try {
    return err instanceof HandlerLoadError;
  } catch {
    return false;
  }
}

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, ' ');

/**
 * Imports a handler module (path relative to `cwd`). It must default-export the handler and may
 * export `readinessChecks`, an object of named check functions. Throws `HandlerLoadError` for
 * every way a module can fail, including taking longer than `timeoutMs` to load.
 */
export async function loadHandler(
  path: string,
  cwd: string = process.cwd(),
  timeoutMs: number = HANDLER_LOAD_TIMEOUT_MS,
): Promise<LoadedHandler> {
  const file = resolve(cwd, path);
  if (!existsSync(file)) {
    throw new HandlerLoadError(
      'EDS_HANDLER_NOT_FOUND',
      `handler module ${path} not found (looked at ${file})`,
    );
  }
  let timer: NodeJS.Timeout | undefined;
  // The timer also keeps the process alive while a top-level await waits on nothing.
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      resolve(TIMED_OUT);
    }, timeoutMs);
  });
  let loaded: Record<string, unknown> | typeof TIMED_OUT;
  try {
    loaded = await Promise.race([
      import(pathToFileURL(file).href) as Promise<Record<string, unknown>>,
      timeout,
    ]);
  } catch (err) {
    throw new HandlerLoadError(
      'EDS_HANDLER_IMPORT_FAILED',
      `cannot import ${path}: ${describeThrown(err)}`,
      { cause: err },
    );
  } finally {
    clearTimeout(timer);
  }
  if (loaded === TIMED_OUT) {
    throw new HandlerLoadError(
      'EDS_HANDLER_LOAD_TIMEOUT',
      `${path} did not finish loading within ${timeoutMs} ms: its top-level code (a top-level await?) has not settled`,
    );
  }
  try {
    return checkModule(path, loaded);
  } catch (err) {
    if (isLoadError(err)) throw err;
    throw new HandlerLoadError(
      'EDS_HANDLER_BAD_EXPORTS',
      `${path}: reading its exports failed: ${describeThrown(err)}`,
      { cause: err },
    );
  }
}

/** Validates a module's exports; exported for tests. */
export function checkModule(path: string, mod: Record<string, unknown>): LoadedHandler {
  const handler = mod['default'];
  if (typeof handler !== 'function') {
    const got =
      handler === undefined ? 'no default export' : `a default export of type ${typeof handler}`;
    throw new HandlerLoadError(
      'EDS_HANDLER_NOT_FUNCTION',
      `${path} must default-export the handler, e.g. "export default async (message, context) => {…}"; found ${got}`,
    );
  }
  const checks = mod['readinessChecks'];
  if (checks === undefined) return { handler: handler as Handler, readinessChecks: {} };
  if (typeof checks !== 'object' || checks === null) {
    throw new HandlerLoadError(
      'EDS_HANDLER_BAD_CHECKS',
      `${path}: "readinessChecks" must be an object of functions, e.g. {database: async () => …}; found ${typeof checks}`,
    );
  }
  for (const [name, fn] of Object.entries(checks)) {
    if (typeof fn !== 'function') {
      throw new HandlerLoadError(
        'EDS_HANDLER_BAD_CHECKS',
        `${path}: readinessChecks.${name} must be a function returning a promise; found ${typeof fn}`,
      );
    }
  }
  return { handler: handler as Handler, readinessChecks: checks as Record<string, ReadinessCheck> };
}
