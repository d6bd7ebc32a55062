/**
 * Our XRDs, judged as the cluster judges them (`kube-check crd`): the API server admits the XRD
 * against Crossplane's own XRD CRD, Crossplane core renders the CRDs with crossplane-runtime's
 * `xcrd` (the XR's, and the claim's for a v1 XRD with claimNames), and the API server's CRD
 * create strategy (`ValidateCustomResourceDefinition`, structural schema rules included) must
 * find nothing. Deliberately broken XRDs must fail at the field that was broken.
 */
import { parseYamlDocuments } from '@eds/core';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, tool, upstreamDir, VERSIONS } from './upstream.js';

interface FieldError {
  readonly field: string;
  readonly type: string;
  readonly message: string;
}

interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly jsonPath: string;
  readonly priority?: number;
}

interface CrdVerdict {
  readonly role: 'composite' | 'claim';
  readonly name: string;
  readonly errors: readonly FieldError[];
  readonly warnings: readonly string[];
  readonly crd: {
    readonly spec: {
      readonly scope: string;
      readonly names: { readonly kind: string; readonly plural: string };
      readonly versions: readonly {
        readonly name: string;
        readonly additionalPrinterColumns?: readonly PrinterColumn[];
      }[];
    };
  };
}

interface Verdict {
  readonly modules: Readonly<Record<string, string>>;
  readonly xrd: {
    readonly name: string;
    readonly apiVersion: string;
    readonly unknownFields: readonly string[];
    readonly ignoredSchemaFields: readonly string[];
    readonly errors: readonly FieldError[];
    readonly warnings: readonly string[];
    readonly stored: { readonly spec: { readonly scope?: string } };
  };
  readonly crds: readonly CrdVerdict[];
}

/** Crossplane core's CRD for CompositeResourceDefinitions, at CROSSPLANE_VERSION. */
const XRD_CRD = join(
  upstreamDir('CROSSPLANE_DIR'),
  'cluster/crds/apiextensions.crossplane.io_compositeresourcedefinitions.yaml',
);
const K8S_MODULES = VERSIONS.kubernetes.replace(/^v1\./, 'v0.');

