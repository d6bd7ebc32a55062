/**
 * Kubernetes label selectors (`matchLabels` and `matchExpressions`), as a PodDisruptionBudget
 * selects pods and a ServiceMonitor selects Services.
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/label-selector/
 */
import { at, own } from './own.js';
import { isObject } from './manifests.js';

type Obj = Record<string, unknown>;

/** One `matchExpressions` requirement of a label selector, against an object's labels. */
function meets(requirement: unknown, labels: Obj): boolean {
  const key = at(requirement, 'key');
  const operator = at(requirement, 'operator');
  const values = at(requirement, 'values');
  if (typeof key !== 'string') return false;
  const value = own(labels, key);
  const listed = Array.isArray(values) && values.includes(value);
  switch (operator) {
    case 'In':
      return value !== undefined && listed;
    case 'NotIn':
      return value === undefined || !listed;
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
    default:
      return false;
  }
}

/** Whether `selector` selects an object with `labels`. An empty selector selects every object; a missing one, none. */
export function selectsLabels(selector: unknown, labels: Obj): boolean {
  if (!isObject(selector)) return false;
  const matchLabels = at(selector, 'matchLabels');
  const expressions = at(selector, 'matchExpressions');
  return (
    Object.entries(isObject(matchLabels) ? matchLabels : {}).every(
      ([k, v]) => own(labels, k) === v,
    ) && (Array.isArray(expressions) ? expressions : []).every((r) => meets(r, labels))
  );
}
