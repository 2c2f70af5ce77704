# wido — see README.md. Every tool a target needs is installed by the target.

SHELL       := /usr/bin/env bash -o pipefail
GO          ?= go
BIN         := bin
VERSION     ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
# Packages whose code runs goroutines (checked with -race).
FUZZTIME    ?= 10s
# package:FuzzTarget pairs run by `make fuzz` (and so by `make test`).
FUZZ_TARGETS := ./cmd/wido/internal/scenario:FuzzDecode ./cmd/wido:FuzzPlanScenario ./abi/pluginpb:FuzzNextStateRequest ./abi/wire:FuzzDecodeNextStateRequest ./abi/wire:FuzzDecodeNextStateResponse ./abi/wire:FuzzDecodeEnvelope

# Code generation tools, pinned; installed into $(TOOLS) by `make tools`.
TOOLS                   := $(CURDIR)/$(BIN)/tools
PROTOC_GEN_GO_VERSION   := v1.36.12
PROTOC_GEN_GRPC_VERSION := v1.5.1
CONTROLLER_GEN_VERSION  := v0.23.0

# The shipped actuators, each built to $(PLUGINS)/<name>.wasm from
# plugins/<name>/wasm with the Go guest SDK.
PLUGINS    := $(BIN)/plugins
GO_PLUGINS := scaleout rmpod scalecpu
WAT_FIXTURES := $(wildcard wasmhost/testdata/*.wat)

# Actuators written in C (plugins/examples), built with clang for wasm32-wasi
# as WASI reactors; the toolchain comes from Debian (`make wasm-toolchain`).
# WASI_SYSROOT is only needed for a wasi-libc outside Debian's paths
# (e.g. a wasi-sdk's share/wasi-sysroot).
C_PLUGINS      := $(PLUGINS)/c-scaleup.wasm
CLANG          ?= clang
WASI_SYSROOT   ?=
WASM_CFLAGS    := --target=wasm32-wasi -mexec-model=reactor -O2 -mbulk-memory -std=c11 -Wall -Wextra -Wpedantic -Werror \
                  $(if $(WASI_SYSROOT),--sysroot=$(WASI_SYSROOT))
WASM_LDFLAGS   := -Wl,--strip-all
WASM_TOOLCHAIN := clang lld wasi-libc libclang-rt-dev-wasm32

.PHONY: all build run plan test unit vet fmt-check fuzz bench clean help generate tools plugins FORCE
.PHONY: wasm-toolchain manifests k8s-tools prometheus

all: build

help:
	@echo "make run    - a local cluster (kwok nodes) with Prometheus, a demo workload and wido operator on it"
	@echo "make plan   - plan the golden scenario offline"
	@echo "make test   - vet, gofmt check, unit tests with -race, short fuzz runs"
	@echo "make bench  - benchmarks (planner, wire codec, Wasm host, golden case native vs Wasm)"
	@echo "make build  - binaries in $(BIN)/"

build: plugins
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/ ./cmd/...

# Go's build cache decides what is out of date, so the rule always runs go build.
plugins: $(GO_PLUGINS:%=$(PLUGINS)/%.wasm)

$(PLUGINS)/%.wasm: FORCE
	@mkdir -p $(PLUGINS)
	GOOS=wasip1 GOARCH=wasm $(GO) build -trimpath -buildmode=c-shared -ldflags='-s -w' -o $@ ./plugins/$*/wasm

plugins: $(C_PLUGINS)

# An explicit rule, so the Go pattern rule above does not apply.
$(PLUGINS)/c-scaleup.wasm: $(wildcard plugins/examples/c-scaleup/*.[ch]) | wasm-toolchain
	@mkdir -p $(@D)
	$(CLANG) $(WASM_CFLAGS) $(WASM_LDFLAGS) -o $@ $(filter %.c,$^)

# clang 14, wasm-ld, wasi-libc and compiler-rt's wasm32 builtins from Debian
# (bookworm); skipped when clang already finds all of them.
wasm-toolchain:
	@if command -v $(CLANG) >/dev/null && command -v wasm-ld >/dev/null \
		&& [ -e "$$($(CLANG) --target=wasm32-wasi $(if $(WASI_SYSROOT),--sysroot=$(WASI_SYSROOT)) -print-file-name=libc.a)" ] \
		&& [ -e "$$($(CLANG) --target=wasm32-wasi -print-libgcc-file-name)" ]; then \
		echo "wasm-toolchain: clang, wasm-ld and wasi-libc present"; \
	else \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $(WASM_TOOLCHAIN); \
	fi

# A local cluster (etcd, kube-apiserver, controller-manager, scheduler, two
# kwok nodes), Prometheus, the demo workload and wido operator in the
# foreground; see hack/cluster/run.sh. Ctrl-C stops it all.
run: build prometheus
	hack/cluster/run.sh

# The planner alone, offline, on the golden scenario.
plan: build
	$(BIN)/wido plan -f deploy/samples/scenario-golden.yaml

test: vet fmt-check unit fuzz

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

# The C guest's test needs the wasm32 C toolchain and the operator's tests a
# real etcd and kube-apiserver (envtest, KUBEBUILDER_ASSETS), built from Go
# modules by hack/k8s-tools/build.sh into a cache outside the checkout (5-15
# minutes the first time). With WIDO_REQUIRE_TOOLCHAINS=1 a test whose
# toolchain is missing fails instead of skipping.
unit: wasm-toolchain prometheus
	assets=$$(hack/k8s-tools/build.sh) && \
	KUBEBUILDER_ASSETS=$$assets WIDO_REQUIRE_TOOLCHAINS=1 $(GO) test -race -count=1 ./...

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name in $$pkg for $(FUZZTIME)"; \
		$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	done

# Planner speed, the wire codec, the Wasm boundary (empty calls, compile,
# instantiate, module sizes), the golden case native vs Wasm, and a planning
# round of 500 Intents against a real API server and Prometheus.
bench: plugins prometheus
	$(GO) test -run='^$$' -bench=. -benchmem -count=1 ./planner/... ./abi/wire/... ./wasmhost/...
	WIDO_PLUGINS_DIR=$(CURDIR)/$(PLUGINS) $(GO) test -run='^$$' -bench=. -benchmem -count=1 ./cmd/wido/
	assets=$$(hack/k8s-tools/build.sh) && KUBEBUILDER_ASSETS=$$assets \
	$(GO) test -run='^$$' -bench=PlanningRound -benchtime=3x -timeout=20m ./operator/controllers/intent/

# protoc (protobuf-compiler 3.21.12 on bookworm) and wat2wasm (wabt, for the
# Wasm test fixtures) come from Debian; the Go plugins from the Go module
# proxy at the versions above.
tools:
	@command -v protoc >/dev/null && command -v wat2wasm >/dev/null || { apt-get update -qq && apt-get install -y -qq protobuf-compiler wabt; }
	@mkdir -p $(TOOLS)
	GOBIN=$(TOOLS) $(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)
	GOBIN=$(TOOLS) $(GO) install google.golang.org/grpc/cmd/protoc-gen-go-grpc@$(PROTOC_GEN_GRPC_VERSION)
	GOBIN=$(TOOLS) $(GO) install sigs.k8s.io/controller-tools/cmd/controller-gen@$(CONTROLLER_GEN_VERSION)

generate: tools
	PATH=$(TOOLS):$$PATH protoc -I abi/proto \
		--go_out=. --go_opt=module=github.com/wido-dev/wido \
		--go-grpc_out=. --go-grpc_opt=module=github.com/wido-dev/wido \
		abi/proto/plugins.proto
	for f in $(WAT_FIXTURES); do wat2wasm "$$f" -o "$${f%.wat}.wasm" || exit 1; done

# CRDs (deploy/crds) and deep-copy code from the API types in operator/api,
# and the operator's ClusterRole (deploy/rbac/role.yaml) from operator/rbac.go.
# Floats are allowed: objective values and priorities are IDO's floats.
manifests: tools
	$(TOOLS)/controller-gen object paths=./operator/api/...
	$(TOOLS)/controller-gen crd:allowDangerousTypes=true paths=./operator/api/... output:crd:artifacts:config=deploy/crds
	$(TOOLS)/controller-gen rbac:roleName=wido-operator paths=./operator/... output:rbac:artifacts:config=deploy/rbac

# A real Prometheus for the telemetry tests: Debian's prometheus (2.42); the
# package starts no daemon here, tests run it on a loopback port.
prometheus:
	@command -v prometheus >/dev/null || { apt-get update -qq && apt-get install -y -qq --no-install-recommends prometheus; }

# Builds etcd, kube-apiserver, kube-controller-manager, kube-scheduler,
# kubectl and kwok v1.37.2 (5-15 minutes cold on 2 cores, then cached) and
# prints where they are.
k8s-tools:
	@hack/k8s-tools/build.sh

FORCE:

clean:
	rm -rf $(BIN)
