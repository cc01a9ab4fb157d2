package cli

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"intracal/app/internal/apptest"
	"intracal/config"
)

func TestRunServeServesUntilCancelled(t *testing.T) {
	e := newCLIEnv(t)
	e.env[config.EnvAddr] = "127.0.0.1:0"
	ctx, cancel := context.WithCancel(t.Context())
	var out apptest.SyncBuffer
	s := Stdio{Out: &out, Err: &apptest.SyncBuffer{}, Env: func(k string) (string, bool) { v, ok := e.env[k]; return v, ok }, Log: slog.New(slog.DiscardHandler)}
	done := make(chan error, 1)
	go func() { done <- RunServe(ctx, s, nil) }()

	var addr string
	deadline := time.Now().Add(30 * time.Second)
	for addr == "" && time.Now().Before(deadline) {
		if i := strings.Index(out.String(), "listening on "); i >= 0 {
			addr = strings.TrimSuffix(strings.Fields(out.String()[i+len("listening on "):])[0], ").")
		}
		time.Sleep(10 * time.Millisecond) // polling for start-up, not timing an assertion
	}
	if addr == "" {
		t.Fatalf("serve printed no address: %q", out.String())
	}
	res, err := http.Get("http://" + addr + "/login")
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("GET /login: %v %v", res, err)
	}
	res.Body.Close()
	cancel()
	if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
		t.Errorf("RunServe: %v", err)
	}
}
