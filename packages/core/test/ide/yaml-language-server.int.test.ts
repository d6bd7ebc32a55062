/**
 * The published JSON Schema must work unchanged in the editor users have: VS Code's Red Hat YAML
 * extension, whose engine is yaml-language-server. This drives the real server over LSP on stdio,
 * with the schema associated both ways users do it: the `# yaml-language-server: $schema=` modeline
 * the examples carry, and `yaml.schemas` in settings.json (sent as VS Code does, by
 * `workspace/didChangeConfiguration` and answering the server's `workspace/configuration`).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionRequest,
  CompletionItemKind,
  CompletionRequest,
  DiagnosticSeverity,
  HoverRequest,
  MarkupKind,
  RequestType,
} from 'vscode-languageserver-protocol/node.js';
import type {
  CompletionItem,
  Diagnostic,
  Position,
  Range,
} from 'vscode-languageserver-protocol/node.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LspClient } from './lsp-client.js';
import type { Settings } from './lsp-client.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const schemaFile = join(root, 'schemas/eventdrivenservice.schema.json');
const server = join(root, 'node_modules/yaml-language-server/bin/yaml-language-server');

interface PropertySchema {
  readonly description: string;
  readonly enum?: readonly string[];
}
interface ClaimSchema {
  readonly title: string;
  readonly description: string;
  readonly properties: {
    readonly spec: { readonly title: string; readonly properties: Record<string, PropertySchema> };
  };
}
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as ClaimSchema;
const specFields = Object.keys(schema.properties.spec.properties);
const size = schema.properties.spec.properties['size'];

/** yaml-language-server's `yaml/get/jsonSchema`: the schemas it applies to a document. */
const GetSchemasRequest = new RequestType<
  string,
  { name?: string; uri: string; description?: string }[],
  unknown
>('yaml/get/jsonSchema');

/** examples/minimal-claim.yaml verbatim, modeline `$schema=../schemas/…` included. */
const minimalClaim = readFileSync(join(root, 'examples/minimal-claim.yaml'), 'utf8');
const MODELINE = '# yaml-language-server: $schema=../schemas/eventdrivenservice.schema.json\n';

function replaceOnce(text: string, search: string, replacement: string): string {
  const parts = text.split(search);
  if (parts.length !== 2) throw new Error(`expected exactly one ${JSON.stringify(search)}`);
  return parts.join(replacement);
}

/** Where `token`, which occurs once in `text`, starts. */
function positionOf(text: string, token: string): Position {
  const offset = text.indexOf(token);
  if (offset < 0 || text.indexOf(token, offset + 1) >= 0) {
    throw new Error(`expected exactly one ${JSON.stringify(token)}`);
  }
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: (before.at(-1) ?? '').length };
}

function rangeOf(text: string, token: string): Range {
  const start = positionOf(text, token);
  return { start, end: { line: start.line, character: start.character + token.length } };
}

const withSizeXlarge = replaceOnce(minimalClaim, '  size: small\n', '  size: xlarge\n');

