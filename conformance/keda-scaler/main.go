// Command keda-scaler runs KEDA's own nats-jetstream scaler (github.com/kedacore/keda/v2, the
// version go.mod selects) on one trigger, so the conformance suite can check the trigger eds
// renders against the code that will read it in a cluster.
//
// It reads one JSON request on stdin:
//
//	{"triggerType": "nats-jetstream", "metadata": {"stream": "ORDERS", ...},
//	 "authParams": {}, "triggerIndex": 0, "metricType": ""}
//
// builds the scaler with the ScalerConfig fields KEDA's operator sets
// (pkg/scaling/scalers_builder.go), asks it for its metric spec and its metric, and prints one
// JSON response on stdout (see response). Errors from KEDA are data: they are reported in the
// response and the exit status is 0. The exit status is 2 only when the harness itself is misused
// (bad JSON, a trigger type it does not run).
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"syscall"
	"time"

	"go.uber.org/zap/zapcore"
	v2 "k8s.io/api/autoscaling/v2"
	"k8s.io/apimachinery/pkg/api/resource"
	"k8s.io/apimachinery/pkg/runtime"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"

	"github.com/kedacore/keda/v2/pkg/scalers"
	"github.com/kedacore/keda/v2/pkg/scalers/scalersconfig"
)

const (
	kedaModule = "github.com/kedacore/keda/v2"

	// The KEDA operator's default for every scaler's HTTP client: KEDA_HTTP_DEFAULT_TIMEOUT,
	// 3000 ms (cmd/operator/main.go).
	globalHTTPTimeout = 3000 * time.Millisecond

	// KEDA's own check for trigger metadata keys that no field of the scaler's typed config
	// claims (pkg/scalers/scalersconfig/typed_config.go, checkUnexpectedParameterExist). It is off
	// unless this variable is "enabled", and KEDA reads it into a package variable while the
	// program initialises, before main runs; main therefore re-executes itself with it set.
	unexpectedParamsEnv = "KEDA_CHECK_UNEXPECTED_SCALERS_PARAMS"
)

// The event note KEDA records for each such key: "Unmatched input property KEY in scaler TYPE".
var unmatchedProperty = regexp.MustCompile(`^Unmatched input property (\S+) in scaler `)

type request struct {
	TriggerType  string            `json:"triggerType"`
	Metadata     map[string]string `json:"metadata"`
	AuthParams   map[string]string `json:"authParams"`
	TriggerIndex int               `json:"triggerIndex"`
	// The trigger's metricType; empty means AverageValue, as in a ScaledObject.
	MetricType string `json:"metricType"`
}

type response struct {
	// The KEDA module version this binary was built from.
	Keda        string `json:"keda"`
	TriggerType string `json:"triggerType"`
	// Metadata keys KEDA's typed-config parser reported as unmatched (its own check, see
	// unexpectedParamsEnv). KEDA runs that check only when the typed-config parse succeeded: a
	// missing required key or a bad value leaves this empty, a later check (no account) does not.
	UnknownKeys []string `json:"unknownKeys"`
	// Every event KEDA recorded while building the scaler, as "TYPE REASON NOTE".
	Events []string `json:"events"`
	// The error NewNATSJetStreamScaler returned; the fields below are then absent.
	ConstructionError *string `json:"constructionError"`

	// From GetMetricSpecForScaling: the external metric the HPA is given.
	MetricName string  `json:"metricName,omitempty"`
	Target     *target `json:"target,omitempty"`

	// From GetMetricsAndActivity: the error, or the metric value and activity.
	MetricsError *string `json:"metricsError,omitempty"`
	Value        *qty    `json:"value,omitempty"`
	IsActive     *bool   `json:"isActive,omitempty"`
}

// target is the HPA's metric target: with type AverageValue, the wanted value per replica.
type target struct {
	Type         v2.MetricTargetType `json:"type"`
	AverageValue *qty                `json:"averageValue"`
	Value        *qty                `json:"value"`
}

// qty is a Kubernetes quantity as the HPA sees it (canonical string) and in thousandths.
type qty struct {
	Quantity string `json:"quantity"`
	Milli    int64  `json:"milli"`
}

func toQty(q *resource.Quantity) *qty {
	if q == nil {
		return nil
	}
	return &qty{Quantity: q.String(), Milli: q.MilliValue()}
}

// recorder keeps the events KEDA records (a stand-in for the operator's event recorder).
type recorder struct{ events []string }

func (r *recorder) Eventf(_, _ runtime.Object, eventtype, reason, _, note string, args ...any) {
	r.events = append(r.events, eventtype+" "+reason+" "+fmt.Sprintf(note, args...))
}

