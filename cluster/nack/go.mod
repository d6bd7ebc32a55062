// Builds NACK's JetStream controller (cmd/jetstream-controller), the NATS project's operator for
// streams and consumers, for the local cluster's scale-to-zero test (../parts/nack.sh). NACK's
// go.mod has no replace directives, but `go install …@version` fails here: it asks the module
// proxy for the module's version list (to report deprecation), which the proxy refuses (403). This
// wrapper requires github.com/nats-io/nack at NACK_VERSION (../../conformance/versions.env) and
// builds the package from it instead.
module eds.cluster/nack

go 1.26.0

require github.com/nats-io/nack v0.22.4
