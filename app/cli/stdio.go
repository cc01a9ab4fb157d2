package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"intracal/app"
	"intracal/app/httpkit"
	"intracal/config"
)

// ErrUsage means the command line was wrong; the program exits with status 2.
var ErrUsage = errors.New("usage")

// Stdio is what a subcommand may touch of the process: its streams, its environment and the
// logger that main chose (whose level follows CALENDAR_LOG_LEVEL once it is read).
type Stdio struct {
	In       io.Reader
	Out      io.Writer
	Err      io.Writer
	Env      config.LookupEnv
	Log      *slog.Logger
	LogLevel *slog.LevelVar
}

// loadConfig reads the configuration, with flags that mirror variables laid over it.
func (s Stdio) loadConfig(overrides map[string]string) (config.Config, error) {
	env := s.Env
	if len(overrides) > 0 {
		env = func(k string) (string, bool) {
			if v, ok := overrides[k]; ok && v != "" {
				return v, true
			}
			return s.Env(k)
		}
	}
	cfg, err := config.Load(env)
	if err != nil {
		return config.Config{}, err
	}
	if s.LogLevel != nil {
		s.LogLevel.Set(cfg.LogLevel)
	}
	return cfg, nil
}

func newFlags(name string, s Stdio) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(s.Err)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return fmt.Errorf("%w: see the flags above", ErrUsage)
		}
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected arguments %q", ErrUsage, fs.Args())
	}
	return nil
}

// withApp runs fn with an app on the configured, current database.
func withApp(ctx context.Context, s Stdio, fn func(a *app.App) error) error {
	cfg, err := s.loadConfig(nil)
	if err != nil {
		return err
	}
	db, err := app.OpenDatabase(ctx, cfg, s.Log)
	if err != nil {
		return err
	}
	defer app.CloseDatabase(db, s.Log)
	a, err := app.New(cfg, s.Log, db)
	if err != nil {
		return err
	}
	return fn(a)
}

// describe turns validation errors into one readable line for the command line.
func describe(err error) error {
	var e *httpkit.Error
	if c := httpkit.Classify(err); c.Status == 422 && c.Fields != nil {
		parts := make([]string, 0, len(c.Fields))
		for f, m := range c.Fields {
			parts = append(parts, f+": "+m)
		}
		return errors.New(strings.Join(parts, "; "))
	} else if errors.As(err, &e) {
		return errors.New(e.Message)
	}
	return err
}
