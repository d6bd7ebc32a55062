/**
 * `eds preflight CLAIM`: before a rollout, asks what the claim needs of its NATS server and its
 * cluster, and reports every finding, each with what to do:
 * - the monitoring endpoint, what KEDA's scaler asks (`/jsz` for the account, with consumers and
 *   config): `natsFindings`;
 * - with `--nats URL`, the JetStream API as a client with those credentials: `jetStreamFindings`;
 * - with `--kubeconfig`/`--context`, the API server: `clusterFindings`.
 * Exit 0 nothing would break, 1 a finding would (or the claim is invalid), 2 usage.
 */
import { natsFindings, type Claim, type Finding, type Monitoring } from '@eds/core';
import { Option, type Command } from 'commander';
import { readFileSync, statSync } from 'node:fs';
import { EXIT, UsageError } from '../errors.js';
import { getJson, HOST_PORT, jszQuery, reason } from '../monitoring.js';
import { escapeData, escapeProperty, FORMATS, type Format } from '../report.js';
import { printable, printableJson, printableLines } from '../terminal.js';
import { readValidClaims } from '../valid-claims.js';

interface PreflightOptions {
  /** `false` with `--no-monitoring`. */
  readonly monitoring: string | boolean;
  readonly nats?: string;
  readonly creds?: string;
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly format: Format;
  readonly timeout: string;
}

/** Which server a set of findings came from. */
type Source = 'monitoring' | 'jetstream' | 'cluster';

interface Section {
  readonly source: Source;
  /** What was asked, printable: the endpoint, the URL without credentials, the context. */
  readonly target: string;
  readonly findings: readonly Finding[];
}

interface ClaimReport {
  readonly name: string;
  readonly namespace?: string;
  readonly sections: readonly Section[];
}

const TITLES: Readonly<Record<Source, string>> = {
  monitoring: 'NATS monitoring at',
  jetstream: 'JetStream API at',
  cluster: 'cluster,',
};

/** A `.creds` file holds a JWT and a seed: a few KiB. */
const MAX_CREDS_BYTES = 64 * 1024;

async function monitoringCheck(
  claim: Claim,
  endpoint: string,
  timeoutMs: number,
): Promise<Finding[]> {
  const query = jszQuery(endpoint, claim.spec.nats.account);
  let jsz: unknown;
  try {
    jsz = await getJson(query, timeoutMs);
  } catch (e) {
    return [
      {
        check: 'endpoint',
        severity: 'error',
        message: `${query} gave ${reason(e)}; KEDA reads the lag from there`,
        fix: `check spec.nats.monitoringEndpoint; from outside the cluster, forward it (kubectl port-forward -n nats svc/nats-headless 8222) and pass --monitoring 127.0.0.1:8222`,
      },
    ];
  }
  const varz = await getJson(`http://${endpoint}/varz`, timeoutMs).catch(() => undefined);
  const monitoring: Monitoring = { endpoint, jsz, ...(varz === undefined ? {} : { varz }) };
  return natsFindings(monitoring, claim.spec);
}

/** A place to ask besides the monitoring endpoint: what it is called, and the asking. */
interface Target {
  /** Printable: a URL without credentials, a context and its server. */
  readonly name: string;
  readonly check: (claim: Claim, timeoutMs: number) => Promise<Finding[]>;
}

interface Targets {
  /** The endpoint; `undefined`: the claim's; `false`: not asked. */
  readonly monitoring: string | false | undefined;
  readonly nats?: Target;
  readonly cluster?: Target;
}

async function checkClaim(claim: Claim, t: Targets, timeoutMs: number): Promise<ClaimReport> {
  const sections: Section[] = [];
  if (t.monitoring !== false) {
    const endpoint = t.monitoring ?? claim.spec.nats.monitoringEndpoint;
    sections.push({
      source: 'monitoring',
      target: endpoint,
      findings: await monitoringCheck(claim, endpoint, timeoutMs),
    });
  }
  for (const [source, target] of [
    ['jetstream', t.nats],
    ['cluster', t.cluster],
  ] as const) {
    if (target === undefined) continue;
    sections.push({ source, target: target.name, findings: await target.check(claim, timeoutMs) });
  }
  return {
    name: claim.name,
    ...(claim.namespace === undefined ? {} : { namespace: claim.namespace }),
    sections,
  };
}

