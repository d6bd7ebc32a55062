import { describe, expect, it } from 'vitest';
import {
  MAX_LOOKAHEAD,
  MAX_LOOKAHEAD_BYTES,
  PULL_AHEAD_MS,
  PullWindow,
} from '../src/pull-window.js';

describe('PullWindow', () => {
  it('starts one message ahead, so a slow handler never gets a large first pull', () => {
    const w = new PullWindow(5);
    expect(w.lookahead).toBe(1);
    expect(w.size).toBe(6);
  });

  it('grows to the cap for a handler that takes no time', () => {
    const w = new PullWindow(5);
    for (let i = 0; i < 50; i++) w.observe(0.01, 128);
    expect(w.lookahead).toBe(MAX_LOOKAHEAD);
    expect(w.size).toBe(5 + MAX_LOOKAHEAD);
  });

  it('covers PULL_AHEAD_MS of work at the handlers’ pace', () => {
    const w = new PullWindow(10);
    for (let i = 0; i < 200; i++) w.observe(20, 128);
    // 10 handlers finishing every 20 ms: 25 messages in 50 ms.
    expect(w.lookahead).toBe(Math.ceil((10 * PULL_AHEAD_MS) / 20));
  });

  it('shrinks to one message within a few slow handlers', () => {
    const w = new PullWindow(5);
    for (let i = 0; i < 100; i++) w.observe(0.01, 128);
    w.observe(2_000, 128);
    expect(w.lookahead).toBeLessThanOrEqual(2);
    for (let i = 0; i < 5; i++) w.observe(2_000, 128);
    expect(w.lookahead).toBe(1);
  });

  it('holds no more than MAX_LOOKAHEAD_BYTES ahead for large messages', () => {
    const w = new PullWindow(5);
    for (let i = 0; i < 50; i++) w.observe(0.01, 1024 * 1024);
    expect(w.lookahead).toBe(MAX_LOOKAHEAD_BYTES / (1024 * 1024));
  });

  it('refills at a quarter of the window and follows the consumer’s max_batch', () => {
    const w = new PullWindow(100, { maxBatch: 10 });
    expect(w.refillAt).toBe(Math.ceil(101 / 4));
    expect(w.maxBatch).toBe(10);
    expect(new PullWindow(1).refillAt).toBe(1);
    expect(new PullWindow(1).maxBatch).toBe(Number.POSITIVE_INFINITY);
  });
});