function crd(xrd: string): Verdict {
  const r = spawnSync(tool('kube-check'), ['crd', '--xrd-crd', XRD_CRD], {
    input: xrd,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`kube-check crd exited ${String(r.status)}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Verdict;
}

const XRDS = {
  v2: 'package/configuration/xrd.yaml',
  legacy: 'package/legacy/xrd.yaml',
} as const;

const readXrd = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');

const describeErrors = (errors: readonly FieldError[]) =>
  errors.length === 0 ? 'valid' : errors.map((e) => `${e.field}: ${e.message}`).join('; ');

/** One line for the XRD: what was compared and what the API server said. */
function logXrd(label: string, v: Verdict) {
  console.log(
    `crd ${label}: xrd ${v.xrd.apiVersion} ${v.xrd.name} → admission ${describeErrors(v.xrd.errors)}`,
  );
}

/** One line per CRD. */
function logCrds(label: string, v: Verdict) {
  for (const c of v.crds) {
    console.log(
      `crd ${label}: ${c.role} CRD ${c.name} (${c.crd.spec.scope}) → ${describeErrors(c.errors)}`,
    );
  }
}

/** Our printer columns, which read the function's own condition (DESIGN §3.7). */
const OUR_COLUMNS: readonly PrinterColumn[] = [
  { name: 'REPLICAS', type: 'integer', jsonPath: '.status.readyReplicas' },
  { name: 'DESIRED', type: 'integer', priority: 1, jsonPath: '.status.desiredReplicas' },
  { name: 'LAG', type: 'integer', priority: 1, jsonPath: '.status.lag' },
  {
    name: 'STATUS',
    type: 'string',
    jsonPath: ".status.conditions[?(@.type=='ServiceHealthy')].reason",
  },
  {
    name: 'MESSAGE',
    type: 'string',
    priority: 1,
    jsonPath: ".status.conditions[?(@.type=='ServiceHealthy')].message",
  },
];

/**
 * Every column in order, ours then Crossplane's, as `kubectl get` prints them after NAME; a
 * priority 1 column only with `-o wide`. The cluster suite reads the default view by position.
 */
const COLUMN_ORDER = {
  composite: [
    'REPLICAS',
    'DESIRED (wide)',
    'LAG (wide)',
    'STATUS',
    'MESSAGE (wide)',
    'SYNCED',
    'READY',
    'COMPOSITION',
    'COMPOSITIONREVISION (wide)',
    'AGE',
  ],
  claim: [
    'REPLICAS',
    'DESIRED (wide)',
    'LAG (wide)',
    'STATUS',
    'MESSAGE (wide)',
    'SYNCED',
    'READY',
    'CONNECTION-SECRET',
    'AGE',
  ],
} as const;

const CASES = [
  {
    target: 'v2',
    file: XRDS.v2,
    // [role, CRD name, kind, scope]
    crds: [
      [
        'composite',
        'eventdrivenservices.platform.bizmatters.io',
        'EventDrivenService',
        'Namespaced',
      ],
    ],
  },
  {
    target: 'legacy',
    file: XRDS.legacy,
    crds: [
      [
        'composite',
        'xeventdrivenservices.platform.bizmatters.io',
        'XEventDrivenService',
        'Cluster',
      ],
      ['claim', 'eventdrivenservices.platform.bizmatters.io', 'EventDrivenService', 'Namespaced'],
    ],
  },
] as const;

describe('the CRDs Crossplane makes of our XRDs (k8s.io/apiextensions-apiserver)', () => {
  it('is the pinned code', () => {
    const v = crd(readXrd(XRDS.v2));
    console.log(`crd modules: ${JSON.stringify(v.modules)}`);
    expect(v.modules).toEqual({
      'k8s.io/apiextensions-apiserver': K8S_MODULES,
      'k8s.io/apiserver': K8S_MODULES,
      'github.com/crossplane/crossplane-runtime/v2': VERSIONS.crossplaneRuntime,
      'github.com/crossplane/crossplane/apis/v2': VERSIONS.crossplane,
    });
  });

  describe.each(CASES)('$file (target $target)', ({ target, file, crds }) => {
    const v = crd(readXrd(file));

    it('the API server admits the XRD', () => {
      logXrd(`target ${target}`, v);
      const where = `target=${target} xrd=${file}`;
      expect(v.xrd.errors, where).toEqual([]);
      expect(v.xrd.unknownFields, `${where}: fields Crossplane's XRD schema prunes`).toEqual([]);
      expect(v.xrd.warnings, where).toEqual([]);
      // Keywords xcrd would silently drop from our schema (with the rule they state).
      expect(v.xrd.ignoredSchemaFields, where).toEqual([]);
    });

    it('yields the expected CRDs, valid, with our printer columns', () => {
      logCrds(`target ${target}`, v);
      expect(
        v.crds.map((c) => [c.role, c.name, c.crd.spec.names.kind, c.crd.spec.scope]),
        `target=${target} xrd=${file}: the CRDs Crossplane creates`,
      ).toEqual(crds);
      for (const c of v.crds) {
        const where = `target=${target} xrd=${file} crd=${c.name} (${c.role})`;
        expect(
          c.errors.map((e) => `${e.field}: ${e.message}`),
          where,
        ).toEqual([]);
        expect(c.warnings, where).toEqual([]);
        for (const version of c.crd.spec.versions) {
          expect(
            version.additionalPrinterColumns?.map(
              (col) => `${col.name}${col.priority === 1 ? ' (wide)' : ''}`,
            ),
            `${where} field=spec.versions[${version.name}].additionalPrinterColumns: the order`,
          ).toEqual(COLUMN_ORDER[c.role]);
          for (const column of OUR_COLUMNS) {
            expect(
              version.additionalPrinterColumns?.find((col) => col.name === column.name),
              `${where} field=spec.versions[${version.name}].additionalPrinterColumns[${column.name}]`,
            ).toEqual(column);
          }
        }
      }
    });
  });
});

// ---- Broken XRDs must fail where they are broken. ----

type Json = Record<string, unknown>;

/** The v2 XRD as data, to break one field at a time. */
function xrdData(file: string): Json {
  const [doc] = parseYamlDocuments(readXrd(file));
  return doc?.value as Json;
}

/** spec.versions[0].schema.openAPIV3Schema.properties.spec.properties of an XRD. */
function specProperties(xrd: Json): Record<string, Json> {
  const versions = (xrd['spec'] as { versions: { schema: { openAPIV3Schema: Json } }[] }).versions;
  const root = versions[0]?.schema.openAPIV3Schema as { properties: { spec: Json } };
  return root.properties.spec['properties'] as Record<string, Json>;
}

/**
 * The internal CRD keeps a schema shared by every version at spec.validation, so the API server
 * reports schema errors there (not at spec.versions[0].schema).
 */
const SPEC_PROPS = 'spec.validation.openAPIV3Schema.properties[spec].properties';

interface Breakage {
  readonly what: string;
  readonly file: string;
  readonly breakIt: (xrd: Json) => void;
  /** Expected admission errors of the XRD itself: [field, message part]. */
  readonly xrdErrors?: readonly (readonly [string, string])[];
  /** Expected schema keywords xcrd silently drops. */
  readonly ignored?: readonly string[];
  /** Expected errors of each CRD, by role: [field, type]. */
  readonly crdErrors: Readonly<Partial<Record<'composite' | 'claim', readonly [string, string][]>>>;
}

