/** The parts of an image reference that rendering needs. */
export interface ImageRef {
  /** The tag, if the reference names one (`app:v1` → `v1`); digest-only and untagged: absent. */
  readonly tag?: string;
  readonly digest?: string;
}

/** Splits a valid image reference; the registry port (`host:5000/app`) is not a tag. */
export function parseImage(image: string): ImageRef {
  const [name = '', digest] = image.split('@', 2);
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash + 1);
  const tag = colon === -1 ? undefined : name.slice(colon + 1);
  return {
    ...(tag === undefined ? {} : { tag }),
    ...(digest === undefined ? {} : { digest }),
  };
}

/**
 * `Always` for `:latest` and for untagged references without a digest (which mean `latest`),
 * so a restarted pod picks up a moved tag; `IfNotPresent` for pinned tags and digests.
 */
export function pullPolicy(ref: ImageRef): 'Always' | 'IfNotPresent' {
  if (ref.digest !== undefined) return 'IfNotPresent';
  return ref.tag === undefined || ref.tag === 'latest' ? 'Always' : 'IfNotPresent';
}
