/**
 * The `yaml` package's scalar tags for reading YAML as kubectl does: the failsafe schema (every
 * scalar a string) plus one tag that resolves unquoted scalars with `kubectlScalar`, and the
 * standard explicit tags (`!!int 017`) with go-yaml v2's meaning.
 */
import type { ScalarTag, SchemaOptions } from 'yaml';
import { kubectlScalar } from './scalars.js';

/**
 * Every unquoted scalar that kubectl might read as something other than a string (and some it
 * reads as strings, which `resolve` gives back unchanged): the `yaml` package picks implicit
 * tags by a regular expression.
 */
const MAYBE_NOT_STRING =
  /^(?:[-+.0-9]|~?$|(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$)/;

const KUBECTL_SCALAR: ScalarTag = {
  tag: 'tag:eds.bizmatters.io,2026:kubectl-scalar',
  default: true,
  test: MAYBE_NOT_STRING,
  resolve: (text) => kubectlScalar(text),
};

/** `!!int x` and friends: x read as kubectl reads it, and an error when it is not of that type. */
const explicit = (name: string, accepts: (value: unknown) => boolean): ScalarTag => ({
  tag: `tag:yaml.org,2002:${name}`,
  resolve: (text, onError) => {
    const value = kubectlScalar(text);
    if (!accepts(value)) onError(`cannot read ${JSON.stringify(text)} as !!${name}`);
    return value;
  },
});

const EXPLICIT = [
  explicit('int', (v) => typeof v === 'number' && Number.isInteger(v)),
  explicit('float', (v) => typeof v === 'number'),
  explicit('bool', (v) => typeof v === 'boolean'),
  explicit('null', (v) => v === null),
];

/** Options for `parseAllDocuments`: kubectl's scalars, and `<<` merge keys as go-yaml v2 has them. */
export const KUBECTL_SCHEMA: SchemaOptions = {
  schema: 'failsafe',
  customTags: (tags) => [...tags, KUBECTL_SCALAR, ...EXPLICIT],
  merge: true,
};
