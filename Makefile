# wido — see README.md. Every tool a target needs is installed by the target.

SHELL       := /usr/bin/env bash -o pipefail
GO          ?= go
BIN         := bin
VERSION     ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
# Packages whose code runs goroutines (checked with -race).
FUZZTIME    ?= 10s
# package:FuzzTarget pairs run by `make fuzz` (and so by `make test`).
FUZZ_TARGETS := ./cmd/wido/internal/scenario:FuzzDecode ./cmd/wido:FuzzPlanScenario ./abi/pluginpb:FuzzNextStateRequest

# Code generation tools, pinned; installed into $(TOOLS) by `make tools`.
TOOLS                   := $(CURDIR)/$(BIN)/tools
PROTOC_GEN_GO_VERSION   := v1.36.12
PROTOC_GEN_GRPC_VERSION := v1.5.1

.PHONY: all build run test unit vet fmt-check fuzz bench clean help generate tools

all: build

help:
	@echo "make run    - build wido and plan the sample scenario (the operator's local cluster arrives with the operator)"
	@echo "make test   - vet, gofmt check, unit tests with -race, short fuzz runs"
	@echo "make bench  - benchmarks (planner speed)"
	@echo "make build  - binaries in $(BIN)/"

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/ ./cmd/...

run: build
	$(BIN)/wido plan -f deploy/samples/scenario-golden.yaml

test: vet fmt-check unit fuzz

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

unit:
	$(GO) test -race -count=1 ./...

fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$name in $$pkg for $(FUZZTIME)"; \
		$(GO) test -run='^$$' -fuzz="^$$name$$" -fuzztime=$(FUZZTIME) $$pkg || exit 1; \
	done

bench:
	$(GO) test -run='^$$' -bench=. -benchmem -count=1 ./planner/...

# protoc comes from Debian (protobuf-compiler 3.21.12 on bookworm); the Go
# plugins from the Go module proxy at the versions above.
tools:
	@command -v protoc >/dev/null || { apt-get update -qq && apt-get install -y -qq protobuf-compiler; }
	@mkdir -p $(TOOLS)
	GOBIN=$(TOOLS) $(GO) install google.golang.org/protobuf/cmd/protoc-gen-go@$(PROTOC_GEN_GO_VERSION)
	GOBIN=$(TOOLS) $(GO) install google.golang.org/grpc/cmd/protoc-gen-go-grpc@$(PROTOC_GEN_GRPC_VERSION)

generate: tools
	PATH=$(TOOLS):$$PATH protoc -I abi/proto \
		--go_out=. --go_opt=module=github.com/wido-dev/wido \
		--go-grpc_out=. --go-grpc_opt=module=github.com/wido-dev/wido \
		abi/proto/plugins.proto

clean:
	rm -rf $(BIN)