describe('the published schema in yaml-language-server', () => {
  let dir: string;
  let client: LspClient;
  let proxy: Server;
  /** Connections the server opened to the network (all traffic is sent through `proxy`). */
  let networkAttempts = 0;
  /** The copy of the schema next to the examples, as the modeline finds it. */
  let modelineSchemaUri: string;
  const settingsSchemaUri = pathToFileURL(schemaFile).href;

  /** Opens `text` as `examples/<name>` (or `<dir>/<name>`) in the server. */
  async function open(name: string, text: string): Promise<string> {
    const uri = pathToFileURL(join(dir, name.includes('/') ? name : `examples/${name}`)).href;
    await client.open(uri, text);
    return uri;
  }

  async function completions(uri: string, position: Position): Promise<CompletionItem[]> {
    const result = await client.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position,
    });
    return Array.isArray(result) ? result : (result?.items ?? []);
  }

  beforeAll(async () => {
    // The repository layout in a temp directory: the modeline of examples/minimal-claim.yaml,
    // `../schemas/eventdrivenservice.schema.json`, resolves to a byte-for-byte copy of the schema.
    dir = mkdtempSync(join(tmpdir(), 'eds-yaml-ls-'));
    mkdirSync(join(dir, 'schemas'));
    mkdirSync(join(dir, 'examples'));
    mkdirSync(join(dir, 'settings'));
    copyFileSync(schemaFile, join(dir, 'schemas/eventdrivenservice.schema.json'));
    modelineSchemaUri = pathToFileURL(join(dir, 'schemas/eventdrivenservice.schema.json')).href;

    // A proxy that refuses everything, to prove the server fetches nothing.
    proxy = createServer((socket) => {
      networkAttempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = proxy.address();
    if (address === null || typeof address === 'string') throw new Error('proxy has no port');
    const proxyUrl = `http://127.0.0.1:${address.port}`;

    const yaml: Settings = {
      validate: true,
      hover: true,
      completion: true,
      schemaStore: { enable: false },
      kubernetesCRDStore: { enable: false },
    };
    const http = { proxy: proxyUrl, proxyStrictSSL: true };
    client = new LspClient({
      command: process.execPath,
      args: [server, '--stdio'],
      cwd: dir,
      env: { ...process.env, HTTP_PROXY: proxyUrl, HTTPS_PROXY: proxyUrl },
      settings: { yaml, http },
    });
    const pulled = client.configurationPulled('yaml');
    const [init] = await Promise.all([
      client.initialize({
        processId: process.pid,
        // eslint-disable-next-line @typescript-eslint/no-deprecated -- required; VS Code still sends it
        rootUri: pathToFileURL(dir).href,
        workspaceFolders: [{ uri: pathToFileURL(dir).href, name: 'claims' }],
        capabilities: {
          workspace: { configuration: true, didChangeConfiguration: {} },
          textDocument: {
            publishDiagnostics: {},
            completion: { completionItem: { snippetSupport: true } },
            hover: { contentFormat: [MarkupKind.Markdown, MarkupKind.PlainText] },
            codeAction: {},
          },
        },
      }),
      pulled,
    ]);
    expect(init.serverInfo?.name).toBe('yaml-language-server');

    // Then the user adds to settings.json: "yaml.schemas": { "<schema URL>": ["*-claim.yaml"] }.
    await client.changeSettings(
      { yaml: { ...yaml, schemas: { [settingsSchemaUri]: ['*-claim.yaml'] } }, http },
      'yaml',
    );
  });

  afterAll(async () => {
    // Each is unset if beforeAll failed before creating it.
    await (client as LspClient | undefined)?.stop();
    const trap = proxy as Server | undefined;
    if (trap) await new Promise((resolve) => trap.close(resolve));
    if ((dir as string | undefined) !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  describe('size: xlarge gets one diagnostic on the value, listing the allowed values', () => {
    const expected = (schemaUri: string, text: string): Diagnostic[] => [
      {
        range: rangeOf(text, 'xlarge'),
        message: 'Value is not accepted. Valid values: "small", "medium", "large".',
        severity: DiagnosticSeverity.Error,
        code: 1,
        source: 'yaml-schema: EventDrivenService spec',
        data: { schemaUri: [schemaUri], values: ['small', 'medium', 'large'] },
      },
    ];

    it('with the modeline', async () => {
      const uri = await open('xlarge.yaml', withSizeXlarge);
      expect(await client.diagnostics(uri)).toEqual(expected(modelineSchemaUri, withSizeXlarge));
      expect(positionOf(withSizeXlarge, 'xlarge')).toEqual({ line: 9, character: 8 });
    });

    it('with yaml.schemas in settings, for a *-claim.yaml file without modeline', async () => {
      const text = replaceOnce(withSizeXlarge, MODELINE, '');
      const uri = await open('settings/xlarge-claim.yaml', text);
      expect(await client.diagnostics(uri)).toEqual(expected(settingsSchemaUri, text));
      expect(positionOf(text, 'xlarge')).toEqual({ line: 8, character: 8 });
      expect(await client.connection.sendRequest(GetSchemasRequest, uri)).toEqual([
        { name: schema.title, uri: settingsSchemaUri, description: schema.description },
      ]);
    });

    it('with both, as for the examples once settings.json has yaml.schemas: the modeline wins', async () => {
      const uri = await open('xlarge-claim.yaml', withSizeXlarge);
      expect(await client.diagnostics(uri)).toEqual(expected(modelineSchemaUri, withSizeXlarge));
      expect(await client.connection.sendRequest(GetSchemasRequest, uri)).toEqual([
        { name: schema.title, uri: modelineSchemaUri, description: schema.description },
      ]);
    });
  });

  it('accepts examples/minimal-claim.yaml, with the schema in effect', async () => {
    const uri = await open('minimal-claim.yaml', minimalClaim);
    expect(await client.diagnostics(uri)).toEqual([]);
    // No diagnostics could also mean no schema: the server reports which schema it applied.
    expect(await client.connection.sendRequest(GetSchemasRequest, uri)).toEqual([
      { name: schema.title, uri: modelineSchemaUri, description: schema.description },
    ]);
  });

  it('flags the unknown field secret1name on its line, with a quick fix to secret1Name', async () => {
    const text = replaceOnce(minimalClaim, '  size: small\n', '  size: small\n  secret1name: db\n');
    const uri = await open('unknown-field.yaml', text);
    const range = rangeOf(text, 'secret1name');
    const absent = specFields.filter((f) => !['image', 'size', 'nats'].includes(f));
    const diagnostics = await client.diagnostics(uri);
    expect(diagnostics).toEqual([
      {
        range,
        message: 'Property secret1name is not allowed.',
        severity: DiagnosticSeverity.Error,
        code: 513,
        source: 'yaml-schema: EventDrivenService spec',
        data: { schemaUri: [modelineSchemaUri], properties: absent },
      },
    ]);
    expect(range.start).toEqual({ line: 10, character: 2 });

    const actions = await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics },
    });
    expect(actions).toContainEqual({
      title: 'secret1Name',
      kind: 'quickfix',
      edit: { changes: { [uri]: [{ range, newText: 'secret1Name' }] } },
    });
  });

  it('completes every spec field inside spec:', async () => {
    const [head] = minimalClaim.split('\nspec:\n');
    const text = `${head ?? ''}\nspec:\n  \n`;
    const uri = await open('empty-spec.yaml', text);
    const position = { line: positionOf(text, 'spec:').line + 1, character: 2 };
    const items = await completions(uri, position);
    const fields = items.filter((i) => i.kind === CompletionItemKind.Property).map((i) => i.label);
    expect(fields).toEqual(specFields);
    expect(fields).toEqual(
      expect.arrayContaining(['image', 'size', 'nats', 'secret1Name', 'secretRefs', 'scaling']),
    );
    const image = items.find((i) => i.label === 'image');
    expect(image?.documentation).toBe(schema.properties.spec.properties['image']?.description);
  });

  it('completes the size values', async () => {
    const text = replaceOnce(minimalClaim, '  size: small\n', '  size: \n');
    const uri = await open('size-value.yaml', text);
    const position = { line: positionOf(text, 'size:').line, character: '  size: '.length };
    const items = await completions(uri, position);
    expect(items.map((i) => [i.label, i.kind, i.detail])).toEqual([
      ['small', CompletionItemKind.Value, undefined],
      ['medium', CompletionItemKind.Value, 'Default value'],
      ['large', CompletionItemKind.Value, undefined],
    ]);
  });

  it('shows the description of size on hover', async () => {
    const uri = await open('hover.yaml', minimalClaim);
    const key = rangeOf(minimalClaim, 'size');
    const hover = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line: key.start.line, character: key.start.character + 1 },
    });
    expect(hover).toEqual({
      range: key,
      contents: {
        kind: MarkupKind.Markdown,
        value: [
          `#### ${schema.properties.spec.title}`,
          size?.description,
          'Allowed Values:',
          '* `small`\n* `medium`\n* `large`',
          `Source: [eventdrivenservice.schema.json](${modelineSchemaUri})`,
        ].join('\n\n'),
      },
    });
  });

  it('fetched nothing from the network', () => {
    expect(networkAttempts).toBe(0);
  });
});
