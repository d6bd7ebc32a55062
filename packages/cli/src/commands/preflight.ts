/**
 * `eds preflight CLAIM`: before a rollout, asks the NATS server's monitoring endpoint what KEDA's
 * scaler will ask (`/jsz` for the claim's account, with consumers and config) and reports every
 * finding of `natsFindings`, each with what to do. Exit 0 nothing would break, 1 a finding would
 * (or the claim is invalid), 2 usage.
 */
import { natsFindings, type Claim, type Finding, type Monitoring } from '@eds/core';
import { readValidClaims } from '../valid-claims.js';
import { Option, type Command } from 'commander';
import { EXIT, UsageError } from '../errors.js';
import { getJson, HOST_PORT, jszQuery, reason } from '../monitoring.js';
import { escapeData, escapeProperty, FORMATS, type Format } from '../report.js';
import { printable, printableJson, printableLines } from '../terminal.js';

interface PreflightOptions {
  readonly monitoring?: string;
  readonly format: Format;
  readonly timeout: string;
}

interface ClaimReport {
  readonly name: string;
  readonly namespace?: string;
  readonly endpoint: string;
  readonly findings: readonly Finding[];
}

async function checkClaim(claim: Claim, endpoint: string, timeoutMs: number): Promise<ClaimReport> {
  const query = jszQuery(endpoint, claim.spec.nats.account);
  const head = {
    name: claim.name,
    ...(claim.namespace === undefined ? {} : { namespace: claim.namespace }),
    endpoint,
  };
  let jsz: unknown;
  try {
    jsz = await getJson(query, timeoutMs);
  } catch (e) {
    return {
      ...head,
      findings: [
        {
          check: 'endpoint',
          severity: 'error',
          message: `${query} gave ${reason(e)}; KEDA reads the lag from there`,
          fix: `check spec.nats.monitoringEndpoint; from outside the cluster, forward it (kubectl port-forward -n nats svc/nats-headless 8222) and pass --monitoring 127.0.0.1:8222`,
        },
      ],
    };
  }
  const varz = await getJson(`http://${endpoint}/varz`, timeoutMs).catch(() => undefined);
  const monitoring: Monitoring = { endpoint, jsz, ...(varz === undefined ? {} : { varz }) };
  return { ...head, findings: natsFindings(monitoring, claim.spec) };
}

const count = (reports: readonly ClaimReport[], severity: Finding['severity']) =>
  reports.reduce((n, r) => n + r.findings.filter((f) => f.severity === severity).length, 0);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function text(reports: readonly ClaimReport[]): string {
  const lines = reports.flatMap((r) => [
    `${r.name}${r.namespace === undefined ? '' : ` (namespace ${r.namespace})`}: NATS monitoring at ${r.endpoint}`,
    ...r.findings.flatMap((f) => [
      `  ${f.severity.padEnd(7)} ${f.check}: ${f.message}`,
      ...(f.fix === undefined ? [] : [`          fix: ${f.fix}`]),
    ]),
  ]);
  lines.push(
    `${plural(count(reports, 'error'), 'error')}, ${plural(count(reports, 'warning'), 'warning')}`,
  );
  return printableLines(lines);
}

/** `::error` and `::warning` workflow commands; what is fine is not annotated. */
function github(reports: readonly ClaimReport[], file: string): string {
  return reports
    .flatMap((r) =>
      r.findings
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

export async function preflightFile(name: string, opts: PreflightOptions): Promise<number> {
  const timeout = Number(opts.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0 || timeout > 300) {
    throw new UsageError(
      'bad-timeout',
      `--timeout ${JSON.stringify(opts.timeout)} is not a number of seconds from 0 to 300; e.g. --timeout 5`,
    );
  }
  if (opts.monitoring !== undefined && !HOST_PORT.test(opts.monitoring)) {
    throw new UsageError(
      'bad-monitoring',
      `--monitoring ${JSON.stringify(opts.monitoring)} is not host:port; e.g. --monitoring 127.0.0.1:8222`,
    );
  }
  const claims = await readValidClaims(name, opts.format === 'github' ? 'github' : 'text');
  if (claims === undefined) return EXIT.problems;
  const reports: ClaimReport[] = [];
  for (const claim of claims) {
    const endpoint = opts.monitoring ?? claim.spec.nats.monitoringEndpoint;
    reports.push(await checkClaim(claim, endpoint, timeout * 1000));
  }
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
      "check, before a rollout, that the NATS server has what the claim needs: KEDA's view of the account, stream, consumer and lag",
    )
    .argument('<claim>', 'claim file ("-" reads stdin)')
    .option(
      '--monitoring <host:port>',
      "the NATS monitoring endpoint to ask (default: the claim's spec.nats.monitoringEndpoint)",
    )
    .addOption(new Option('--format <format>', 'output format').choices(FORMATS).default('text'))
    .option('--timeout <seconds>', 'how long to wait for each answer', '5')
    .action(async (claim: string, opts: PreflightOptions) => {
      process.exitCode = await preflightFile(claim, opts);
    });
}
