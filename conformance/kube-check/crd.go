package main

// kube-check crd: the CustomResourceDefinitions Crossplane makes of one XRD, and what the API
// server says when they are created.
//
// The path an XRD takes in a cluster, and the upstream code run for each step here:
//  1. The API server admits the XRD as a custom resource of Crossplane's XRD CRD (read from
//     --xrd-crd): pruning and defaulting with the schema of the XRD's apiVersion, then the
//     custom-resource create strategy (OpenAPI schema, CEL rules, list types) via
//     rest.BeforeCreate.
//  2. It stores the XRD at the CRD's storage version (v1). The XRD CRD declares no conversion
//     (strategy None), so a v2 XRD is the same object relabelled v1.
//  3. Crossplane core reads it as v1 (the API server prunes and defaults with the v1 schema on
//     read) and renders the XR's CRD with xcrd.ForCompositeResource (definition reconciler) and,
//     when the XRD offers a claim, the claim's CRD with xcrd.ForCompositeResourceClaim (offered
//     reconciler).
//  4. The API server decodes each CRD (apiextensions.k8s.io/v1 defaults, conversion to the
//     internal version) and runs the CRD create strategy via rest.BeforeCreate: PrepareForCreate,
//     validation.ValidateCustomResourceDefinition (structural schema, defaults, x-kubernetes-*
//     rules, CEL, printer columns, names), object metadata validation and create warnings.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/crossplane/crossplane-runtime/v2/pkg/xcrd"
	xpv1 "github.com/crossplane/crossplane/apis/v2/apiextensions/v1"
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions"
	"k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/install"
	extv1 "k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/v1"
	structuralschema "k8s.io/apiextensions-apiserver/pkg/apiserver/schema"
	structuraldefaulting "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting"
	structuralpruning "k8s.io/apiextensions-apiserver/pkg/apiserver/schema/pruning"
	apiservervalidation "k8s.io/apiextensions-apiserver/pkg/apiserver/validation"
	"k8s.io/apiextensions-apiserver/pkg/registry/customresource"
	"k8s.io/apiextensions-apiserver/pkg/registry/customresourcedefinition"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured/unstructuredscheme"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"k8s.io/apimachinery/pkg/types"
	genericapirequest "k8s.io/apiserver/pkg/endpoints/request"
	"k8s.io/apiserver/pkg/registry/rest"
	"k8s.io/apiserver/pkg/warning"
	sigsjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

type crdOutput struct {
	Modules map[string]string `json:"modules"`
	// XRD is what the API server made of the input XRD on create.
	XRD xrdVerdict `json:"xrd"`
	// CRDs are the CustomResourceDefinitions Crossplane renders: the XR's, then the claim's.
	CRDs []crdVerdict `json:"crds"`
}

type xrdVerdict struct {
	Name       string `json:"name"`
	APIVersion string `json:"apiVersion"`
	// UnknownFields are the paths the API server prunes (fields the XRD schema does not know).
	UnknownFields []string     `json:"unknownFields"`
	Errors        []fieldError `json:"errors"`
	Warnings      []string     `json:"warnings"`
	// IgnoredSchemaFields are keywords of the XRD's schemas that xcrd silently drops: it decodes
	// each openAPIV3Schema into apiextensions.k8s.io/v1 JSONSchemaProps with plain json.Unmarshal,
	// so a keyword that type does not have (const, $id, ...) vanishes with the rule it stated.
	// Our check, not the API server's: a strict decode of the same bytes into the same type.
	IgnoredSchemaFields []string `json:"ignoredSchemaFields"`
	// Stored is the XRD as Crossplane reads it back (v1, defaults applied).
	Stored map[string]any `json:"stored"`
}

type crdVerdict struct {
	// Role is "composite" or "claim".
	Role     string       `json:"role"`
	Name     string       `json:"name"`
	Errors   []fieldError `json:"errors"`
	Warnings []string     `json:"warnings"`
	// CRD is the object Crossplane sends to the API server (apiextensions.k8s.io/v1).
	CRD *extv1.CustomResourceDefinition `json:"crd"`
}

type fieldError struct {
	Field   string `json:"field"`
	Type    string `json:"type"`
	Message string `json:"message"`
}

// A fixed UID for the XRD, which the API server would assign: xcrd puts it in each CRD's
// controller owner reference, and metadata validation requires one.
const xrdUID = types.UID("00000000-0000-0000-0000-0000000000ed")

// warnings collects what a create strategy reports through the request's warning recorder.
type warnings []string

func (w *warnings) AddWarning(_, text string) { *w = append(*w, text) }

