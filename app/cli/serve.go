package cli

import (
	"context"
	"fmt"
	"net"

	"intracal/app"
	"intracal/config"
	"intracal/migrations"
)

// RunServe is `calendar serve [--demo] [--addr A] [--db D]`: serve until ctx is cancelled.
func RunServe(ctx context.Context, s Stdio, args []string) error { return runServe(ctx, s, args) }

// RunServeWith is RunServe with options for New: main passes the Graph adapter (app.WithGraph).
func RunServeWith(opts ...app.Option) func(ctx context.Context, s Stdio, args []string) error {
	return func(ctx context.Context, s Stdio, args []string) error { return runServe(ctx, s, args, opts...) }
}

func runServe(ctx context.Context, s Stdio, args []string, opts ...app.Option) error {
	fs := newFlags("serve", s)
	demo := fs.Bool("demo", false, "fill the database with demo users and events, and print their logins")
	addr := fs.String("addr", "", "listen address (overrides "+config.EnvAddr+")")
	db := fs.String("db", "", "database (overrides "+config.EnvDB+")")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := s.loadConfig(map[string]string{config.EnvAddr: *addr, config.EnvDB: *db})
	if err != nil {
		return err
	}
	s.Log.Info("starting", "config", cfg, "version", Version())
	gdb, err := app.OpenDatabase(ctx, cfg, s.Log)
	if err != nil {
		return err
	}
	defer app.CloseDatabase(gdb, s.Log) // last: after HTTP and background work have stopped

	a, err := app.New(cfg, s.Log, gdb, opts...)
	if err != nil {
		return err
	}
	if *demo {
		if err := a.SeedDemo(ctx, s.Out); err != nil {
			return fmt.Errorf("demo data: %w", err)
		}
	}
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (%s): %w", cfg.Addr, config.EnvAddr, err)
	}
	fmt.Fprintf(s.Out, "My Calendar is running at %s (listening on %s). Press Ctrl+C to stop.\n", cfg.SiteURL, ln.Addr())
	return a.Serve(ctx, ln)
}

// RunMigrate is `calendar migrate`: apply every pending migration.
func RunMigrate(ctx context.Context, s Stdio, args []string) error {
	if err := parseFlags(newFlags("migrate", s), args); err != nil {
		return err
	}
	cfg, err := s.loadConfig(nil)
	if err != nil {
		return err
	}
	db, err := migrations.Open(ctx, cfg.DB, s.Log)
	if err != nil {
		return err
	}
	defer app.CloseDatabase(db, s.Log)
	pending, err := migrations.Pending(ctx, db)
	if err != nil {
		return err
	}
	if err := migrations.Apply(ctx, db, s.Log); err != nil {
		return err
	}
	fmt.Fprintf(s.Err, "%d migration(s) applied; the schema is current.\n", len(pending))
	return nil
}
