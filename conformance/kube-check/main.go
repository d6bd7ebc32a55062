// Command kube-check judges what eds generates with the Kubernetes libraries the cluster itself
// runs, at the versions in ../versions.env:
//
//	kube-check pss                    < objects.json   Pod Security Standards "restricted"
//	kube-check crd --xrd-crd FILE     < xrd.yaml       the CRDs Crossplane makes of an XRD,
//	                                                   validated as the API server validates them
//
// Input is JSON (or YAML, for crd) on stdin; the verdict is JSON on stdout. Findings are data: the
// exit status is 0 whenever the input could be judged, 2 for misuse (bad arguments, unreadable
// input) and 3 when the harness itself cannot produce a trustworthy answer.
//
// This is harness code only: every decision is made by the upstream packages it calls.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

const usage = `usage:
  kube-check pss < objects.json
  kube-check crd --xrd-crd PATH < xrd.yaml
`

// misuse is an error in how kube-check was called or fed (exit 2).
type misuse struct{ error }

func misusef(format string, args ...any) error { return misuse{fmt.Errorf(format, args...)} }

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	var (
		out any
		err error
	)
	switch os.Args[1] {
	case "pss":
		fs := flag.NewFlagSet("pss", flag.ContinueOnError)
		if err = fs.Parse(os.Args[2:]); err == nil {
			out, err = runPSS(os.Stdin)
		} else {
			err = misuse{err}
		}
	case "crd":
		fs := flag.NewFlagSet("crd", flag.ContinueOnError)
		xrdCRD := fs.String("xrd-crd", "", "Crossplane's CustomResourceDefinition of CompositeResourceDefinitions "+
			"(cluster/crds/apiextensions.crossplane.io_compositeresourcedefinitions.yaml in Crossplane core's module)")
		if err = fs.Parse(os.Args[2:]); err != nil {
			err = misuse{err}
		} else if *xrdCRD == "" {
			err = misusef("crd: --xrd-crd is required")
		} else {
			out, err = runCRD(os.Stdin, *xrdCRD)
		}
	case "-h", "--help", "help":
		fmt.Fprint(os.Stdout, usage)
		return
	default:
		err = misusef("unknown subcommand %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "kube-check: %v\n", err)
		if _, ok := err.(misuse); ok {
			fmt.Fprint(os.Stderr, usage)
			os.Exit(2)
		}
		os.Exit(3)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		fmt.Fprintf(os.Stderr, "kube-check: %v\n", err)
		os.Exit(3)
	}
}

// readInput reads all of stdin (bounded: our inputs are a few hundred KiB at most).
func readInput(r io.Reader) ([]byte, error) {
	const limit = 16 << 20
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, misusef("reading stdin: %v", err)
	}
	if len(data) > limit {
		return nil, misusef("stdin is larger than %d bytes", limit)
	}
	if len(strings.TrimSpace(string(data))) == 0 {
		return nil, misusef("stdin is empty")
	}
	return data, nil
}

// linkedModules reports the versions of the upstream modules this binary was built with, so a
// verdict names the exact code that produced it.
func linkedModules(paths ...string) map[string]string {
	out := map[string]string{}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return out
	}
	want := map[string]bool{}
	for _, p := range paths {
		want[p] = true
	}
	for _, d := range info.Deps {
		if d.Replace != nil {
			d = d.Replace
		}
		if want[d.Path] {
			out[d.Path] = d.Version
		}
	}
	return out
}
