import type { Size } from '../api/schema.js';

export interface Resources {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
}

/**
 * The presets behind `spec.size`, tuned on the agent-executor service. Quantities are written in
 * the canonical form the API server stores (`1`, not `1000m`), so the objects read back equal
 * what was rendered and GitOps diffs show no drift.
 */
export const SIZE_PRESETS: Readonly<Record<Size, Resources>> = {
  small: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '1', memory: '2Gi' } },
  medium: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '4Gi' } },
  large: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '4', memory: '8Gi' } },
};
