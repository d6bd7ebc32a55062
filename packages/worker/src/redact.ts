/**
 * Credentials never leave the process in text: logs, `/ready` bodies, settings errors and
 * `/metrics` all print URLs through this.
 */

/** What replaces a password or token. */
export const REDACTED = '***';

/**
 * Replaces the credentials of every URL in `text`: `nats://user:secret@host` becomes
 * `nats://user:***@host`, `nats://token@host` becomes `nats://***@host`. The user info runs to the
 * last `@` before the next `/` or whitespace, so a password containing `@` is hidden whole.
 */
export function redactCredentials(text: string): string {
  return text.replace(
    /([a-z][a-z0-9+.-]*:\/\/)([^\s/]*)@/gi,
    (_m, scheme: string, info: string) => {
      const colon = info.indexOf(':');
      const user = colon === -1 ? '' : `${info.slice(0, colon)}:`;
      return `${scheme}${user}${REDACTED}@`;
    },
  );
}
