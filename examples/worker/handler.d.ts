// Types of handler.js, for TypeScript users and the example's tests.
import type { HandlerContext, WorkerMessage } from '@eds/worker';

export interface Job {
  readonly id: string;
  readonly text: string;
}

export declare function countWords(text: string): { words: number; characters: number };
export declare function parseJob(message: WorkerMessage): Job;
export default function handleJob(message: WorkerMessage, context: HandlerContext): Promise<void>;
export declare const readinessChecks: { readonly results: () => Promise<void> };
