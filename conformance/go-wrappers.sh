# Shared by conformance/build.sh and cluster/build.sh, which source it after setting `label`
# (the prefix of their messages) and `here` (the directory holding their wrapper modules):
# the Go settings, the check that every wrapper selects the pinned version, and timed steps.
# Pins live in conformance/versions.env only.
export GOTOOLCHAIN=local GOFLAGS="-mod=readonly -buildvcs=false"

if ! command -v go >/dev/null 2>&1; then
  echo "$label: 'go' is not on PATH; install Go 1.26 or newer (https://go.dev/doc/install)" >&2
  exit 2
fi

# The version wrapper DIR selects for MODULE (its replacement's, if replaced).
selected() {
  (cd "$here/$1" && go list -m -f '{{with .Replace}}{{.Version}}{{else}}{{.Version}}{{end}}' "$2")
}

# Fails unless wrapper DIR selects MODULE at VERSION: the pins in versions.env are the only ones.
pin() {
  local got
  got=$(selected "$1" "$2")
  if [ "$got" != "$3" ]; then
    echo "$label: $1/go.mod selects $2 $got, but conformance/versions.env pins $3;" \
      "set it in $label/$1/go.mod (go get $2@$3, or its replace line) and run go mod tidy there" >&2
    exit 2
  fi
}

# Runs a build step and says how long it took: step NAME COMMAND...
step() {
  local name=$1 start=$SECONDS
  shift
  "$@"
  echo "$label: built $name in $((SECONDS - start)) s"
}
