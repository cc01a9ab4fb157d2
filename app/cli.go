package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"strings"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/config"
	"intracal/migrations"
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

// RunServe is `calendar serve [--demo] [--addr A] [--db D]`: serve until ctx is cancelled.
func RunServe(ctx context.Context, s Stdio, args []string) error { return runServe(ctx, s, args) }

// RunServeWith is RunServe with options for New: main passes the Graph adapter (WithGraph).
func RunServeWith(opts ...Option) func(ctx context.Context, s Stdio, args []string) error {
	return func(ctx context.Context, s Stdio, args []string) error { return runServe(ctx, s, args, opts...) }
}

func runServe(ctx context.Context, s Stdio, args []string, opts ...Option) error {
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
	gdb, err := openDatabase(ctx, cfg, s.Log)
	if err != nil {
		return err
	}
	defer closeDatabase(gdb, s.Log) // last: after HTTP and background work have stopped

	a, err := New(cfg, s.Log, gdb, opts...)
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
	defer closeDatabase(db, s.Log)
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

// RunUser is `calendar user add --email E --name N [--admin] [--password-file F] [--time-zone Z]`.
// The password comes from the file, else from standard input when that is not a terminal,
// else it is generated and printed once.
func RunUser(ctx context.Context, s Stdio, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("%w: calendar user add --email E --name N [--admin] [--password-file F]", ErrUsage)
	}
	fs := newFlags("user add", s)
	email := fs.String("email", "", "e-mail address (required)")
	name := fs.String("name", "", "display name (required)")
	admin := fs.Bool("admin", false, "make the user a site administrator")
	pwFile := fs.String("password-file", "", "read the password from this file")
	zone := fs.String("time-zone", "UTC", "IANA time zone of the user's profile")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *email == "" || *name == "" {
		return fmt.Errorf("%w: --email and --name are required", ErrUsage)
	}
	password, generated, err := readPassword(s.In, *pwFile)
	if err != nil {
		return err
	}
	return withApp(ctx, s, func(a *App) error {
		u, err := a.users.Create(ctx, accounts.NewUser{Email: *email, Name: *name, Password: password, IsAdmin: *admin, TimeZone: *zone})
		if err != nil {
			return describe(err)
		}
		role := "member"
		if u.IsAdmin {
			role = "administrator"
		}
		fmt.Fprintf(s.Err, "Created %s %s (%s), id %d.\n", role, u.Email, u.Name, u.ID)
		if generated {
			fmt.Fprintf(s.Out, "Password for %s: %s\n", u.Email, password)
		}
		return nil
	})
}

// withApp runs fn with an app on the configured, current database.
func withApp(ctx context.Context, s Stdio, fn func(a *App) error) error {
	cfg, err := s.loadConfig(nil)
	if err != nil {
		return err
	}
	db, err := openDatabase(ctx, cfg, s.Log)
	if err != nil {
		return err
	}
	defer closeDatabase(db, s.Log)
	a, err := New(cfg, s.Log, db)
	if err != nil {
		return err
	}
	return fn(a)
}

// readPassword takes the password from a file, from piped standard input, or generates one.
func readPassword(in io.Reader, file string) (password string, generated bool, err error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", false, fmt.Errorf("--password-file: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), false, nil
	}
	if in != nil && !isTerminal(in) {
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", false, fmt.Errorf("read password from standard input: %w", err)
		}
		if pw := strings.TrimRight(line, "\r\n"); pw != "" {
			return pw, false, nil
		}
	}
	return accounts.RandomToken()[:20], true, nil
}

// isTerminal reports whether r is an interactive terminal (a character device).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
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

// Version names this build: the module version and, when known, the commit.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "calendar (unknown build)"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+changes"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		return fmt.Sprintf("calendar %s (%s%s, %s)", v, rev, modified, info.GoVersion)
	}
	return fmt.Sprintf("calendar %s (%s)", v, info.GoVersion)
}
