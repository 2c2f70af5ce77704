package v1alpha1_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/yaml"

	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
	"github.com/wido-dev/wido/operator/testenv"
)

func intent(name string, mods ...func(*widov1.Intent)) *widov1.Intent {
	in := &widov1.Intent{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "default"},
		Spec: widov1.IntentSpec{
			TargetRef:  widov1.TargetRef{Kind: widov1.Deployment, Name: "frontend"},
			Objectives: []widov1.Objective{{Name: "p99", Value: 0.03, MeasuredBy: "p99latency"}},
		},
	}
	for _, m := range mods {
		m(in)
	}
	return in
}

// TestCRDValidation creates Intents and KPIProfiles in a real API server:
// the schema and CEL rules of deploy/crds accept what they should, refuse
// what they should with a message that names the problem, and apply the
// defaults.
func TestCRDValidation(t *testing.T) {
	env := testenv.Start(t)
	ctx := context.Background()

	t.Run("defaults", func(t *testing.T) {
		in := intent("defaults")
		if err := env.Client.Create(ctx, in); err != nil {
			t.Fatal(err)
		}
		if in.Spec.Mode != widov1.Enforce || in.Spec.Priority != 1 {
			t.Errorf("mode %q, priority %v; want the defaults Enforce and 1", in.Spec.Mode, in.Spec.Priority)
		}
	})

	refused := []struct {
		name string
		mod  func(*widov1.Intent)
		want string
	}{
		{"no objectives", func(in *widov1.Intent) { in.Spec.Objectives = nil }, "spec.objectives"},
		{"duplicate objective names", func(in *widov1.Intent) {
			in.Spec.Objectives = append(in.Spec.Objectives, widov1.Objective{Name: "p99", Value: 1, MeasuredBy: "x"})
		}, `spec.objectives[1]: Duplicate value: {"name":"p99"}`},
		{"minReplicas above maxReplicas", func(in *widov1.Intent) {
			in.Spec.Bounds = widov1.Bounds{MinReplicas: ptr.To[int32](5), MaxReplicas: ptr.To[int32](2)}
		}, "minReplicas must not exceed maxReplicas"},
		{"CPU min above max", func(in *widov1.Intent) {
			in.Spec.Bounds.CPU = []widov1.ContainerCPUBounds{{Container: "app", Min: ptr.To(resource.MustParse("2")), Max: ptr.To(resource.MustParse("500m"))}}
		}, "min must not exceed max"},
		{"unsupported kind", func(in *widov1.Intent) { in.Spec.TargetRef.Kind = "DaemonSet" }, `spec.targetRef.kind: Unsupported value: "DaemonSet"`},
		{"unknown mode", func(in *widov1.Intent) { in.Spec.Mode = "Yolo" }, `spec.mode: Unsupported value: "Yolo"`},
		{"priority out of range", func(in *widov1.Intent) { in.Spec.Priority = 2 }, "spec.priority"},
		{"negative tolerance", func(in *widov1.Intent) { in.Spec.Objectives[0].Tolerance = -0.1 }, "tolerance"},
		{"objective without profile", func(in *widov1.Intent) { in.Spec.Objectives[0].MeasuredBy = "" }, "measuredBy"},
	}
	for i, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			err := env.Client.Create(ctx, intent("refused-"+string(rune('a'+i)), tc.mod))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Create error = %v, want it to contain %q", err, tc.want)
			}
		})
	}

	t.Run("KPIProfile", func(t *testing.T) {
		ok := &widov1.KPIProfile{ObjectMeta: metav1.ObjectMeta{Name: "p99latency", Namespace: "default"},
			Spec: widov1.KPIProfileSpec{Type: widov1.Latency, Query: `histogram_quantile(0.99, rate(x{namespace="{{.Namespace}}"}[30s]))`}}
		if err := env.Client.Create(ctx, ok); err != nil {
			t.Fatal(err)
		}
		bad := &widov1.KPIProfile{ObjectMeta: metav1.ObjectMeta{Name: "bad", Namespace: "default"},
			Spec: widov1.KPIProfileSpec{Type: "speed"}}
		if err := env.Client.Create(ctx, bad); err == nil || !strings.Contains(err.Error(), `spec.type: Unsupported value: "speed"`) {
			t.Errorf("Create error = %v, want the type refused", err)
		}
		badURL := &widov1.KPIProfile{ObjectMeta: metav1.ObjectMeta{Name: "badurl", Namespace: "default"},
			Spec: widov1.KPIProfileSpec{Type: widov1.Latency, Endpoint: "prometheus:9090"}}
		if err := env.Client.Create(ctx, badURL); err == nil || !strings.Contains(err.Error(), "spec.endpoint") {
			t.Errorf("Create error = %v, want the endpoint refused", err)
		}
	})
}

func TestEffectiveMode(t *testing.T) {
	tests := []struct {
		name   string
		mode   widov1.Mode
		active *bool
		want   widov1.Mode
	}{
		{"empty is Enforce", "", nil, widov1.Enforce},
		{"IDO's active: false is Recommend", "", ptr.To(false), widov1.Recommend},
		{"active: false on Enforce is Recommend", widov1.Enforce, ptr.To(false), widov1.Recommend},
		{"Observe stays Observe", widov1.Observe, ptr.To(false), widov1.Observe},
		{"active: true changes nothing", widov1.Recommend, ptr.To(true), widov1.Recommend},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := widov1.IntentSpec{Mode: tc.mode, Active: tc.active}
			if got := s.EffectiveMode(); got != tc.want {
				t.Errorf("EffectiveMode() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestSamplesAreValid creates the shipped samples in a real API server.
func TestSamplesAreValid(t *testing.T) {
	env := testenv.Start(t)
	ctx := context.Background()
	// Each sample set in its own namespace: demo.yaml reuses names.
	for n, file := range []string{"kpiprofiles.yaml", "intent.yaml", "demo.yaml"} {
		ns := "samples-" + string(rune('a'+n))
		if err := env.Client.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join("..", "..", "..", "deploy", "samples", file))
		if err != nil {
			t.Fatal(err)
		}
		for i, doc := range strings.Split(string(data), "\n---\n") {
			var obj unstructured.Unstructured
			if err := yaml.Unmarshal([]byte(doc), &obj.Object); err != nil {
				t.Fatalf("%s #%d: %v", file, i, err)
			}
			obj.SetNamespace(ns)
			if err := env.Client.Create(ctx, &obj); err != nil {
				t.Errorf("%s #%d (%s %s): %v", file, i, obj.GetKind(), obj.GetName(), err)
			}
		}
	}
}
