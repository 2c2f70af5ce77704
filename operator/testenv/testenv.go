// Package testenv starts a real control plane for the operator's tests:
// etcd and kube-apiserver through controller-runtime's envtest, with wido's
// CRDs from deploy/crds installed.
//
// The binaries come from KUBEBUILDER_ASSETS, which make test sets to the
// folder hack/k8s-tools/build.sh builds. Without it a test is skipped, or
// fails when WIDO_REQUIRE_TOOLCHAINS=1 (as in make test).
package testenv

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	clientgoscheme "k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/envtest"

	k8sruntime "k8s.io/apimachinery/pkg/runtime"

	widov1 "github.com/wido-dev/wido/operator/api/v1alpha1"
)

// Env is a running control plane.
type Env struct {
	Config *rest.Config
	// Client talks to the API server directly (no cache); it is a
	// client.WithWatch, for interceptor.NewClient.
	Client client.Client
	Scheme *k8sruntime.Scheme
}

// Start starts etcd and kube-apiserver with wido's CRDs and stops them when
// the test ends.
func Start(t testing.TB) *Env {
	t.Helper()
	if os.Getenv("KUBEBUILDER_ASSETS") == "" {
		msg := "KUBEBUILDER_ASSETS is not set: run make test, or export KUBEBUILDER_ASSETS=$(hack/k8s-tools/build.sh)"
		if os.Getenv("WIDO_REQUIRE_TOOLCHAINS") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	scheme := k8sruntime.NewScheme()
	if err := clientgoscheme.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	if err := widov1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	env := &envtest.Environment{
		CRDDirectoryPaths:     []string{filepath.Join(root(t), "deploy", "crds")},
		ErrorIfCRDPathMissing: true,
		Scheme:                scheme,
	}
	cfg, err := env.Start()
	if err != nil {
		// Start may fail after the processes are up (e.g. a CRD the API
		// server refuses): stop them, or they outlive the test.
		_ = env.Stop()
		t.Fatalf("testenv: starting etcd and kube-apiserver: %v", err)
	}
	t.Cleanup(func() {
		if err := env.Stop(); err != nil {
			t.Errorf("testenv: stop: %v", err)
		}
	})
	c, err := client.NewWithWatch(cfg, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	return &Env{Config: cfg, Client: c, Scheme: scheme}
}

// root is the repository root, found from this file's path.
func root(t testing.TB) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("testenv: cannot locate the repository")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}
