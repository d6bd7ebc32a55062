/**
 * The text of a FATAL result that lists problems, as `eds validate` lists them (one
 * `path  message` a line), bounded. Crossplane puts it in the XR's `Synced` condition and events,
 * and its gRPC client refuses an answer over 4 MiB: a spec with 30,000 unknown fields would
 * otherwise get a 6.7 MB message, and with it no answer at all. So the first problems are listed,
 * each line clipped, and the rest counted.
 */
import { formatIssue, type Issue } from '@eds/core';

/** Problems listed in one message; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 20;
/** Longest field path shown (a field's name is as long as the request allows). */
export const MAX_PATH_CHARS = 200;
/** Longest problem text shown; a spec's "known fields are …" list is about 300 characters. */
export const MAX_MESSAGE_CHARS = 500;

const clip = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max - 3)}...` : text;

/**
 * `title`, then the first problems, one a line, then how many more there are (counting those a
 * `too-many` issue from the validator stands for).
 */
export function listProblems(
  title: string,
  issues: readonly Pick<Issue, 'path' | 'message' | 'code' | 'unlisted'>[],
): string {
  const listed = issues.filter((i) => i.code !== 'too-many');
  const total = listed.length + issues.reduce((n, i) => n + (i.unlisted ?? 0), 0);
  const lines = listed.slice(0, MAX_LISTED_PROBLEMS).map((i) =>
    formatIssue({
      path: clip(i.path, MAX_PATH_CHARS),
      message: clip(i.message, MAX_MESSAGE_CHARS),
    }),
  );
  const more = total - lines.length;
  if (more > 0) {
    lines.push(
      `... and ${more} more problem${more === 1 ? '' : 's'} (${total} in all); fix these first, or run \`eds validate\` on the claim to list them all`,
    );
  }
  return [title, ...lines].join('\n');
}
