package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// start serves h with the timeouts tt on 127.0.0.1 until the test ends
// or stop is called. done is closed when serve has returned, and wait
// gives what it returned.
func start(t *testing.T, h http.Handler, tt timeouts) (addr string, stop func(), done <-chan struct{}, wait func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan struct{})
	var serveErr error
	go func() {
		serveErr = serve(ctx, ln, newServer(h, tt), 5*time.Second)
		close(served)
	}()
	wait = func() error {
		select {
		case <-served:
			return serveErr
		case <-time.After(10 * time.Second):
			return errors.New("the server did not stop")
		}
	}
	t.Cleanup(func() {
		cancel()
		if err := wait(); err != nil {
			t.Error(err)
		}
	})
	return ln.Addr().String(), cancel, served, wait
}

var short = timeouts{readHeader: time.Second, read: time.Second, write: 2 * time.Second, idle: 500 * time.Millisecond}

// closedWithin waits for the server to end conn, reading (and discarding)
// whatever it answers first.
func closedWithin(conn net.Conn, d time.Duration) error {
	conn.SetReadDeadline(time.Now().Add(d))
	_, err := io.Copy(io.Discard, conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("the connection was still open after %v", d)
	}
	return nil
}

// A client that sends its body one byte at a time is cut off at the read
// timeout, not held for as long as it likes.
func TestSlowBodyIsCutOff(t *testing.T) {
	addr, _, _, _ := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
	}), short)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n")
	go func() {
		for range 100 {
			if _, err := conn.Write([]byte("a")); err != nil {
				return
			}
			time.Sleep(300 * time.Millisecond)
		}
	}()
	began := time.Now()
	if err := closedWithin(conn, 5*time.Second); err != nil {
		t.Fatal(err)
	}
	t.Logf("cut off after %v (the body would have taken 30 s)", time.Since(began).Round(time.Millisecond))
}

// An idle keep-alive connection is closed after the idle timeout.
func TestIdleConnectionIsClosed(t *testing.T) {
	addr, _, _, _ := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), short)
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("first request: %v %v", res, err)
	}
	res.Body.Close()
	if err := closedWithin(conn, 5*time.Second); err != nil {
		t.Fatal(err)
	}
}

// On shutdown (SIGTERM in main) the server stops taking connections and
// every request in flight still gets its answer before serve returns.
func TestShutdownLosesNoRequestInFlight(t *testing.T) {
	const n = 31
	var started sync.WaitGroup
	started.Add(n)
	release := make(chan struct{})
	var finished atomic.Int32
	addr, stop, done, wait := start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started.Done()
		<-release
		time.Sleep(50 * time.Millisecond)
		finished.Add(1)
		io.WriteString(w, "done")
	}), short)
	client := &http.Client{Transport: &http.Transport{MaxConnsPerHost: n}}
	statuses := make(chan int, n)
	for range n {
		go func() {
			res, err := client.Get("http://" + addr + "/")
			if err != nil {
				statuses <- 0
				return
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if string(body) != "done" {
				statuses <- -res.StatusCode
				return
			}
			statuses <- res.StatusCode
		}()
	}
	started.Wait()
	stop()
	time.Sleep(100 * time.Millisecond) // shutdown has begun
	select {
	case <-done:
		t.Fatalf("serve returned (%v) with %d requests in flight", wait(), n)
	default:
	}
	close(release)
	for range n {
		if s := <-statuses; s != 200 {
			t.Errorf("a request in flight got %d, want 200", s)
		}
	}
	if err := wait(); err != nil {
		t.Errorf("serve: %v", err)
	}
	if got := finished.Load(); got != n {
		t.Errorf("%d of %d handlers finished", got, n)
	}
	if _, err := client.Get("http://" + addr + "/"); err == nil {
		t.Error("the server still takes requests after shutdown")
	}
}
