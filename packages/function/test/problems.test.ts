/** A FATAL message lists the first problems, each line bounded, and counts the rest. */
import { describe, expect, it } from 'vitest';
import { listProblems, MAX_LISTED_PROBLEMS } from '../src/problems.js';

const unknown = (i: number) => ({
  code: 'unknown-field' as const,
  path: `spec.f${i}`,
  message: 'is not a field of spec',
});

describe('listProblems', () => {
  it('lists every problem when there are few, as eds validate does', () => {
    expect(listProblems('invalid EventDrivenService:', [unknown(1), unknown(2)])).toBe(
      'invalid EventDrivenService:\nspec.f1  is not a field of spec\nspec.f2  is not a field of spec',
    );
  });

  it(`lists the first ${MAX_LISTED_PROBLEMS} and counts the rest`, () => {
    const issues = Array.from({ length: 30_000 }, (_, i) => unknown(i));
    const text = listProblems('invalid EventDrivenService:', issues);
    expect(text.split('\n')).toEqual([
      'invalid EventDrivenService:',
      ...issues.slice(0, MAX_LISTED_PROBLEMS).map((i) => `${i.path}  ${i.message}`),
      '... and 29980 more problems (30000 in all); fix these first, or run `eds validate` on the claim to list them all',
    ]);
  });

  it('counts the problems a too-many issue from the validator stands for', () => {
    const issues = [
      ...Array.from({ length: 1_000 }, (_, i) => unknown(i)),
      { code: 'too-many' as const, path: '', message: 'and 29000 more problems', unlisted: 29_000 },
    ];
    expect(listProblems('t', issues).split('\n').at(-1)).toBe(
      '... and 29980 more problems (30000 in all); fix these first, or run `eds validate` on the claim to list them all',
    );
  });

  it('says "problem" for one more', () => {
    const text = listProblems('t', Array.from({ length: MAX_LISTED_PROBLEMS + 1 }, unknown));
    expect(text.split('\n').at(-1)).toBe(
      '... and 1 more problem (21 in all); fix these first, or run `eds validate` on the claim to list them all',
    );
  });

  it('clips a long field path and a long message, so one problem cannot make the message huge', () => {
    const text = listProblems('t', [
      {
        code: 'unknown-field',
        path: `spec[${JSON.stringify('k'.repeat(1_000_000))}]`,
        message: 'm'.repeat(1_000_000),
      },
    ]);
    expect(text).toBe(`t\nspec["${'k'.repeat(191)}...  ${'m'.repeat(497)}...`);
  });
});
