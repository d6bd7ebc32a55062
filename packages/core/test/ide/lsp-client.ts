/**
 * A small LSP client for integration tests: a language server as a child process on stdio,
 * spoken to with vscode-languageserver-protocol (the JSON-RPC library yaml-language-server itself
 * uses, installed with it). It answers `workspace/configuration` from a settings object, as VS Code
 * answers it from settings.json, and records every `textDocument/publishDiagnostics`.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
} from 'vscode-languageserver-protocol/node.js';
import type {
  Diagnostic,
  InitializeParams,
  InitializeResult,
  ProtocolConnection,
} from 'vscode-languageserver-protocol/node.js';

export type Settings = Record<string, unknown>;

export interface LspClientOptions {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** What `workspace/configuration` answers, by (dotted) section, until `changeSettings`. */
  readonly settings: Settings;
  /** How long `diagnostics` and `changeSettings` wait. */
  readonly timeoutMs?: number;
}

interface Waiter {
  readonly uri: string;
  readonly resolve: (diagnostics: Diagnostic[]) => void;
}

export class LspClient {
  readonly connection: ProtocolConnection;
  /** The server's stderr, for failure messages. */
  stderr = '';
  readonly #proc: ChildProcess;
  readonly #exited: Promise<void>;
  readonly #timeoutMs: number;
  readonly #published = new Map<string, Diagnostic[][]>();
  readonly #waiters = new Set<Waiter>();
  readonly #configurationListeners = new Set<(sections: (string | undefined)[]) => void>();
  #settings: Settings;

  constructor(options: LspClientOptions) {
    this.#settings = options.settings;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    const proc = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#proc = proc;
    this.#exited = new Promise((resolve) => {
      proc.once('exit', () => {
        resolve();
      });
    });
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.connection = createProtocolConnection(proc.stdout, proc.stdin);
    this.connection.onRequest(ConfigurationRequest.type, (params) => {
      const answer = params.items.map((item) => this.#section(item.section));
      const sections = params.items.filter((item) => item.scopeUri === undefined);
      for (const listener of this.#configurationListeners) {
        listener(sections.map((item) => item.section));
      }
      return answer;
    });
    this.connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      const list = this.#published.get(params.uri) ?? [];
      list.push(params.diagnostics);
      this.#published.set(params.uri, list);
      for (const waiter of this.#waiters) {
        if (waiter.uri === params.uri) waiter.resolve(params.diagnostics);
      }
    });
    this.connection.listen();
  }

  /** `initialize` then `initialized`. */
  async initialize(params: InitializeParams): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, params);
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  /**
   * Resolves once the server has next pulled `section` (unscoped) with `workspace/configuration` and
   * been answered, as servers do after `initialized` and on `workspace/didChangeConfiguration`.
   */
  configurationPulled(section: string): Promise<void> {
    return this.#within(`a workspace/configuration request for "${section}"`, (resolve) => {
      const listener = (sections: (string | undefined)[]) => {
        if (!sections.includes(section)) return;
        resolve();
      };
      this.#configurationListeners.add(listener);
      return () => this.#configurationListeners.delete(listener);
    });
  }

  /**
   * Replaces the settings and tells the server, as VS Code does when settings.json changes; resolves
   * once the server has pulled `section` of the new settings.
   */
  async changeSettings(settings: Settings, section: string): Promise<void> {
    this.#settings = settings;
    const pulled = this.configurationPulled(section);
    await this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
    await pulled;
  }

  async open(uri: string, text: string, languageId = 'yaml'): Promise<void> {
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
  }

  /**
   * The first diagnostics published for `uri`, already or within the timeout. Tests open every
   * document under a fresh URI and never edit it, so the first publish is the verdict on its text.
   */
  diagnostics(uri: string): Promise<Diagnostic[]> {
    const first = this.#published.get(uri)?.[0];
    if (first) return Promise.resolve(first);
    return this.#within(`diagnostics for ${uri}`, (resolve) => {
      const waiter: Waiter = { uri, resolve };
      this.#waiters.add(waiter);
      return () => this.#waiters.delete(waiter);
    });
  }

  /** Every publish for `uri` so far, in order. */
  published(uri: string): readonly Diagnostic[][] {
    return this.#published.get(uri) ?? [];
  }

  /** `shutdown` and `exit`, then SIGKILL if the server has not exited within a second. */
  async stop(): Promise<void> {
    const grace = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
    try {
      if (this.#running()) {
        await Promise.race([
          (async () => {
            await this.connection.sendRequest(ShutdownRequest.type);
            await this.connection.sendNotification(ExitNotification.type);
            await this.#exited;
          })(),
          grace(1000),
        ]);
      }
    } catch {
      // The connection may already be gone; the kill below settles it.
    } finally {
      if (this.#running()) this.#proc.kill('SIGKILL');
      await Promise.race([this.#exited, grace(1000)]);
      this.connection.dispose();
    }
  }

  #running(): boolean {
    return this.#proc.exitCode === null && this.#proc.signalCode === null;
  }

  #section(section: string | undefined): unknown {
    if (section === undefined) return this.#settings;
    if (section in this.#settings) return this.#settings[section];
    let value: unknown = this.#settings;
    for (const key of section.split('.')) {
      if (typeof value !== 'object' || value === null) return null;
      value = (value as Record<string, unknown>)[key];
    }
    return value ?? null;
  }

  /** A promise that `register` settles, rejected with context after the timeout. */
  #within<T>(what: string, register: (resolve: (value: T) => void) => () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        unregister();
        const uris = [...this.#published.keys()].join(', ') || 'none';
        reject(
          new Error(
            `timed out after ${this.#timeoutMs} ms waiting for ${what}; diagnostics were published for: ${uris}; server stderr: ${this.stderr || '(empty)'}`,
          ),
        );
      }, this.#timeoutMs);
      const unregister = register((value) => {
        clearTimeout(timer);
        unregister();
        resolve(value);
      });
    });
  }
}
