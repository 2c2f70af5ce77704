package abi_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/wido-dev/wido/"

// TestImportRules enforces DESIGN.md's import rules on the code that is
// built (tests excluded): what each top-level folder may import of wido,
// that the planner stays free of Kubernetes, wazero and gRPC, and that code
// linked into Wasm guests stays free of the packages that bloat them.
func TestImportRules(t *testing.T) {
	tests := []struct {
		pattern   string
		mayImport []string // wido folders allowed besides the package's own
		forbidden []string // import path prefixes, transitively
	}{
		{"./abi/...", []string{"abi/"}, nil},
		{"./abi/actuator/...", []string{"abi/actuator"}, []string{"fmt", "encoding/json", "reflect"}},
		{"./abi/wire/...", []string{"abi/actuator/", "abi/wire/"}, []string{"fmt", "encoding/json", "reflect", "google.golang.org/protobuf"}},
		{"./abi/guest/...", []string{"abi/actuator/", "abi/wire/", "abi/guest/"}, []string{"fmt", "encoding/json", "reflect", "google.golang.org/protobuf"}},
		{"./plugins/...", []string{"abi/actuator/", "abi/wire/", "abi/guest/", "plugins/"}, []string{"fmt", "encoding/json", "reflect", "google.golang.org/protobuf"}},
		{"./wasmhost/...", []string{"abi/", "planner/", "wasmhost/"}, []string{"k8s.io/", "sigs.k8s.io/", "google.golang.org/grpc"}},
		{"./planner/...", []string{"abi/", "planner/"}, []string{"k8s.io/", "sigs.k8s.io/", "github.com/tetratelabs/wazero", "google.golang.org/grpc"}},
	}
	for _, tc := range tests {
		t.Run(tc.pattern, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../"+strings.TrimPrefix(tc.pattern, "./")).CombinedOutput()
			if err != nil {
				t.Fatalf("go list: %v\n%s", err, out)
			}
			for _, dep := range strings.Fields(string(out)) {
				if rest, ours := strings.CutPrefix(dep, module); ours {
					allowed := false
					for _, prefix := range tc.mayImport {
						allowed = allowed || strings.HasPrefix(rest+"/", prefix)
					}
					if !allowed {
						t.Errorf("%s depends on %s; it may import only %v of wido", tc.pattern, dep, tc.mayImport)
					}
					continue
				}
				for _, bad := range tc.forbidden {
					if dep == bad || strings.HasPrefix(dep, bad+"/") || (strings.HasSuffix(bad, "/") && strings.HasPrefix(dep, bad)) {
						t.Errorf("%s depends on %s, which it must not", tc.pattern, dep)
					}
				}
			}
		})
	}
}
