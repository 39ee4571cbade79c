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
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("formaction demo: serving http://%s/login\n", ln.Addr())
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, ln, newServer(app.New(app.Options{}), productionTimeouts), productionTimeouts.shutdown); err != nil {
		log.Fatal(err)
	}
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
