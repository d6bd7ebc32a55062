import { CommanderError } from 'commander';
import { EXIT, UsageError } from './errors.js';
import { program } from './program.js';

/** The edge of the CLI: every failure becomes a one-line message and an exit code, never a trace. */
try {
  await program().parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Commander has already printed the message (and help where useful).
    process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (e instanceof UsageError) {
    process.stderr.write(`eds: ${e.message}\n`);
    process.exitCode = EXIT.usage;
  } else {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(
      `eds: unexpected error: ${message}\nThis is a bug in eds; please report it.\n`,
    );
    process.exitCode = EXIT.usage;
  }
}
