# wido — see README.md. Every tool a target needs is installed by the target.

SHELL       := /usr/bin/env bash -o pipefail
GO          ?= go
BIN         := bin
VERSION     ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS     := -s -w -X main.version=$(VERSION)
# Packages whose code runs goroutines (checked with -race).
FUZZTIME    ?= 10s
# package:FuzzTarget pairs run by `make fuzz` (and so by `make test`).
FUZZ_TARGETS := ./cmd/wido/internal/scenario:FuzzDecode ./cmd/wido:FuzzPlanScenario

.PHONY: all build run test unit vet fmt-check fuzz bench clean help

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

clean:
	rm -rf $(BIN)