func main() {
	if os.Getenv(unexpectedParamsEnv) != "enabled" {
		reexecWithUnexpectedParamsCheck()
	}

	// Anything KEDA prints with fmt.Print (it does for deprecation notices) must not corrupt the
	// JSON on stdout: keep stdout for the response and point os.Stdout at stderr.
	out := os.Stdout
	os.Stdout = os.Stderr
	// KEDA logs through controller-runtime's logger: send its logs to stderr, without the stack
	// traces zap adds to errors by default.
	logf.SetLogger(zap.New(zap.WriteTo(os.Stderr), zap.StacktraceLevel(zapcore.PanicLevel)))

	var req request
	dec := json.NewDecoder(os.Stdin)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		fail("reading the request from stdin: %v", err)
	}
	if req.Metadata == nil {
		fail(`the request has no "metadata" object`)
	}
	if req.AuthParams == nil {
		// The operator always passes a map (empty when the trigger has no authenticationRef).
		req.AuthParams = map[string]string{}
	}
	if req.TriggerType != "nats-jetstream" {
		fail("trigger type %q: this harness only runs KEDA's nats-jetstream scaler", req.TriggerType)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	res := run(ctx, req)
	enc := json.NewEncoder(out)
	enc.SetIndent("", "  ")
	if err := enc.Encode(res); err != nil {
		fail("writing the response: %v", err)
	}
}

// run builds the scaler as the operator does and asks it what the HPA would be told.
func run(ctx context.Context, req request) response {
	rec := &recorder{}
	res := response{Keda: kedaVersion(), TriggerType: req.TriggerType, UnknownKeys: []string{}}

	scaler, err := scalers.NewNATSJetStreamScaler(&scalersconfig.ScalerConfig{
		ScalableObjectType: "ScaledObject",
		TriggerType:        req.TriggerType,
		TriggerMetadata:    req.Metadata,
		AuthParams:         req.AuthParams,
		GlobalHTTPTimeout:  globalHTTPTimeout,
		TriggerIndex:       req.TriggerIndex,
		MetricType:         v2.MetricTargetType(req.MetricType),
		Recorder:           rec,
	})
	res.Events = append([]string{}, rec.events...)
	for _, e := range rec.events {
		note := e
		if _, rest, ok := strings.Cut(e, " KEDAScalerInfo "); ok {
			note = rest
		}
		if m := unmatchedProperty.FindStringSubmatch(note); m != nil {
			res.UnknownKeys = append(res.UnknownKeys, m[1])
		}
	}
	slices.Sort(res.UnknownKeys)
	if err != nil {
		msg := err.Error()
		res.ConstructionError = &msg
		return res
	}
	defer func() { _ = scaler.Close(ctx) }()

	specs := scaler.GetMetricSpecForScaling(ctx)
	if len(specs) != 1 || specs[0].External == nil {
		fail("KEDA's nats-jetstream scaler returned %d metric specs, expected one External", len(specs))
	}
	ext := specs[0].External
	res.MetricName = ext.Metric.Name
	res.Target = &target{
		Type:         ext.Target.Type,
		AverageValue: toQty(ext.Target.AverageValue),
		Value:        toQty(ext.Target.Value),
	}

	values, active, err := scaler.GetMetricsAndActivity(ctx, res.MetricName)
	if err != nil {
		msg := err.Error()
		res.MetricsError = &msg
		return res
	}
	if len(values) != 1 {
		fail("KEDA's nats-jetstream scaler returned %d metric values, expected one", len(values))
	}
	res.Value = toQty(&values[0].Value)
	res.IsActive = &active
	return res
}

// reexecWithUnexpectedParamsCheck replaces this process with itself, same arguments and stdin,
// with unexpectedParamsEnv=enabled (and no other value of it) in the environment.
func reexecWithUnexpectedParamsCheck() {
	exe, err := os.Executable()
	if err != nil {
		fail("finding this executable to re-run it with %s=enabled: %v", unexpectedParamsEnv, err)
	}
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, unexpectedParamsEnv+"=")
	})
	env = append(env, unexpectedParamsEnv+"=enabled")
	err = syscall.Exec(exe, os.Args, env)
	fail("re-running %s with %s=enabled: %v", exe, unexpectedParamsEnv, err)
}

// kedaVersion is the version of the KEDA module linked into this binary (its replacement's, if
// go.mod replaces it).
func kedaVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	for _, dep := range info.Deps {
		if dep.Path == kedaModule {
			if dep.Replace != nil {
				return dep.Replace.Version
			}
			return dep.Version
		}
	}
	return "unknown"
}

// fail reports misuse of the harness (not a KEDA result) and exits 2.
func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "keda-scaler: "+format+"\n", args...)
	os.Exit(2)
}
