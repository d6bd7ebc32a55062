import { describe, expect, it } from 'vitest';
import { expand } from '../src/expand.js';

const vars: Record<string, string> = { A: 'a', EMPTY: '', 'B C': 'bc' };
const lookup = (name: string) => (Object.hasOwn(vars, name) ? vars[name] : undefined);

// Cases from k8s.io/kubernetes third_party/forked/golang/expansion/expand_test.go.
describe('expand', () => {
  it.each([
    ['no reference', 'plain', 'plain'],
    ['a defined variable', '$(A)', 'a'],
    ['inside text', 'x-$(A)-y', 'x-a-y'],
    ['defined as empty', '[$(EMPTY)]', '[]'],
    ['an undefined variable stays', '$(NOPE)', '$(NOPE)'],
    ['$$ escapes a reference', '$$(A)', '$(A)'],
    ['$$ alone is one $', 'a$$b', 'a$b'],
    ['$$$ then a reference', '$$$(A)', '$a'],
    ['a $ before another character stays', '$A $1', '$A $1'],
    ['a trailing $ stays', 'cost$', 'cost$'],
    ['an unclosed reference stays', '$(A', '$(A'],
    ['names may hold spaces', '$(B C)', 'bc'],
    ['the empty name', '$()', '$()'],
    ['two references', '$(A)$(A)', 'aa'],
    ['prototype names are not variables', '$(constructor)', '$(constructor)'],
  ])('%s: %s → %s', (_reason, input, output) => {
    expect(expand(input, lookup)).toBe(output);
  });
});