const BREAKAGES: readonly Breakage[] = [
  {
    what: 'a property without a type (the schema is not structural)',
    file: XRDS.v2,
    breakIt: (xrd) => {
      delete specProperties(xrd)['size']?.['type'];
    },
    crdErrors: { composite: [[`${SPEC_PROPS}[size].type`, 'FieldValueRequired']] },
  },
  {
    what: 'the same, in the legacy XRD: both the XR and the claim CRD fail',
    file: XRDS.legacy,
    breakIt: (xrd) => {
      delete specProperties(xrd)['size']?.['type'];
    },
    crdErrors: {
      composite: [[`${SPEC_PROPS}[size].type`, 'FieldValueRequired']],
      claim: [[`${SPEC_PROPS}[size].type`, 'FieldValueRequired']],
    },
  },
  {
    what: 'a default outside its enum',
    file: XRDS.v2,
    breakIt: (xrd) => {
      const size = specProperties(xrd)['size'];
      if (size !== undefined) size['default'] = 'huge';
    },
    crdErrors: { composite: [[`${SPEC_PROPS}[size].default`, 'FieldValueNotSupported']] },
  },
  {
    what: 'x-kubernetes-list-type: map without x-kubernetes-list-map-keys',
    file: XRDS.v2,
    breakIt: (xrd) => {
      const list = specProperties(xrd)['imagePullSecrets'];
      if (list !== undefined) list['x-kubernetes-list-type'] = 'map';
    },
    crdErrors: {
      composite: [
        [`${SPEC_PROPS}[imagePullSecrets].x-kubernetes-list-map-keys`, 'FieldValueRequired'],
      ],
    },
  },
  {
    what: 'additionalProperties beside properties',
    file: XRDS.v2,
    breakIt: (xrd) => {
      const nats = specProperties(xrd)['nats'];
      if (nats !== undefined) nats['additionalProperties'] = false;
    },
    crdErrors: { composite: [[`${SPEC_PROPS}[nats].additionalProperties`, 'FieldValueForbidden']] },
  },
  {
    what: 'a pattern RE2 cannot compile (lookahead)',
    file: XRDS.v2,
    breakIt: (xrd) => {
      const nats = specProperties(xrd)['nats'] as { properties: Record<string, Json> };
      const stream = nats.properties['stream'];
      if (stream !== undefined) stream['pattern'] = '^(?!KV_)[A-Z_]+$';
    },
    crdErrors: {
      composite: [[`${SPEC_PROPS}[nats].properties[stream].pattern`, 'FieldValueInvalid']],
    },
  },
  {
    what: 'a keyword Kubernetes schemas do not have (const): xcrd drops it, silently',
    file: XRDS.v2,
    breakIt: (xrd) => {
      const nats = specProperties(xrd)['nats'] as { properties: Record<string, Json> };
      const stream = nats.properties['stream'];
      if (stream !== undefined) stream['const'] = 'JOBS';
    },
    ignored: [
      'spec.versions[0].schema.openAPIV3Schema: unknown field "properties.spec.properties.nats.properties.stream.const"',
    ],
    // The API server never sees it: the CRD is valid, and the rule is gone.
    crdErrors: { composite: [] },
  },
  {
    what: 'claimNames in a v2 XRD (rejected by the XRD CRD’s own CEL rule)',
    file: XRDS.v2,
    breakIt: (xrd) => {
      (xrd['spec'] as Json)['claimNames'] = { kind: 'Worker', plural: 'workers' };
    },
    xrdErrors: [['spec', "Claims aren't supported in apiextensions.crossplane.io/v2"]],
    // Crossplane never gets this far; the rendered CRDs themselves would be valid.
    crdErrors: { composite: [], claim: [] },
  },
];

describe('broken XRDs fail at the broken field', () => {
  it.each(BREAKAGES)('$what', ({ file, breakIt, xrdErrors = [], ignored = [], crdErrors }) => {
    const xrd = xrdData(file);
    breakIt(xrd);
    const v = crd(JSON.stringify(xrd));
    logXrd(`broken ${file}`, v);
    logCrds(`broken ${file}`, v);
    expect(
      v.xrd.errors.map((e) => e.field),
      `xrd=${file}: admission errors`,
    ).toEqual(xrdErrors.map(([field]) => field));
    for (const [i, [field, part]] of xrdErrors.entries()) {
      expect(v.xrd.errors[i]?.message, `xrd=${file} field=${field}`).toContain(part);
    }
    expect(v.xrd.ignoredSchemaFields, `xrd=${file}: keywords xcrd drops`).toEqual(ignored);
    expect(
      Object.fromEntries(v.crds.map((c) => [c.role, c.errors.map((e) => [e.field, e.type])])),
      `xrd=${file}: CRD errors by role`,
    ).toEqual(crdErrors);
  });
});
