import { CommanderError } from 'commander';
import { EXIT, UsageError } from './errors.js';
import { program } from './program.js';
import { printableLines } from './terminal.js';

/** The edge of the CLI: every failure becomes a one-line message and an exit code, never a trace. */
try {
  await program().parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Commander has already printed the message (and help where useful).
    process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (e instanceof UsageError) {
    process.stderr.write(printableLines([`eds: ${e.message}`]));
    process.exitCode = EXIT.usage;
  } else {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(
      printableLines([
        `eds: unexpected error: ${message}`,
        'This is a bug in eds; please report it.',
      ]),
    );
    process.exitCode = EXIT.usage;
  }
}
