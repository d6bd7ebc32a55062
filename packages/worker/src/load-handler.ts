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
 * Imports a handler module (path relative to `cwd`). It must default-export the handler and may
 * export `readinessChecks`, an object of named check functions.
 */
export async function loadHandler(
  path: string,
  cwd: string = process.cwd(),
): Promise<LoadedHandler> {
  const file = resolve(cwd, path);
  if (!existsSync(file)) {
    throw new HandlerLoadError(
      'EDS_HANDLER_NOT_FOUND',
      `handler module ${path} not found (looked at ${file})`,
    );
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw new HandlerLoadError(
      'EDS_HANDLER_IMPORT_FAILED',
      `cannot import ${path}: ${String(err)}`,
      { cause: err },
    );
  }
  return checkModule(path, mod);
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
