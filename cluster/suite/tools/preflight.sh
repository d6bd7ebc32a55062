#!/usr/bin/env bash
# `eds preflight` on a claim read from stdin, with the given options, as a chainsaw step checks
# it: one "<severity> <check>" line per finding, in order, then "exit <code>". The messages are
# left out: the unit tests hold them; this checks what the real API server's answers lead to.
#   tools/preflight.sh --no-monitoring --kubeconfig "$KUBECONFIG" < claim.yaml
set -uo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=$(node "$root/packages/cli/bin/eds.js" preflight - "$@" --format json)
code=$?
printf '%s' "$out" | node -e '
  let text = "";
  process.stdin.on("data", (c) => (text += c)).on("end", () => {
    for (const claim of JSON.parse(text).claims)
      for (const section of claim.sections)
        for (const f of section.findings) console.log(`${f.severity} ${f.check}`);
  });'
echo "exit $code"
