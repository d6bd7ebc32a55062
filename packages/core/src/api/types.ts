import type { SecretKeyMapping, Size, SpecInput } from './schema.js';

/** A Secret mounted into the containers, in the order the Deployment lists it. */
export interface ResolvedSecretRef {
  readonly name: string;
  readonly envFrom: boolean;
  readonly env: readonly SecretKeyMapping[];
}

/** The spec after validation, with every default applied. */
export interface Spec {
  readonly image: string;
  readonly size: Size;
  readonly nats: {
    readonly url: string;
    readonly stream: string;
    readonly consumer: string;
    readonly account: string;
    readonly monitoringEndpoint: string;
    /** Whether the platform composes the durable consumer (a NACK Consumer). */
    readonly managedConsumer: boolean;
  };
  /** Slot secrets (`secret1Name`…`secret5Name`) in slot order, then `secretRefs`. */
  readonly secrets: readonly ResolvedSecretRef[];
  readonly imagePullSecrets: readonly string[];
  readonly initContainer?: {
    readonly command?: readonly string[];
    readonly args?: readonly string[];
  };
  readonly scaling: {
    readonly minReplicas: number;
    readonly maxReplicas: number;
    readonly lagThreshold: number;
    readonly pollingInterval: number;
    /** Both KEDA's `cooldownPeriod` and the HPA's scale-down stabilization window. */
    readonly cooldownPeriod: number;
    /** Absent: KEDA's default (0) applies, and the trigger does not carry it. */
    readonly activationLagThreshold?: number;
  };
  readonly terminationGracePeriodSeconds: number;
  /** The pods' annotations as written; empty when the claim sets none. */
  readonly podAnnotations: Readonly<Record<string, string>>;
  readonly availability: {
    /** Whether the platform composes a PodDisruptionBudget for the pods. */
    readonly podDisruptionBudget: boolean;
    /** Whether the pod template spreads the pods across zones and nodes. */
    readonly topologySpread: boolean;
  };
  readonly metrics: {
    readonly serviceMonitor: {
      /** Whether the platform composes a ServiceMonitor for the Service. */
      readonly enabled: boolean;
      /** Absent: the Prometheus's own scrape interval. */
      readonly interval?: string;
      /** The ServiceMonitor's labels besides the platform's; empty when the claim sets none. */
      readonly labels: Readonly<Record<string, string>>;
    };
  };
}

/** What rendering needs to know about the object that asked for it. */
export interface ServiceIdentity {
  readonly name: string;
  /** Absent when the namespace is decided elsewhere (e.g. `kubectl apply -n`). */
  readonly namespace?: string;
}

/** A validated claim: its identity, the spec as written and the spec with defaults. */
export interface Claim extends ServiceIdentity {
  readonly input: SpecInput;
  readonly spec: Spec;
}
