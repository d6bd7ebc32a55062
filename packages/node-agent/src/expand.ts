/**
 * Kubernetes' `$(VAR)` expansion, as the kubelet applies it to env values, command and args
 * (k8s.io/kubernetes third_party/forked/golang/expansion): `$(NAME)` becomes NAME's value when
 * NAME is defined and stays as written when it is not; `$$` is a literal `$`, so `$$(NAME)`
 * gives `$(NAME)`; any other `$` is kept, as is an unclosed `$(`.
 */
export function expand(input: string, lookup: (name: string) => string | undefined): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (c !== '$' || i + 1 >= input.length) {
      out += c;
      i += 1;
      continue;
    }
    const next = input.charAt(i + 1);
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close === -1) {
        out += '$(';
        i += 2;
      } else {
        const name = input.slice(i + 2, close);
        out += lookup(name) ?? `$(${name})`;
        i = close + 1;
      }
    } else {
      out += `$${next}`;
      i += 2;
    }
  }
  return out;
}