const findingsOf = (r: ClaimReport) => r.sections.flatMap((s) => s.findings);

const count = (reports: readonly ClaimReport[], severity: Finding['severity']) =>
  reports.reduce((n, r) => n + findingsOf(r).filter((f) => f.severity === severity).length, 0);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function text(reports: readonly ClaimReport[]): string {
  const lines = reports.flatMap((r) =>
    r.sections.flatMap((s) => [
      `${r.name}${r.namespace === undefined ? '' : ` (namespace ${r.namespace})`}: ${TITLES[s.source]} ${s.target}`,
      ...s.findings.flatMap((f) => [
        `  ${f.severity.padEnd(7)} ${f.check}: ${f.message}`,
        ...(f.fix === undefined ? [] : [`          fix: ${f.fix}`]),
      ]),
    ]),
  );
  lines.push(
    `${plural(count(reports, 'error'), 'error')}, ${plural(count(reports, 'warning'), 'warning')}`,
  );
  return printableLines(lines);
}

/** `::error` and `::warning` workflow commands; what is fine is not annotated. */
function github(reports: readonly ClaimReport[], file: string): string {
  return reports
    .flatMap((r) =>
      findingsOf(r)
        .filter((f) => f.severity !== 'ok')
        .map((f) => {
          const title = escapeProperty(printable(`preflight ${r.name}: ${f.check}`));
          const body = f.fix === undefined ? f.message : `${f.message}; fix: ${f.fix}`;
          const at = escapeProperty(printable(file));
          return `::${f.severity} file=${at},title=${title}::${escapeData(printable(body))}`;
        }),
    )
    .map((l) => `${l}\n`)
    .join('');
}

function timeoutMs(raw: string): number {
  const timeout = Number(raw);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 300) {
    throw new UsageError(
      'bad-timeout',
      `--timeout ${JSON.stringify(raw)} is not a number of seconds from 0 to 300; e.g. --timeout 5`,
    );
  }
  return timeout * 1000;
}

function readCreds(file: string): Uint8Array {
  try {
    if (statSync(file).size > MAX_CREDS_BYTES) {
      throw new Error(`it is over ${MAX_CREDS_BYTES / 1024} KiB, larger than any .creds file`);
    }
    return readFileSync(file);
  } catch (e) {
    throw new UsageError('bad-creds', `--creds ${JSON.stringify(file)}: ${reason(e)}`);
  }
}

/**
 * `--nats`: the JetStream client, loaded only when asked for (it is not needed by the other
 * commands, which share this process's start-up).
 */
async function natsTarget(url: string, creds: string | undefined): Promise<Target> {
  const { jetStreamCheck, natsUrlProblem, printableUrl } =
    await import('../preflight/jetstream.js');
  const problem = natsUrlProblem(url);
  if (problem !== undefined) {
    throw new UsageError(
      'bad-nats',
      `--nats ${problem}; e.g. --nats nats://127.0.0.1:4222 or nats://user:password@host:4222`,
    );
  }
  const target = { url, ...(creds === undefined ? {} : { creds: readCreds(creds) }) };
  return {
    name: printableUrl(url),
    check: (claim, timeoutMs) => jetStreamCheck(target, claim.spec, timeoutMs),
  };
}

/**
 * `--kubeconfig`/`--context`: the Kubernetes client, loaded only when asked for (importing
 * @kubernetes/client-node takes most of a second).
 */
