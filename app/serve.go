package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// shutdownGrace is how long requests in flight, then background work, get to finish.
const shutdownGrace = 10 * time.Second

// Serve answers HTTP on ln until ctx is cancelled, then shuts down in order: HTTP first (no new
// requests, those in flight finish), then the background work, then the stop hooks. The caller
// closes the database after Serve returns.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           a.echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(a.log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}

	bgCtx, stopBackground := context.WithCancel(context.WithoutCancel(ctx))
	defer stopBackground()
	var wg sync.WaitGroup
	a.mu.Lock()
	jobs := append([]backgroundJob(nil), a.background...)
	a.mu.Unlock()
	for _, job := range jobs {
		wg.Go(func() {
			if err := job.run(bgCtx); err != nil && !errors.Is(err, context.Canceled) {
				a.log.Error("background work stopped", "job", job.name, "err", err)
			}
		})
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	var serveErr error
	select {
	case err := <-served:
		serveErr = fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
		a.log.Info("shutting down")
	}

	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		a.log.Warn("http shutdown", "err", err)
	}

	stopBackground()
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-shutdownCtx.Done():
		a.log.Warn("background work did not stop in time")
	}

	a.mu.Lock()
	hooks := append([]stopHook(nil), a.onStop...)
	a.mu.Unlock()
	for i := len(hooks) - 1; i >= 0; i-- {
		if err := hooks[i].fn(shutdownCtx); err != nil {
			a.log.Warn("stop hook failed", "hook", hooks[i].name, "err", err)
		}
	}
	return serveErr
}
