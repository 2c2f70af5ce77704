package main

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func runPlugin(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "validate" {
		fmt.Fprint(stderr, "Usage: wido plugin validate [--config KEY=VALUE]... [-o text|json] PATH.wasm\n")
		return 2
	}
	return runValidate(ctx, args[1:], stdout, stderr)
}

// validation is what `wido plugin validate -o json` prints.
type validation struct {
	Path        string `json:"path"`
	Valid       bool   `json:"valid"`
	Kind        string `json:"kind,omitempty"`
	Name        string `json:"name,omitempty"`
	Group       string `json:"group,omitempty"`
	Version     string `json:"version,omitempty"`
	Size        int    `json:"size"`
	GzippedSize int    `json:"gzippedSize"`
	// FitsConfigMap says whether the gzipped module fits a ConfigMap's
	// binaryData (1 MiB for the whole object).
	FitsConfigMap bool   `json:"fitsConfigMap"`
	Error         string `json:"error,omitempty"`
}

// configMapLimit is the most a ConfigMap may hold.
const configMapLimit = 1 << 20

func runValidate(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("wido plugin validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	output := fs.String("o", "text", "output format: text or json")
	config := map[string]string{}
	fs.Func("config", "configuration `KEY=VALUE` passed to the module's describe (repeatable)", func(kv string) error {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return fmt.Errorf("want KEY=VALUE, got %q", kv)
		}
		config[k] = v
		return nil
	})
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: wido plugin validate [--config KEY=VALUE]... [-o text|json] PATH.wasm\n\nLoads an actuator module the way the operator does (validation, describe\nunder its deadline) and prints what it is, or exactly why it is refused.\nExit 0: valid; 1: refused; 2: bad usage.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 || (*output != "text" && *output != "json") {
		fs.Usage()
		return 2
	}
	path := fs.Arg(0)
	wasm, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "wido plugin validate: %v\n", err)
		return 2
	}
	v := validation{Path: path, Size: len(wasm), GzippedSize: gzippedSize(wasm)}
	v.FitsConfigMap = v.GzippedSize < configMapLimit
	if err := validate(ctx, path, wasm, config, &v); err != nil {
		v.Error = err.Error()
	}
	if *output == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(v)
	} else if v.Valid {
		fmt.Fprintf(stdout, "%s: valid\n  kind:     %s\n  name:     %s\n  group:    %s\n  version:  %s\n  size:     %d bytes, %d gzipped", path, v.Kind, v.Name, v.Group, orDash(v.Version), v.Size, v.GzippedSize)
		if !v.FitsConfigMap {
			fmt.Fprint(stdout, " (too large for a ConfigMap)")
		}
		fmt.Fprintln(stdout)
	} else {
		fmt.Fprintln(stderr, v.Error)
	}
	if !v.Valid {
		return 1
	}
	return 0
}

func validate(ctx context.Context, path string, wasm []byte, config map[string]string, v *validation) error {
	h, err := newWasmHost(ctx)
	if err != nil {
		return err
	}
	defer h.Close(context.WithoutCancel(ctx))
	m, err := h.Load(ctx, path, wasm, config)
	if err != nil {
		return err
	}
	info := m.Info()
	v.Valid, v.Kind, v.Name, v.Group, v.Version = true, m.Kind().String(), info.Name, info.Group, info.Version
	return nil
}

func gzippedSize(b []byte) int {
	var n countingWriter
	zw, _ := gzip.NewWriterLevel(&n, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return int(n)
}

type countingWriter int

func (c *countingWriter) Write(p []byte) (int, error) {
	*c += countingWriter(len(p))
	return len(p), nil
}
