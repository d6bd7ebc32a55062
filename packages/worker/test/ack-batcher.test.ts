import { describe, expect, it } from 'vitest';
import { AckBatcher } from '../src/ack-batcher.js';

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('AckBatcher', () => {
  it('sends a turn’s acks together on the next turn of the event loop', async () => {
    const sent: string[] = [];
    const batcher = new AckBatcher();
    for (const id of ['a', 'b', 'c']) batcher.ack({ ack: () => sent.push(id) });
    await Promise.resolve();
    expect(sent).toEqual([]);
    expect(batcher.size).toBe(3);
    await turn();
    expect(sent).toEqual(['a', 'b', 'c']);
    expect(batcher.size).toBe(0);
  });

  it('flushes at once on demand and survives a closed connection', async () => {
    const sent: string[] = [];
    const batcher = new AckBatcher();
    batcher.ack({
      ack: () => {
        throw new Error('closed');
      },
    });
    batcher.ack({ ack: () => sent.push('after the failure') });
    batcher.flush();
    expect(sent).toEqual(['after the failure']);
    await turn();
    expect(sent).toEqual(['after the failure']);
  });
});

describe('AckBatcher while disconnected', () => {
  it('holds acks until resumed', async () => {
    const sent: string[] = [];
    const batcher = new AckBatcher();
    batcher.pause();
    batcher.ack({ ack: () => sent.push('held') });
    await turn();
    expect(sent).toEqual([]);
    batcher.resume();
    expect(sent).toEqual(['held']);
    batcher.ack({ ack: () => sent.push('next') });
    await turn();
    expect(sent).toEqual(['held', 'next']);
  });
});

describe('AckBatcher paused after an ack was scheduled', () => {
  it('does not send on the pending tick, only after resume', async () => {
    const sent: string[] = [];
    const batcher = new AckBatcher();
    batcher.ack({ ack: () => sent.push('scheduled before the pause') });
    batcher.pause();
    await turn();
    expect(sent).toEqual([]);
    expect(batcher.size).toBe(1);
    batcher.flush();
    expect(sent).toEqual([]);
    batcher.resume();
    expect(sent).toEqual(['scheduled before the pause']);
    expect(batcher.size).toBe(0);
  });
});