// versionSchema is one served version of Crossplane's XRD CRD, as the API server prepares it.
type versionSchema struct {
	structural *structuralschema.Structural
	validator  apiservervalidation.SchemaValidator
	status     *apiextensions.CustomResourceSubresourceStatus
	selectable []extv1.SelectableField
}

func loadXRDCRD(path string) (*extv1.CustomResourceDefinition, map[string]*versionSchema, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, misusef("--xrd-crd: %v", err)
	}
	crd := &extv1.CustomResourceDefinition{}
	if err := yaml.UnmarshalStrict(data, crd); err != nil {
		return nil, nil, misusef("--xrd-crd %s: %v", path, err)
	}
	if crd.Spec.Group != xpv1.Group || crd.Spec.Names.Kind != xpv1.CompositeResourceDefinitionKind {
		return nil, nil, misusef("--xrd-crd %s defines %s.%s, not %s.%s", path,
			crd.Spec.Names.Kind, crd.Spec.Group, xpv1.CompositeResourceDefinitionKind, xpv1.Group)
	}
	schemas := map[string]*versionSchema{}
	for _, v := range crd.Spec.Versions {
		// As the API server's CR handler does (customresource_handler.go, getOrCreateServingInfoFor).
		internal := &apiextensions.CustomResourceValidation{}
		if err := extv1.Convert_v1_CustomResourceValidation_To_apiextensions_CustomResourceValidation(v.Schema, internal, nil); err != nil {
			return nil, nil, err
		}
		s, err := structuralschema.NewStructural(internal.OpenAPIV3Schema)
		if err != nil {
			return nil, nil, err
		}
		s = s.DeepCopy()
		if err := structuraldefaulting.PruneDefaults(s); err != nil {
			return nil, nil, err
		}
		validator, _, err := apiservervalidation.NewSchemaValidator(internal.OpenAPIV3Schema)
		if err != nil {
			return nil, nil, err
		}
		vs := &versionSchema{structural: s, validator: validator, selectable: v.SelectableFields}
		if v.Subresources != nil && v.Subresources.Status != nil {
			vs.status = &apiextensions.CustomResourceSubresourceStatus{}
		}
		schemas[v.Name] = vs
	}
	return crd, schemas, nil
}

// decodeAs prunes and defaults obj with the schema of one version, as the API server's decoder
// for custom resources does (prune, drop non-nullable nulls, then default).
func decodeAs(obj map[string]any, s *versionSchema) []string {
	unknown := structuralpruning.PruneWithOptions(obj, s.structural, true,
		structuralschema.UnknownFieldPathOptions{TrackUnknownFieldPaths: true})
	structuraldefaulting.PruneNonNullableNullsWithoutDefaults(obj, s.structural)
	structuraldefaulting.Default(obj, s.structural)
	return unknown
}

func newRequestContext(w *warnings) context.Context {
	ctx := genericapirequest.WithNamespace(context.Background(), "")
	return warning.WithWarningRecorder(ctx, w)
}

func fieldErrors(err error) ([]fieldError, error) {
	out := []fieldError{}
	if err == nil {
		return out, nil
	}
	var status apierrors.APIStatus
	if !errors.As(err, &status) || !apierrors.IsInvalid(err) || status.Status().Details == nil {
		return nil, fmt.Errorf("create failed without field errors: %w", err)
	}
	for _, c := range status.Status().Details.Causes {
		out = append(out, fieldError{Field: c.Field, Type: string(c.Type), Message: c.Message})
	}
	return out, nil
}

