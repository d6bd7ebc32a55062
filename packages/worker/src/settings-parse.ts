import type { SettingProblem } from './errors.js';
import { SettingsError } from './errors.js';
import type { LogLevel, SettingsInput, WorkerSettings } from './settings.js';
import { DEFAULTS, ENV_NAMES, LOG_LEVELS, defaultDeadLetterSubject } from './settings.js';
import { EMPTY_SERVER, parseNatsServers } from './nats-url.js';
import { redactCredentials } from './redact.js';

/** The environment as Node gives it. */
export type Env = Readonly<Record<string, string | undefined>>;

export type ParseResult =
  | { readonly ok: true; readonly settings: WorkerSettings }
  | { readonly ok: false; readonly problems: readonly SettingProblem[] };

type IntKey = {
  [K in keyof WorkerSettings]: WorkerSettings[K] extends number ? K : never;
}[keyof WorkerSettings];

/** Inclusive bounds of every numeric setting. */
export const INT_BOUNDS: Readonly<Record<IntKey, readonly [min: number, max: number]>> = {
  port: [0, 65_535],
  concurrency: [1, 1_000],
  ackWaitMs: [1_000, 3_600_000],
  maxDeliver: [1, 10_000],
  retryBackoffMs: [0, 3_600_000],
  retryBackoffMaxMs: [0, 3_600_000],
  shutdownTimeoutMs: [1_000, 3_600_000],
  handlerTimeoutMs: [1_000, 86_400_000],
};

/** Where a value came from, for messages: the env var, or the `runWorker` option. */
interface Source {
  readonly label: string;
  readonly fromEnv: boolean;
  readonly raw: unknown;
}

/**
 * Reads settings: built-in defaults, then `input` (from code), then the environment, which wins so
 * operators can tune a deployed worker without rebuilding it. Never throws; returns every problem.
 */
