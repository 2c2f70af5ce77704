package operator_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"

	"github.com/wido-dev/wido/operator/testenv"
)

// TestKustomizeApply installs deploy/ with `kubectl apply -k` (kubectl
// v1.37.2 built by hack/k8s-tools) into a real API server: wido installs
// with one command, and the operator's ClusterRole covers what it does.
func TestKustomizeApply(t *testing.T) {
	env := testenv.Start(t)
	kubectl := filepath.Join(os.Getenv("KUBEBUILDER_ASSETS"), "kubectl")
	if _, err := os.Stat(kubectl); err != nil {
		t.Fatalf("kubectl not in KUBEBUILDER_ASSETS (hack/k8s-tools/build.sh builds it): %v", err)
	}
	kubeconfig := filepath.Join(t.TempDir(), "kubeconfig")
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["envtest"] = &clientcmdapi.Cluster{Server: env.Config.Host, CertificateAuthorityData: env.Config.CAData}
	cfg.AuthInfos["envtest"] = &clientcmdapi.AuthInfo{ClientCertificateData: env.Config.CertData, ClientKeyData: env.Config.KeyData, Token: env.Config.BearerToken}
	cfg.Contexts["envtest"] = &clientcmdapi.Context{Cluster: "envtest", AuthInfo: "envtest"}
	cfg.CurrentContext = "envtest"
	if err := clientcmd.WriteToFile(*cfg, kubeconfig); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(kubectl, "--kubeconfig", kubeconfig, "apply", "-k", filepath.Join("..", "deploy")).CombinedOutput()
	if err != nil {
		t.Fatalf("kubectl apply -k deploy: %v\n%s", err, out)
	}
	for _, want := range []string{"namespace/wido-system", "customresourcedefinition.apiextensions.k8s.io/intents.wido.dev",
		"clusterrole.rbac.authorization.k8s.io/wido-operator", "deployment.apps/wido-operator"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("kubectl apply output lacks %s:\n%s", want, out)
		}
	}
	// kubectl explain reads the CRDs' field docs, once the API server has
	// published the new CRD's OpenAPI schema (asynchronously).
	var explain []byte
	for deadline := time.Now().Add(30 * time.Second); ; {
		explain, err = exec.Command(kubectl, "--kubeconfig", kubeconfig, "explain", "intent.spec").CombinedOutput()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("kubectl explain intent.spec: %v\n%s", err, explain)
		}
		time.Sleep(500 * time.Millisecond)
	}
	for _, want := range []string{"TargetRef is the workload the objectives are about", "Objectives are the service level objectives", "Mode is Enforce", "Cooldown is the least time between two actions"} {
		if !strings.Contains(strings.Join(strings.Fields(string(explain)), " "), want) {
			t.Errorf("kubectl explain intent.spec lacks %q:\n%s", want, explain)
		}
	}
	ctx := context.Background()
	var d appsv1.Deployment
	if err := env.Client.Get(ctx, types.NamespacedName{Namespace: "wido-system", Name: "wido-operator"}, &d); err != nil {
		t.Fatal(err)
	}
	if args := strings.Join(d.Spec.Template.Spec.Containers[0].Args, " "); !strings.Contains(args, "operator --prometheus-url=") {
		t.Errorf("operator args = %q", args)
	}
	var role rbacv1.ClusterRole
	if err := env.Client.Get(ctx, types.NamespacedName{Name: "wido-operator"}, &role); err != nil {
		t.Fatal(err)
	}
	granted := map[string]bool{}
	for _, r := range role.Rules {
		for _, res := range r.Resources {
			for _, v := range r.Verbs {
				granted[res+":"+v] = true
			}
		}
	}
	for _, need := range []string{"deployments/scale:update", "pods/eviction:create", "intents/status:update", "leases:create", "events:create", "horizontalpodautoscalers:list", "scaledobjects:list"} {
		if !granted[need] {
			t.Errorf("the ClusterRole lacks %s", need)
		}
	}
}