func runCRD(in io.Reader, xrdCRDPath string) (*crdOutput, error) {
	data, err := readInput(in)
	if err != nil {
		return nil, err
	}
	xrdCRD, schemas, err := loadXRDCRD(xrdCRDPath)
	if err != nil {
		return nil, err
	}
	js, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, misusef("stdin: %v", err)
	}
	u := &unstructured.Unstructured{}
	if err := u.UnmarshalJSON(js); err != nil {
		return nil, misusef("stdin: %v", err)
	}
	gvk := u.GroupVersionKind()
	inSchema := schemas[gvk.Version]
	if gvk.Group != xpv1.Group || gvk.Kind != xpv1.CompositeResourceDefinitionKind || inSchema == nil {
		return nil, misusef("stdin: %s %s is not a CompositeResourceDefinition version %s serves",
			u.GetAPIVersion(), u.GetKind(), xrdCRDPath)
	}
	storage := ""
	for _, v := range xrdCRD.Spec.Versions {
		if v.Storage {
			storage = v.Name
		}
	}

	out := &crdOutput{
		Modules: linkedModules("k8s.io/apiextensions-apiserver", "k8s.io/apiserver",
			"github.com/crossplane/crossplane-runtime/v2", "github.com/crossplane/crossplane/apis/v2"),
		CRDs: []crdVerdict{},
	}

	// 1. Admission of the XRD.
	out.XRD = xrdVerdict{Name: u.GetName(), APIVersion: u.GetAPIVersion(), Warnings: []string{}}
	out.XRD.UnknownFields = orEmpty(decodeAs(u.Object, inSchema))
	xrdStrategy := customresource.NewStrategy(unstructuredscheme.NewUnstructuredObjectTyper(),
		xrdCRD.Spec.Scope == extv1.NamespaceScoped, gvk, inSchema.validator, nil, inSchema.structural,
		inSchema.status, nil, inSchema.selectable)
	// The generic registry fills the system fields before BeforeCreate; the UID is fixed so that
	// the CRDs' owner references are reproducible.
	rest.FillObjectMetaSystemFields(u)
	u.SetUID(xrdUID)
	w := &warnings{}
	err = rest.BeforeCreate(xrdStrategy, newRequestContext(w), u)
	if out.XRD.Errors, err = fieldErrors(err); err != nil {
		return nil, err
	}
	out.XRD.Warnings = orEmpty(*w)

	// 2, 3. Stored as v1 (conversion None relabels), read back by Crossplane as v1.
	u.SetAPIVersion(schema.GroupVersion{Group: gvk.Group, Version: storage}.String())
	decodeAs(u.Object, schemas[storage])
	out.XRD.Stored = u.Object
	stored, err := u.MarshalJSON()
	if err != nil {
		return nil, err
	}
	xrd := &xpv1.CompositeResourceDefinition{}
	if err := json.Unmarshal(stored, xrd); err != nil {
		return nil, misusef("stdin: the stored XRD does not decode as %s: %v", xpv1.SchemeGroupVersion, err)
	}

	out.XRD.IgnoredSchemaFields = []string{}
	for i, v := range xrd.Spec.Versions {
		if v.Schema == nil {
			continue
		}
		strict, err := sigsjson.UnmarshalStrict(v.Schema.OpenAPIV3Schema.Raw, &extv1.JSONSchemaProps{},
			sigsjson.DisallowUnknownFields)
		if err != nil {
			continue // not a schema at all: xcrd reports it below
		}
		for _, e := range strict {
			out.XRD.IgnoredSchemaFields = append(out.XRD.IgnoredSchemaFields,
				fmt.Sprintf("spec.versions[%d].schema.openAPIV3Schema: %v", i, e))
		}
	}

	type render struct {
		role string
		fn   func(*xpv1.CompositeResourceDefinition) (*extv1.CustomResourceDefinition, error)
	}
	renders := []render{{"composite", xcrd.ForCompositeResource}}
	if xrd.OffersClaim() {
		renders = append(renders, render{"claim", xcrd.ForCompositeResourceClaim})
	}

	// 4. Creation of each CRD.
	scheme := runtime.NewScheme()
	install.Install(scheme)
	decoder := serializer.NewCodecFactory(scheme).UniversalDecoder(apiextensions.SchemeGroupVersion)
	crdStrategy := customresourcedefinition.NewStrategy(scheme)
	for _, r := range renders {
		crd, err := r.fn(xrd)
		if err != nil {
			// Crossplane would not get as far as the API server; report it as the XRD's error.
			out.XRD.Errors = append(out.XRD.Errors, fieldError{Field: "spec", Type: "CrossplaneRender", Message: err.Error()})
			continue
		}
		crd.SetGroupVersionKind(extv1.SchemeGroupVersion.WithKind("CustomResourceDefinition"))
		body, err := json.Marshal(crd)
		if err != nil {
			return nil, err
		}
		obj, _, err := decoder.Decode(body, nil, nil)
		if err != nil {
			return nil, fmt.Errorf("decoding the %s CRD: %w", r.role, err)
		}
		internal := obj.(*apiextensions.CustomResourceDefinition)
		rest.FillObjectMetaSystemFields(internal)
		w := &warnings{}
		errs, err := fieldErrors(rest.BeforeCreate(crdStrategy, newRequestContext(w), internal))
		if err != nil {
			return nil, err
		}
		out.CRDs = append(out.CRDs, crdVerdict{Role: r.role, Name: crd.GetName(), Errors: errs, Warnings: orEmpty(*w), CRD: crd})
	}
	return out, nil
}
