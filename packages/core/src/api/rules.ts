/**
 * The string rules of the API: each pattern paired with the sentence that explains it.
 * The schema embeds the patterns; validation messages use the sentences.
 */
export interface StringRule {
  readonly pattern: string;
  readonly maxLength: number;
  /** Completes "must be …". */
  readonly rule: string;
}

const rule = (pattern: string, maxLength: number, text: string): StringRule => ({
  pattern,
  maxLength,
  rule: text,
});

/**
 * `<name>-scaler` names the ScaledObject and must stay a valid 63-character label,
 * so the service name may use at most 63 - "-scaler".length characters.
 */
export const SCALER_SUFFIX = '-scaler';
export const MAX_NAME_LENGTH = 63 - SCALER_SUFFIX.length;

/** DNS-1035 label: names a Service, so it must start with a letter. */
export const serviceName = rule(
  '^[a-z]([-a-z0-9]*[a-z0-9])?$',
  MAX_NAME_LENGTH,
  'a DNS-1035 label: lowercase letters, digits and "-", starting with a letter and ending with a letter or digit',
);

/** DNS-1123 label (namespaces). */
export const namespaceName = rule(
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
  63,
  'a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit',
);

/** DNS-1123 subdomain (Secret names). */
export const secretName = rule(
  '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  253,
  'a Kubernetes object name: lowercase letters, digits, "-" and ".", starting and ending with a letter or digit',
);

/** Any other object name, e.g. a provider-kubernetes ProviderConfig: the same rule. */
export const objectName = secretName;

/** Keys of a Secret's data map. */
export const secretKey = rule(
  '^[-._a-zA-Z0-9]+$',
  253,
  'a Secret key: letters, digits, "-", "_" and "."',
);

/** A C identifier, the portable environment variable name. */
export const envName = rule(
  '^[A-Za-z_][A-Za-z0-9_]*$',
  253,
  'an environment variable name: letters, digits and "_", not starting with a digit',
);

/**
 * Container image reference as Docker's reference grammar defines it:
 * `[registry[:port]/]path[:tag][@sha256:<64 hex>]`, lowercase path, no whitespace.
 */
export const image = rule(
  '^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\\w][\\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$',
  4096,
  'an image reference such as "ghcr.io/org/app:v1.2.3" or "ghcr.io/org/app@sha256:<64 hex digits>" (lowercase repository, no whitespace)',
);

/**
 * JetStream stream and consumer names: no whitespace, ".", "*", ">", path separators or
 * control characters (they become subjects and file names on the server).
 */
export const natsName = rule(
  '^[^\\s.*>/\\\\\\x00-\\x1f\\x7f]+$',
  255,
  'a JetStream name: no whitespace, ".", "*", ">", "/", "\\" or control characters',
);

/** NATS account names follow the same rule as stream names. */
export const natsAccount = natsName;

/**
 * One or more comma-separated NATS server URLs. Unambiguous on purpose: `host[:port]` is one
 * run of characters other than whitespace, "," and "/", so a backtracking engine has exactly one
 * way to split any input (an optional `:port` after a host that may itself contain ":" made the
 * match exponential in the number of URLs).
 */
export const natsUrl = rule(
  '^(?:nats|tls|ws|wss)://[^\\s,/]+/?(?:,(?:nats|tls|ws|wss)://[^\\s,/]+/?)*$',
  2048,
  'a NATS URL such as "nats://nats.nats.svc:4222" (scheme nats, tls, ws or wss; several may be comma-separated)',
);

/** KEDA's nats-jetstream scaler wants `host:port`, without a scheme. */
export const hostPort = rule(
  '^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?:[0-9]{1,5}$',
  260,
  'host:port without a scheme, such as "nats-headless.nats.svc.cluster.local:8222"',
);

/**
 * A Prometheus duration, exactly as prometheus-operator's CRDs validate `Duration` (the pattern
 * of `spec.endpoints[].interval` in monitoring.coreos.com_servicemonitors.yaml, v0.89.0): whole
 * numbers with units from years to milliseconds, largest first, or "0". The empty string the
 * CRD also accepts is refused by `minLength`: leave the field out for Prometheus' own interval.
 * @see https://prometheus.io/docs/prometheus/latest/configuration/configuration/#duration
 */
export const prometheusDuration = rule(
  '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
  32,
  'a Prometheus duration such as "30s", "1m" or "1m30s": whole numbers with the units y, w, d, h, m, s and ms, largest first, no spaces',
);

/** Every rule, for mapping a failed pattern back to its sentence. */
export const STRING_RULES: readonly StringRule[] = [
  serviceName,
  namespaceName,
  secretName,
  secretKey,
  envName,
  image,
  natsName,
  natsUrl,
  hostPort,
  prometheusDuration,
];
