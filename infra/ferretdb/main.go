// Command mutirao-ferretdb runs FerretDB v1 with its SQLite backend on one TCP address.
// `go install` of FerretDB's own command panics at start (it expects build/version/version.txt),
// so this wrapper starts it through the embeddable package instead.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dir := flag.String("dir", "", "directory for the SQLite databases (created if missing)")
	// WAL with synchronous=NORMAL: a commit survives the death of any process, FerretDB's
	// included; only a power cut or a kernel crash may lose the last commits. FULL syncs the log at
	// every commit, which made each single-document write (one transaction each) 1.5-2.5 times slower.
	synchronous := flag.String("synchronous", "normal", "SQLite synchronous setting: normal or full")
	pprofAddr := flag.String("pprof", "", "serve Go's profiler (net/http/pprof) on this address, e.g. 127.0.0.1:6060")
	flag.Parse()

	if *dir == "" {
		log.Fatal("-dir is required")
	}
	if *synchronous != "normal" && *synchronous != "full" {
		log.Fatalf("-synchronous must be normal or full, got %q", *synchronous)
	}
	abs, err := filepath.Abs(*dir)
	if err != nil {
		log.Fatal(err)
	}
	// The SQLite URL must name an existing directory and end with a slash.
	if err := os.MkdirAll(abs, 0o755); err != nil {
		log.Fatal(err)
	}

	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    slog.New(&lazyHandler{inner: slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})}),
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/?_pragma=synchronous(" + *synchronous + ")",
	})
	if err != nil {
		log.Fatal(err)
	}

	if *pprofAddr != "" {
		go func() {
			log.Printf("pprof on http://%s/debug/pprof/: %v", *pprofAddr, http.ListenAndServe(*pprofAddr, nil))
		}()
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	fmt.Fprintf(os.Stderr, "mutirao-ferretdb listening on %s, data in %s\n", *listen, abs)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}

// lazyHandler keeps the attributes and groups a logger is given (slog's With and WithGroup) and
// hands them to the inner handler only when a record is logged. slog's own handlers format them
// at once: FerretDB calls With with every SQL statement's arguments (whole documents) before each
// debug line, so at the info level a tenth of its CPU went on formatting text nobody read.
type lazyHandler struct {
	inner slog.Handler
	steps []func(slog.Handler) slog.Handler
}

func (h *lazyHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

func (h *lazyHandler) Handle(ctx context.Context, r slog.Record) error {
	inner := h.inner
	for _, step := range h.steps {
		inner = step(inner)
	}
	return inner.Handle(ctx, r)
}

func (h *lazyHandler) with(step func(slog.Handler) slog.Handler) *lazyHandler {
	steps := make([]func(slog.Handler) slog.Handler, len(h.steps), len(h.steps)+1)
	copy(steps, h.steps)
	return &lazyHandler{inner: h.inner, steps: append(steps, step)}
}

func (h *lazyHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return h.with(func(inner slog.Handler) slog.Handler { return inner.WithAttrs(attrs) })
}

func (h *lazyHandler) WithGroup(name string) slog.Handler {
	return h.with(func(inner slog.Handler) slog.Handler { return inner.WithGroup(name) })
}
