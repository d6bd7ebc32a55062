import type { Command } from 'commander';

export function registerSchema(eds: Command): void {
  eds
    .command('schema')
    .description('print the JSON Schema of EventDrivenService claims (for editors, ajv, CI)')
    .action(async () => {
      const { claimJsonSchema } = await import('@eds/core/definition');
      process.stdout.write(`${JSON.stringify(claimJsonSchema(), null, 2)}\n`);
    });
}