export function parseSettings(env: Env, input: SettingsInput = {}): ParseResult {
  const problems: SettingProblem[] = [];
  const source = (key: keyof WorkerSettings): Source | undefined => {
    const envName = ENV_NAMES[key];
    const fromEnv = env[envName];
    if (fromEnv !== undefined) return { label: envName, fromEnv: true, raw: fromEnv };
    const fromCode = input[key];
    if (fromCode !== undefined)
      return { label: `${key} (${envName})`, fromEnv: false, raw: fromCode };
    return undefined;
  };
  // Values can hold credentials (NATS_URL): never print them.
  const problem = (s: Source, message: string): void => {
    problems.push({
      variable: s.label,
      value: redactCredentials(String(s.raw)),
      message: redactCredentials(message),
    });
  };

  const int = (key: IntKey): number => {
    const [min, max] = INT_BOUNDS[key];
    const fallback: number = DEFAULTS[key];
    const s = source(key);
    if (s === undefined) return fallback;
    const value = s.fromEnv ? parseWholeNumber(s.raw) : s.raw;
    const fix = `set it to a whole number from ${min} to ${max}, e.g. ${ENV_NAMES[key]}=${fallback}`;
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      problem(s, `${JSON.stringify(s.raw)} is not a whole number; ${fix}`);
      return fallback;
    }
    if (value < min || value > max) {
      problem(s, `${value} is out of range; ${fix}`);
      return fallback;
    }
    return value;
  };

  const name = (key: 'stream' | 'consumer', what: string): string => {
    const s = source(key);
    if (s === undefined) {
      problems.push({
        variable: ENV_NAMES[key],
        value: '',
        message: `is not set; set it to the ${what} name (the platform sets it from spec.nats)`,
      });
      return '';
    }
    const rule = checkName(s.raw);
    if (rule !== undefined) problem(s, `${JSON.stringify(s.raw)} ${rule}`);
    return typeof s.raw === 'string' ? s.raw : '';
  };

  const stream = name('stream', 'JetStream stream');
  const consumer = name('consumer', 'durable consumer');

  let natsUrl: string = DEFAULTS.natsUrl;
  const url = source('natsUrl');
  if (url !== undefined) {
    const parsed = typeof url.raw === 'string' ? parseNatsServers(url.raw) : undefined;
    if (parsed === undefined || (!parsed.ok && parsed.problem === EMPTY_SERVER)) {
      problem(
        url,
        `${JSON.stringify(url.raw)} is not a NATS URL; use e.g. nats://nats.nats.svc:4222 (comma-separate several)`,
      );
    } else if (!parsed.ok) {
      problem(url, `${JSON.stringify(url.raw)} ${parsed.problem}`);
    } else {
      natsUrl = (url.raw as string)
        .split(',')
        .map((u) => u.trim())
        .join(',');
    }
  }

  let deadLetterSubject = defaultDeadLetterSubject(stream);
  const dls = source('deadLetterSubject');
  if (dls !== undefined) {
    const rule = typeof dls.raw === 'string' ? checkSubject(dls.raw) : 'is not a string';
    if (rule === undefined) deadLetterSubject = dls.raw as string;
    else
      problem(
        dls,
        `${JSON.stringify(dls.raw)} ${rule}; use a subject like dead-letter.${stream === '' ? 'JOBS' : stream}, or the empty string to turn dead-lettering off`,
      );
  }

  let logLevel: LogLevel = DEFAULTS.logLevel;
  const level = source('logLevel');
  if (level !== undefined) {
    if (isLogLevel(level.raw)) logLevel = level.raw;
    else
      problem(
        level,
        `${JSON.stringify(level.raw)} is not a log level; use one of ${LOG_LEVELS.join(', ')}`,
      );
  }

  const settings: WorkerSettings = {
    natsUrl,
    stream,
    consumer,
    port: int('port'),
    concurrency: int('concurrency'),
    ackWaitMs: int('ackWaitMs'),
    maxDeliver: int('maxDeliver'),
    retryBackoffMs: int('retryBackoffMs'),
    retryBackoffMaxMs: int('retryBackoffMaxMs'),
    deadLetterSubject,
    shutdownTimeoutMs: int('shutdownTimeoutMs'),
    handlerTimeoutMs: int('handlerTimeoutMs'),
    logLevel,
  };

  if (settings.retryBackoffMaxMs < settings.retryBackoffMs) {
    problems.push({
      variable: ENV_NAMES.retryBackoffMaxMs,
      value: String(settings.retryBackoffMaxMs),
      message: `is below ${ENV_NAMES.retryBackoffMs} (${settings.retryBackoffMs}); raise it or lower the first delay`,
    });
  }

  return problems.length === 0 ? { ok: true, settings } : { ok: false, problems };
}

/** `parseSettings` for code paths that cannot return problems: throws `SettingsError`. */
export function resolveSettings(env: Env, input: SettingsInput = {}): WorkerSettings {
  const result = parseSettings(env, input);
  if (!result.ok) throw new SettingsError(result.problems);
  return result.settings;
}

function parseWholeNumber(raw: unknown): number | undefined {
  if (typeof raw !== 'string') return undefined;
  const trimmed = raw.trim();
  return /^\d{1,16}$/.test(trimmed) ? Number(trimmed) : undefined;
}

function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value);
}

/** Stream and consumer names: NATS forbids whitespace, `.`, `*`, `>`, `/` and `\`. */
export function checkName(raw: unknown): string | undefined {
  if (typeof raw !== 'string') return 'is not a string';
  if (raw === '') return 'is empty; set the name';
  if (raw.length > 255) return 'is longer than 255 characters';
  const bad = /[\s.*>/\\]/.exec(raw);
  if (bad !== null)
    return `contains ${JSON.stringify(bad[0])}; names may not contain whitespace, ".", "*", ">", "/" or "\\"`;
  return undefined;
}

/** A literal subject to publish to (the empty string means "off" and is accepted). */
export function checkSubject(raw: string): string | undefined {
  if (raw === '') return undefined;
  if (/\s/.test(raw)) return 'contains whitespace';
  if (raw.split('.').some((token) => token === ''))
    return 'has an empty token (leading, trailing or double ".")';
  if (raw.split('.').some((token) => token === '*' || token === '>'))
    return 'contains a wildcard; a publish subject must be literal';
  return undefined;
}