async function clusterTarget(kubeconfig?: string, context?: string): Promise<Target> {
  const { clusterCheck, describeTarget, loadKubeConfig } = await import('../preflight/cluster.js');
  try {
    const kc = loadKubeConfig({
      ...(kubeconfig === undefined ? {} : { kubeconfig }),
      ...(context === undefined ? {} : { context }),
    });
    return {
      name: describeTarget(kc),
      check: (claim, timeoutMs) => clusterCheck(kc, claim, timeoutMs),
    };
  } catch (e) {
    const which =
      kubeconfig === undefined ? 'the kubeconfig' : `--kubeconfig ${JSON.stringify(kubeconfig)}`;
    throw new UsageError('bad-kubeconfig', `${which}: ${reason(e)}`);
  }
}

/** What to ask, from the options; a usage error names the option and the fix. */
async function targets(opts: PreflightOptions): Promise<Targets> {
  const { monitoring } = opts;
  if (typeof monitoring === 'string' && !HOST_PORT.test(monitoring)) {
    throw new UsageError(
      'bad-monitoring',
      `--monitoring ${JSON.stringify(monitoring)} is not host:port; e.g. --monitoring 127.0.0.1:8222`,
    );
  }
  if (opts.creds !== undefined && opts.nats === undefined) {
    throw new UsageError(
      'creds-without-nats',
      '--creds needs --nats URL, the server to connect to',
    );
  }
  const wantsCluster = opts.kubeconfig !== undefined || opts.context !== undefined;
  return {
    monitoring: monitoring === true ? undefined : monitoring,
    ...(opts.nats === undefined ? {} : { nats: await natsTarget(opts.nats, opts.creds) }),
    ...(wantsCluster ? { cluster: await clusterTarget(opts.kubeconfig, opts.context) } : {}),
  };
}

export async function preflightFile(name: string, opts: PreflightOptions): Promise<number> {
  const timeout = timeoutMs(opts.timeout);
  const t = await targets(opts);
  if (t.monitoring === false && t.nats === undefined && t.cluster === undefined) {
    throw new UsageError(
      'nothing-to-check',
      '--no-monitoring leaves nothing to check; add --nats URL or --kubeconfig FILE / --context NAME',
    );
  }
  const claims = await readValidClaims(name, opts.format === 'github' ? 'github' : 'text');
  if (claims === undefined) return EXIT.problems;
  const reports: ClaimReport[] = [];
  for (const claim of claims) reports.push(await checkClaim(claim, t, timeout));
  const errors = count(reports, 'error');
  switch (opts.format) {
    case 'json':
      process.stdout.write(
        printableJson({ claims: reports, errors, warnings: count(reports, 'warning') }),
      );
      break;
    case 'github':
      process.stdout.write(github(reports, name));
      break;
    case 'text':
      process.stdout.write(text(reports));
  }
  return errors > 0 ? EXIT.problems : EXIT.ok;
}

export function registerPreflight(eds: Command): void {
  eds
    .command('preflight')
    .description(
      "check, before a rollout, that NATS and the cluster have what the claim needs: KEDA's view of the account, stream, consumer and lag; the JetStream API's; the namespace, Secrets and the platform's installation",
    )
    .argument('<claim>', 'claim file ("-" reads stdin)')
    .option(
      '--monitoring <host:port>',
      "the NATS monitoring endpoint to ask (default: the claim's spec.nats.monitoringEndpoint)",
    )
    .option('--no-monitoring', 'do not ask the monitoring endpoint')
    .option('--nats <url>', 'also check through the JetStream API as a client of this server')
    .option('--creds <file>', 'a .creds file (JWT and seed) to connect to --nats with')
    .option(
      '--kubeconfig <file>',
      "also check the cluster: the namespace, the claim's Secrets and the platform's installation",
    )
    .option('--context <name>', 'the kubeconfig context for the cluster checks (implies them)')
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .option('--timeout <seconds>', 'how long to wait for each answer', '5')
    .action(async (claim: string, opts: PreflightOptions) => {
      process.exitCode = await preflightFile(claim, opts);
    });
}
