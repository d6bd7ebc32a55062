import { WorkerError, describeError } from './errors.js';
import { redactCredentials } from './redact.js';

/**
 * An application readiness check, e.g. a database ping. It passes unless it throws, rejects,
 * returns `false`, or takes longer than the check timeout.
 */
export type ReadinessCheck = () => unknown;

export interface CheckResult {
  readonly ok: boolean;
  readonly error?: string;
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly checks: Readonly<Record<string, CheckResult>>;
}

/** Below the readiness probe's `timeoutSeconds: 3`, so a slow check fails the check, not the probe. */
export const CHECK_TIMEOUT_MS = 2_000;

/**
 * The worker's own conditions, in the order `/ready` reports them. `deadLetters`: messages held
 * because their dead letter could not be stored.
 */
export const BUILT_IN_CHECKS = ['nats', 'consumer', 'shutdown', 'deadLetters'] as const;
export type BuiltInCheck = (typeof BUILT_IN_CHECKS)[number];

/**
 * Readiness state: the worker's own conditions (set as events happen) plus application checks
 * (run on each evaluation).
 */
export class Readiness {
  readonly #conditions = new Map<BuiltInCheck, string | undefined>([
    ['nats', 'not connected yet'],
    ['consumer', 'not bound yet'],
    ['shutdown', undefined],
    ['deadLetters', undefined],
  ]);
  readonly #appChecks: ReadonlyArray<readonly [string, ReadinessCheck]>;
  readonly #timeoutMs: number;

  constructor(
    appChecks: Readonly<Record<string, ReadinessCheck>> = {},
    timeoutMs = CHECK_TIMEOUT_MS,
  ) {
    for (const name of Object.keys(appChecks)) {
      if ((BUILT_IN_CHECKS as readonly string[]).includes(name)) {
        throw new WorkerError(
          'EDS_RESERVED_CHECK_NAME',
          `readiness check name "${name}" is reserved by the worker; rename it`,
        );
      }
    }
    this.#appChecks = Object.entries(appChecks);
    this.#timeoutMs = timeoutMs;
  }

  /** Marks a built-in condition as passing (`undefined`) or failing with a reason. */
  set(name: BuiltInCheck, failure: string | undefined): void {
    // `/ready` answers anyone who can reach the pod: no credentials in it.
    this.#conditions.set(name, failure === undefined ? undefined : redactCredentials(failure));
  }

  failure(name: BuiltInCheck): string | undefined {
    return this.#conditions.get(name);
  }

  /** True when every built-in condition passes (application checks are not run). */
  get coreReady(): boolean {
    for (const failure of this.#conditions.values()) if (failure !== undefined) return false;
    return true;
  }

  async evaluate(): Promise<ReadinessReport> {
    const checks: Record<string, CheckResult> = {};
    for (const [name, failure] of this.#conditions) {
      checks[name] = failure === undefined ? { ok: true } : { ok: false, error: failure };
    }
    const results = await Promise.all(
      this.#appChecks.map(
        async ([name, check]) => [name, await runCheck(check, this.#timeoutMs)] as const,
      ),
    );
    for (const [name, result] of results) checks[name] = result;
    const ready = Object.values(checks).every((c) => c.ok);
    return { ready, checks };
  }
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => {
      resolve({ ok: false, error: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
  });
  const run = (async (): Promise<CheckResult> => {
    try {
      const value: unknown = await check();
      return value === false ? { ok: false, error: 'returned false' } : { ok: true };
    } catch (err) {
      return { ok: false, error: redactCredentials(describeError(err)) };
    }
  })();
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
