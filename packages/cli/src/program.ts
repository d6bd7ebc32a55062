import { Command } from 'commander';
import { registerDev } from './commands/dev.js';
import { registerFunction } from './commands/function.js';
import { registerGenerate } from './commands/generate.js';
import { registerMigrate } from './commands/migrate.js';
import { registerPreflight } from './commands/preflight.js';
import { registerRender } from './commands/render.js';
import { registerScale } from './commands/scale.js';
import { registerSchema } from './commands/schema.js';
import { registerValidate } from './commands/validate.js';

/** The `eds` command. Each sub-command lives in `commands/<name>.ts` and registers itself here. */
export function program(): Command {
  const eds = new Command('eds')
    .description('EventDrivenService: validate, render and ship NATS JetStream workers')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride();
  registerValidate(eds);
  registerRender(eds);
  registerSchema(eds);
  registerGenerate(eds);
  registerFunction(eds);
  registerMigrate(eds);
  registerPreflight(eds);
  registerScale(eds);
  registerDev(eds);
  return eds;
}
