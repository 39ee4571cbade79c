// Command login is the demo app: the login page of SvelteKit's form actions
// documentation, served by formaction. `make demo` runs it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/formaction/formaction/example/login/app"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	dbPath := flag.String("db", "demo.db", "SQLite database file for users and sessions; created if missing")
	flag.Parse()

	if err := run(*addr, *dbPath); err != nil {
		log.Fatal(err)
	}
}

func run(addr, dbPath string) error {
	db, err := app.OpenDB(dbPath)
	if err != nil {
		return err
	}
	// Closed after serve returns, once the requests in flight are done.
	defer db.Close()
	h, err := app.New(app.Options{DB: db})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Printf("formaction demo: serving http://%s/login (database %s)\n", ln.Addr(), dbPath)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return serve(ctx, ln, newServer(h, productionTimeouts), productionTimeouts.shutdown)
}

// timeouts are the limits a server on the open internet needs: without
// them a client that sends one byte every few seconds, or keeps an idle
// connection, holds a goroutine and a socket for ever.
type timeouts struct {
	readHeader, read, write, idle, shutdown time.Duration
}

var productionTimeouts = timeouts{
	readHeader: 5 * time.Second,
	read:       30 * time.Second, // the whole request, a 10 MiB upload included
	write:      30 * time.Second,
	idle:       120 * time.Second,
	shutdown:   25 * time.Second, // within the 30 s most orchestrators wait after SIGTERM
}

func newServer(h http.Handler, t timeouts) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.readHeader,
		ReadTimeout:       t.read,
		WriteTimeout:      t.write,
		IdleTimeout:       t.idle,
		MaxHeaderBytes:    64 << 10,
	}
}

// serve runs srv on ln until ctx ends, then stops taking connections and
// waits for the requests in flight to finish (for at most grace) before it
// returns.
func serve(ctx context.Context, ln net.Listener, srv *http.Server, grace time.Duration) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	err := srv.Shutdown(shutdown)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}
