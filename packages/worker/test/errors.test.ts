import { describe, expect, it } from 'vitest';
import { PermanentError, WorkerError } from '@eds/worker';
import { describeError, isPermanent } from '../src/errors.js';

describe('isPermanent', () => {
  it('is true only for errors that say retryable: false', () => {
    expect(isPermanent(new PermanentError('bad payload'))).toBe(true);
    expect(isPermanent(Object.assign(new Error('x'), { retryable: false }))).toBe(true);
    expect(isPermanent(Object.assign(new Error('x'), { retryable: true }))).toBe(false);
    expect(isPermanent(new Error('x'))).toBe(false);
    expect(isPermanent('retryable: false')).toBe(false);
    expect(isPermanent(null)).toBe(false);
  });
});

describe('describeError', () => {
  it.each([
    [new WorkerError('EDS_X', 'went wrong'), 'WorkerError: went wrong'],
    [new PermanentError('never'), 'PermanentError: never'],
    [new TypeError('nope'), 'TypeError: nope'],
    ['a string', 'a string'],
    [42, '42'],
    [undefined, 'undefined'],
    [{ code: 7 }, '{"code":7}'],
  ])('describes %o as %s', (value, expected) => {
    expect(describeError(value)).toBe(expected);
  });

  it('survives values JSON cannot print', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(describeError(cyclic)).toBe('[object Object]');
  });
});
