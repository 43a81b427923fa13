// Command mutirao-ferretdb runs FerretDB v1 with its SQLite backend on one TCP address.
// `go install` of FerretDB's own command panics at start (it expects build/version/version.txt),
// so this wrapper starts it through the embeddable package instead.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
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
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/?_pragma=synchronous(" + *synchronous + ")",
	})
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	fmt.Fprintf(os.Stderr, "mutirao-ferretdb listening on %s, data in %s\n", *listen, abs)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}
