package main

// kube-check pss: every pod template in the input, judged by the Pod Security admission library
// at level "restricted", version "latest", as the admission plugin judges a pod controller.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/pod-security-admission/admission"
	"k8s.io/pod-security-admission/api"
	"k8s.io/pod-security-admission/policy"
)

// The provider-kubernetes Object of the legacy target carries the real object in
// spec.forProvider.manifest; kube-check unwraps it here, so the TypeScript side sends exactly what
// the composition composes.
var objectGroups = map[string]bool{"kubernetes.crossplane.io": true, "kubernetes.m.crossplane.io": true}

type pssOutput struct {
	Level string `json:"level"`
	// Version is the policy version asked for ("latest"); LatestMeans is the concrete policy
	// version the library evaluates for it (the newest version any of its checks defines).
	Version     string            `json:"version"`
	LatestMeans string            `json:"latestMeans"`
	Modules     map[string]string `json:"modules"`
	// CheckIDs are the checks that make up restricted at LatestMeans, in evaluation order.
	CheckIDs []policy.CheckID `json:"checkIDs"`
	Objects  []pssObject      `json:"objects"`
	Skipped  []skipped        `json:"skipped"`
}

type pssObject struct {
	Index     int    `json:"index"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace,omitempty"`
	// WrappedIn is the kind of the wrapper ("Object") the object was unwrapped from, if any.
	WrappedIn string `json:"wrappedIn,omitempty"`
	// DecodeErrors are strict-decoding findings (unknown or duplicate fields) for the object.
	DecodeErrors   []string    `json:"decodeErrors"`
	Containers     []string    `json:"containers"`
	InitContainers []string    `json:"initContainers"`
	Allowed        bool        `json:"allowed"`
	Forbidden      string      `json:"forbidden,omitempty"`
	Violations     []violation `json:"violations"`
}

type violation struct {
	ID     policy.CheckID `json:"id"`
	Reason string         `json:"reason"`
	Detail string         `json:"detail"`
}

type skipped struct {
	Index     int    `json:"index"`
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	WrappedIn string `json:"wrappedIn,omitempty"`
	Reason    string `json:"reason"`
}

// judge runs the library's evaluator and names each result by its check ID. The evaluator returns
// results without IDs, in a fixed order (baseline IDs sorted, then restricted IDs sorted, skipping
// baseline checks a restricted check overrides at that version); we rebuild that order from the
// checks and prove it by evaluating each check alone and comparing result for result.
type judge struct {
	evaluator policy.Evaluator
	lv        api.LevelVersion
	latest    api.Version
	ordered   []policy.Check
}

func newJudge() (*judge, error) {
	checks := policy.DefaultChecks()
	// nil emulation version: the library's newest policy, as the standalone webhook builds it.
	evaluator, err := policy.NewEvaluator(checks, nil)
	if err != nil {
		return nil, err
	}
	j := &judge{
		evaluator: evaluator,
		lv:        api.LevelVersion{Level: api.LevelRestricted, Version: api.LatestVersion()},
	}
	for _, c := range checks {
		last := c.Versions[len(c.Versions)-1].MinimumVersion
		if j.latest.Older(last) {
			j.latest = last
		}
	}
	overridden := map[policy.CheckID]bool{}
	for _, c := range checks {
		if vc := versionAt(c, j.latest); vc != nil && c.Level == api.LevelRestricted {
			for _, id := range vc.OverrideCheckIDs {
				overridden[id] = true
			}
		}
	}
	var baseline, restricted []policy.Check
	for _, c := range checks {
		switch {
		case overridden[c.ID] || versionAt(c, j.latest) == nil:
		case c.Level == api.LevelBaseline:
			baseline = append(baseline, c)
		default:
			restricted = append(restricted, c)
		}
	}
	byID := func(cs []policy.Check) { sort.Slice(cs, func(a, b int) bool { return cs[a].ID < cs[b].ID }) }
	byID(baseline)
	byID(restricted)
	j.ordered = append(baseline, restricted...)
	return j, nil
}

// versionAt is the revision of check c in force at policy version v, or nil if none is yet.
func versionAt(c policy.Check, v api.Version) *policy.VersionedCheck {
	var in *policy.VersionedCheck
	for i := range c.Versions {
		if !v.Older(c.Versions[i].MinimumVersion) {
			in = &c.Versions[i]
		}
	}
	return in
}

func (j *judge) evaluate(podMeta *metav1.ObjectMeta, podSpec *corev1.PodSpec) (policy.AggregateCheckResult, []violation, error) {
	results := j.evaluator.EvaluatePod(j.lv, podMeta, podSpec)
	if len(results) != len(j.ordered) {
		return policy.AggregateCheckResult{}, nil, fmt.Errorf(
			"the evaluator ran %d checks, but %d were expected at %s", len(results), len(j.ordered), j.latest)
	}
	var violations []violation
	for i, c := range j.ordered {
		alone, err := policy.NewEvaluator([]policy.Check{c}, nil)
		if err != nil {
			return policy.AggregateCheckResult{}, nil, err
		}
		own := alone.EvaluatePod(j.lv, podMeta, podSpec)
		if len(own) != 1 || own[0] != results[i] {
			return policy.AggregateCheckResult{}, nil, fmt.Errorf(
				"cannot attribute result %d (%+v) to check %s", i, results[i], c.ID)
		}
		if !results[i].Allowed {
			violations = append(violations, violation{c.ID, results[i].ForbiddenReason, results[i].ForbiddenDetail})
		}
	}
	return policy.AggregateCheckResults(results), violations, nil
}

