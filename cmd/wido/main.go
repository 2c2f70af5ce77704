// Command wido is wido's command-line tool.
//
//	wido plan -f SCENARIO [-o text|json]   plan offline, print what wido would do
//	wido plugin validate PATH.wasm         check an actuator module, print its info
//	wido operator --prometheus-url URL     run the operator
//	wido version                           print the version
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `wido — intent-driven orchestration for Kubernetes

Usage:
  wido plan -f SCENARIO [-o text|json]   plan offline: what would wido do?
  wido plugin validate PATH.wasm         check an actuator module, print its info
  wido operator --prometheus-url URL     run the operator against the current cluster
  wido demo-app                          serve the metrics of make run's simulated service
  wido version                           print the version

Run "wido COMMAND -h" for a command's flags.
`

// run is main without the process: it returns the exit code. 0 is success,
// 1 a failure while working, 2 bad usage or bad input.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "plan":
		return runPlan(ctx, args[1:], stdin, stdout, stderr)
	case "demo-app":
		return runDemoApp(ctx, args[1:], stderr)
	case "operator":
		return runOperator(ctx, args[1:], stderr)
	case "plugin":
		return runPlugin(ctx, args[1:], stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "wido", version)
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "wido: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}
