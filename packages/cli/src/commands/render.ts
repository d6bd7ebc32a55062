import { forTarget, render, TARGETS, toYamlStream, type Target } from '@eds/core';
import { Option, type Command } from 'commander';
import { checkFile } from '../claims.js';
import { EXIT, UsageError } from '../errors.js';
import { readInput } from '../files.js';
import { formatReport, type Problem } from '../report.js';
import { writeWarnings } from '../warnings.js';
import { printableJson } from '../terminal.js';

const OUTPUTS = ['yaml', 'json'] as const;
type Output = (typeof OUTPUTS)[number];

interface RenderOptions {
  readonly output: Output;
  readonly target: Target;
  readonly providerConfig?: string;
}

export async function renderFile(name: string, opts: RenderOptions): Promise<number> {
  const file = await readInput(name);
  const docs = checkFile(file).filter((d) => d.status !== 'skipped');
  if (docs.length === 0) throw new UsageError('no-claim', `no EventDrivenService in ${name}`);
  writeWarnings(
    'text',
    docs.flatMap((d) => d.warnings.map((w) => ({ ...w, file: name, document: d.index }))),
  );
  const problems: Problem[] = docs.flatMap((d) =>
    d.status === 'invalid' ? d.issues.map((i) => ({ ...i, file: name, document: d.index })) : [],
  );
  if (problems.length > 0) {
    const valid = docs.filter((d) => d.status === 'valid').length;
    const summary = { files: 1, claims: docs.length, valid, skipped: 0 };
    process.stderr.write(formatReport('text', problems, summary));
    return EXIT.problems;
  }
  const objects = docs.flatMap((d) =>
    d.status === 'valid'
      ? forTarget(render(d.claim, d.claim.spec), {
          target: opts.target,
          ...(opts.providerConfig === undefined ? {} : { providerConfigName: opts.providerConfig }),
        }).map((r) => r.object)
      : [],
  );
  process.stdout.write(
    opts.output === 'json'
      ? printableJson({ apiVersion: 'v1', kind: 'List', items: objects })
      : toYamlStream(objects),
  );
  return EXIT.ok;
}

export function registerRender(eds: Command): void {
  eds
    .command('render')
    .description('print the Kubernetes objects the platform creates for a claim ("-" reads stdin)')
    .argument('<claim>', 'claim file')
    .addOption(
      new Option('-o, --output <format>', 'output format').choices(OUTPUTS).default('yaml'),
    )
    .addOption(
      new Option(
        '-t, --target <target>',
        'Crossplane target: v2 composes objects directly, legacy wraps them in provider-kubernetes Objects',
      )
        .choices(TARGETS)
        .default('v2'),
    )
    .option(
      '--provider-config <name>',
      'ProviderConfig of the legacy Objects (default kubernetes-provider)',
    )
    .action(async (claim: string, opts: RenderOptions) => {
      process.exitCode = await renderFile(claim, opts);
    });
}