// podScheme decodes the built-in pod controllers into their typed objects. Like the API server it
// decodes strictly (unknown fields are reported), but k8s.io/api has no defaulting functions: the
// defaults the API server would add (restartPolicy, dnsPolicy, terminationMessagePath, ...) are
// not fields any Pod Security check reads.
func podDecoder() runtime.Decoder {
	scheme := runtime.NewScheme()
	for _, add := range []func(*runtime.Scheme) error{corev1.AddToScheme, appsv1.AddToScheme, batchv1.AddToScheme} {
		if err := add(scheme); err != nil {
			panic(err)
		}
	}
	return serializer.NewCodecFactory(scheme, serializer.EnableStrict).UniversalDeserializer()
}

func runPSS(in io.Reader) (*pssOutput, error) {
	data, err := readInput(in)
	if err != nil {
		return nil, err
	}
	items, err := parseItems(data)
	if err != nil {
		return nil, err
	}
	j, err := newJudge()
	if err != nil {
		return nil, err
	}
	out := &pssOutput{
		Level:       string(j.lv.Level),
		Version:     j.lv.Version.String(),
		LatestMeans: j.latest.String(),
		Modules:     linkedModules("k8s.io/pod-security-admission", "k8s.io/api"),
		Objects:     []pssObject{},
		Skipped:     []skipped{},
	}
	for _, c := range j.ordered {
		out.CheckIDs = append(out.CheckIDs, c.ID)
	}
	decoder := podDecoder()
	extractor := admission.DefaultPodSpecExtractor{}

	for i, raw := range items {
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(raw); err != nil {
			return nil, misusef("item %d: %v", i, err)
		}
		wrappedIn := ""
		if objectGroups[u.GroupVersionKind().Group] && u.GetKind() == "Object" {
			manifest, found, err := unstructured.NestedMap(u.Object, "spec", "forProvider", "manifest")
			if err != nil || !found {
				return nil, misusef("item %d: %s has no spec.forProvider.manifest", i, u.GetAPIVersion())
			}
			wrappedIn = u.GetKind()
			u = &unstructured.Unstructured{Object: manifest}
			if raw, err = u.MarshalJSON(); err != nil {
				return nil, misusef("item %d: %v", i, err)
			}
		}
		gvk := u.GroupVersionKind()
		// The admission plugin asks the extractor by resource; it only handles pod controllers.
		resource, _ := meta.UnsafeGuessKindToResource(gvk)
		if !extractor.HasPodSpec(resource.GroupResource()) {
			out.Skipped = append(out.Skipped, skipped{i, gvk.Kind, u.GetName(), wrappedIn, "not a pod controller: " + resource.GroupResource().String()})
			continue
		}
		obj, _, decodeErr := decoder.Decode(raw, nil, nil)
		var decodeErrors []string
		if decodeErr != nil {
			strict, ok := runtime.AsStrictDecodingError(decodeErr)
			if !ok {
				return nil, misusef("item %d (%s %s): %v", i, gvk.Kind, u.GetName(), decodeErr)
			}
			for _, e := range strict.Errors() {
				decodeErrors = append(decodeErrors, e.Error())
			}
		}
		podMeta, podSpec, err := extractor.ExtractPodSpec(obj)
		if err != nil {
			return nil, misusef("item %d (%s %s): %v", i, gvk.Kind, u.GetName(), err)
		}
		if podMeta == nil && podSpec == nil {
			out.Skipped = append(out.Skipped, skipped{i, gvk.Kind, u.GetName(), wrappedIn, "no pod template"})
			continue
		}
		result, violations, err := j.evaluate(podMeta, podSpec)
		if err != nil {
			return nil, err
		}
		o := pssObject{
			Index: i, Kind: gvk.Kind, Name: u.GetName(), Namespace: u.GetNamespace(), WrappedIn: wrappedIn,
			DecodeErrors: orEmpty(decodeErrors), Containers: names(podSpec.Containers),
			InitContainers: names(podSpec.InitContainers), Allowed: result.Allowed,
			Violations: orEmpty(violations),
		}
		if !result.Allowed {
			// The admission plugin's own wording for a pod controller.
			o.Forbidden = fmt.Sprintf("would violate PodSecurity %q: %s", j.lv.String(), result.ForbiddenDetail())
		}
		out.Objects = append(out.Objects, o)
	}
	return out, nil
}

// parseItems accepts a JSON array of objects or a Kubernetes List ({"items": [...]}).
func parseItems(data []byte) ([]json.RawMessage, error) {
	data = bytes.TrimSpace(data)
	var items []json.RawMessage
	if len(data) > 0 && data[0] == '[' {
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, misusef("stdin: %v", err)
		}
		return items, nil
	}
	var list struct {
		Items *[]json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, misusef("stdin: %v", err)
	}
	if list.Items == nil {
		return nil, misusef("stdin: expected a JSON array of objects or a List with items")
	}
	return *list.Items, nil
}

func names(cs []corev1.Container) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func orEmpty[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
