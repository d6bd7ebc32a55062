import { forTarget, render, TARGETS, toYamlStream, type Target } from '@eds/core';
import { readValidClaims } from '../valid-claims.js';
import { Option, type Command } from 'commander';
import { EXIT } from '../errors.js';
import { printableJson } from '../terminal.js';

const OUTPUTS = ['yaml', 'json'] as const;
type Output = (typeof OUTPUTS)[number];

interface RenderOptions {
  readonly output: Output;
  readonly target: Target;
  readonly providerConfig?: string;
}

export async function renderFile(name: string, opts: RenderOptions): Promise<number> {
  const claims = await readValidClaims(name);
  if (claims === undefined) return EXIT.problems;
  const objects = claims.flatMap((claim) =>
    forTarget(render(claim, claim.spec), {
      target: opts.target,
      ...(opts.providerConfig === undefined ? {} : { providerConfigName: opts.providerConfig }),
    }).map((r) => r.object),
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
