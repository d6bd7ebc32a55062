import { describe, expect, it } from 'vitest';
import { DEFAULTS, parseSettings, resolveSettings, SettingsError } from '@eds/worker';

const base = { NATS_STREAM_NAME: 'SIMPLE_JOBS', NATS_CONSUMER_GROUP: 'simple-workers' };

describe('parseSettings', () => {
  it('applies the documented defaults', () => {
    expect(parseSettings(base)).toEqual({
      ok: true,
      settings: {
        natsUrl: 'nats://nats.nats.svc:4222',
        stream: 'SIMPLE_JOBS',
        consumer: 'simple-workers',
        port: 8080,
        concurrency: 5,
        ackWaitMs: 30_000,
        maxDeliver: 5,
        retryBackoffMs: 1_000,
        retryBackoffMaxMs: 60_000,
        deadLetterSubject: 'dead-letter.SIMPLE_JOBS',
        shutdownTimeoutMs: 25_000,
        handlerTimeoutMs: 600_000,
        logLevel: 'info',
      },
    });
  });

  it('keeps the default shutdown deadline inside the default 30 s grace period, with room to close', () => {
    expect(DEFAULTS.shutdownTimeoutMs).toBeLessThanOrEqual(30_000 - 5_000);
  });

  it('reads every variable from the environment', () => {
    const result = parseSettings({
      ...base,
      NATS_URL: 'nats://a:4222, nats://b:4222',
      PORT: '9090',
      EDS_CONCURRENCY: '32',
      EDS_ACK_WAIT_MS: '2000',
      EDS_MAX_DELIVER: '10',
      EDS_RETRY_BACKOFF_MS: '0',
      EDS_RETRY_BACKOFF_MAX_MS: '500',
      EDS_DEAD_LETTER_SUBJECT: 'dlq.simple',
      EDS_SHUTDOWN_TIMEOUT_MS: '10000',
      EDS_HANDLER_TIMEOUT_MS: '90000',
      EDS_LOG_LEVEL: 'debug',
    });
    expect(result).toEqual({
      ok: true,
      settings: {
        natsUrl: 'nats://a:4222,nats://b:4222',
        stream: 'SIMPLE_JOBS',
        consumer: 'simple-workers',
        port: 9090,
        concurrency: 32,
        ackWaitMs: 2_000,
        maxDeliver: 10,
        retryBackoffMs: 0,
        retryBackoffMaxMs: 500,
        deadLetterSubject: 'dlq.simple',
        shutdownTimeoutMs: 10_000,
        handlerTimeoutMs: 90_000,
        logLevel: 'debug',
      },
    });
  });

  it('lets the environment override settings from code', () => {
    const result = resolveSettings(
      { ...base, EDS_CONCURRENCY: '7' },
      { concurrency: 3, maxDeliver: 9 },
    );
    expect([result.concurrency, result.maxDeliver]).toEqual([7, 9]);
  });

  it('turns dead-lettering off with the empty string', () => {
    expect(resolveSettings({ ...base, EDS_DEAD_LETTER_SUBJECT: '' }).deadLetterSubject).toBe('');
  });

  const cases: [string, Record<string, string>, { variable: string; message: string }[]][] = [
    [
      'missing stream and consumer',
      {},
      [
        {
          variable: 'NATS_STREAM_NAME',
          message:
            'is not set; set it to the JetStream stream name (the platform sets it from spec.nats)',
        },
        {
          variable: 'NATS_CONSUMER_GROUP',
          message:
            'is not set; set it to the durable consumer name (the platform sets it from spec.nats)',
        },
      ],
    ],
    [
      'a word for a number',
      { ...base, EDS_CONCURRENCY: 'lots' },
      [
        {
          variable: 'EDS_CONCURRENCY',
          message:
            '"lots" is not a whole number; set it to a whole number from 1 to 1000, e.g. EDS_CONCURRENCY=5',
        },
      ],
    ],
    [
      'a unit suffix',
      { ...base, EDS_ACK_WAIT_MS: '30s' },
      [
        {
          variable: 'EDS_ACK_WAIT_MS',
          message:
            '"30s" is not a whole number; set it to a whole number from 1000 to 3600000, e.g. EDS_ACK_WAIT_MS=30000',
        },
      ],
    ],
    [
      'out of range',
      { ...base, EDS_MAX_DELIVER: '0', PORT: '70000' },
      [
        {
          variable: 'PORT',
          message:
            '70000 is out of range; set it to a whole number from 0 to 65535, e.g. PORT=8080',
        },
        {
          variable: 'EDS_MAX_DELIVER',
          message:
            '0 is out of range; set it to a whole number from 1 to 10000, e.g. EDS_MAX_DELIVER=5',
        },
      ],
    ],
    [
      'a stream name with a dot',
      { ...base, NATS_STREAM_NAME: 'simple.jobs' },
      [
        {
          variable: 'NATS_STREAM_NAME',
          message:
            '"simple.jobs" contains "."; names may not contain whitespace, ".", "*", ">", "/" or "\\"',
        },
      ],
    ],
    [
      'a wildcard dead-letter subject',
      { ...base, EDS_DEAD_LETTER_SUBJECT: 'dead.>' },
      [
        {
          variable: 'EDS_DEAD_LETTER_SUBJECT',
          message:
            '"dead.>" contains a wildcard; a publish subject must be literal; use a subject like dead-letter.SIMPLE_JOBS, or the empty string to turn dead-lettering off',
        },
      ],
    ],
    [
      'an unknown log level',
      { ...base, EDS_LOG_LEVEL: 'verbose' },
      [
        {
          variable: 'EDS_LOG_LEVEL',
          message:
            '"verbose" is not a log level; use one of fatal, error, warn, info, debug, trace, silent',
        },
      ],
    ],
    [
      'a maximum backoff below the first',
      { ...base, EDS_RETRY_BACKOFF_MS: '5000', EDS_RETRY_BACKOFF_MAX_MS: '1000' },
      [
        {
          variable: 'EDS_RETRY_BACKOFF_MAX_MS',
          message: 'is below EDS_RETRY_BACKOFF_MS (5000); raise it or lower the first delay',
        },
      ],
    ],
    [
      'an empty URL',
      { ...base, NATS_URL: ' ' },
      [
        {
          variable: 'NATS_URL',
          message:
            '" " is not a NATS URL; use e.g. nats://nats.nats.svc:4222 (comma-separate several)',
        },
      ],
    ],
  ];

  it.each(cases)('rejects %s, naming the variable and the fix', (_reason, env, expected) => {
    const result = parseSettings(env);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(({ variable, message }) => ({ variable, message }))).toEqual(
      expected,
    );
  });

  it('names the option and its variable for bad values from code', () => {
    const result = parseSettings(base, { concurrency: 2.5 });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          variable: 'concurrency (EDS_CONCURRENCY)',
          value: '2.5',
          message:
            '2.5 is not a whole number; set it to a whole number from 1 to 1000, e.g. EDS_CONCURRENCY=5',
        },
      ],
    });
  });

  it('throws a SettingsError with every problem from resolveSettings', () => {
    let thrown: unknown;
    try {
      resolveSettings({ ...base, EDS_CONCURRENCY: '0', EDS_LOG_LEVEL: 'loud' });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(SettingsError);
    const error = thrown as SettingsError;
    expect(error.code).toBe('EDS_INVALID_SETTINGS');
    expect(error.problems.map((p) => p.variable)).toEqual(['EDS_LOG_LEVEL', 'EDS_CONCURRENCY']);
    expect(error.message).toBe(
      [
        'invalid worker settings:',
        '  EDS_LOG_LEVEL: "loud" is not a log level; use one of fatal, error, warn, info, debug, trace, silent',
        '  EDS_CONCURRENCY: 0 is out of range; set it to a whole number from 1 to 1000, e.g. EDS_CONCURRENCY=5',
      ].join('\n'),
    );
  });
});
