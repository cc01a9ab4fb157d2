package app

import (
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"intracal/migrations/dbtest"
)

// TestShutdownOrder checks the order of a graceful shutdown: HTTP stops first, then the
// background work is cancelled and waited for, then the stop hooks run.
func TestShutdownOrder(t *testing.T) {
	db := dbtest.SQLite(t)
	a := newTestApp(t, db)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/healthz"

	var mu sync.Mutex
	var events []string
	record := func(s string) { mu.Lock(); events = append(events, s); mu.Unlock() }
	started := make(chan struct{})
	a.Background("probe", func(ctx context.Context) error {
		close(started)
		<-ctx.Done()
		// By now the server must refuse new connections.
		if _, err := http.Get(url); err == nil {
			record("http still up when background work was stopped")
		}
		record("background stopped")
		return ctx.Err()
	})
	a.OnStop("first", func(context.Context) error { record("hook first"); return nil })
	a.OnStop("second", func(context.Context) error { record("hook second"); return nil })

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln) }()
	<-started
	res, err := http.Get(url)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("serving: %v %v", res, err)
	}
	res.Body.Close()

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Serve: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Serve did not return after cancellation")
	}
	want := []string{"background stopped", "hook second", "hook first"}
	if strings.Join(events, "|") != strings.Join(want, "|") {
		t.Errorf("shutdown order %q, want %q", events, want)
	}
}
