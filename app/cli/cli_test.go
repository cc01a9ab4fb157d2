package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"intracal/app"
	"intracal/app/accounts"
	"intracal/app/internal/apptest"
	"intracal/config"
	"intracal/migrations"
)

// testSecret is a client secret that no output may show.
const testSecret = "Zq8~s3cr3t.Value-that-must-never-show"

// newApp is the web app on db, as the commands left it, to see that what they stored works.
func newApp(t *testing.T, db *gorm.DB) *app.App {
	t.Helper()
	site, _ := url.Parse("http://calendar.test")
	cfg := config.Config{Addr: "127.0.0.1:0", SiteURL: site, DataDir: t.TempDir()}
	for i := range cfg.SecretKey {
		cfg.SecretKey[i] = byte(100 + i)
	}
	a, err := app.New(cfg, slog.New(slog.DiscardHandler), db, app.WithBcryptCost(bcrypt.MinCost))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// cliEnv runs subcommands against a SQLite database in a temporary data directory.
type cliEnv struct {
	t   *testing.T
	env map[string]string
}

func newCLIEnv(t *testing.T) *cliEnv {
	return &cliEnv{t: t, env: map[string]string{config.EnvDataDir: t.TempDir()}}
}

func (e *cliEnv) run(cmd func(context.Context, Stdio, []string) error, stdin string, args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	s := Stdio{
		In:  strings.NewReader(stdin),
		Out: &out,
		Err: &errOut,
		Env: func(k string) (string, bool) { v, ok := e.env[k]; return v, ok },
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	err = cmd(e.t.Context(), s, args)
	return out.String(), errOut.String(), err
}

func TestUserAddAndTokenCreate(t *testing.T) {
	e := newCLIEnv(t)
	pwFile := filepath.Join(t.TempDir(), "pw")
	if err := os.WriteFile(pwFile, []byte("from the file\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	out, _, err := e.run(RunUser, "", "add", "--email", "Anna@Example.com", "--name", "Anna", "--admin", "--password-file", pwFile)
	if err != nil || out != "" {
		t.Fatalf("user add with a file: out %q, err %v; want no output", out, err)
	}
	out, _, err = e.run(RunUser, "piped secret\n", "add", "--email", "bob@example.com", "--name", "Bob")
	if err != nil || out != "" {
		t.Fatalf("user add from stdin: out %q, err %v", out, err)
	}
	out, _, err = e.run(RunUser, "", "add", "--email", "carl@example.com", "--name", "Carl")
	if err != nil || !strings.HasPrefix(out, "Password for carl@example.com: ") {
		t.Fatalf("user add with a generated password: out %q, err %v", out, err)
	}
	generated := strings.TrimSpace(strings.TrimPrefix(out, "Password for carl@example.com: "))

	_, _, err = e.run(RunUser, "", "add", "--email", "anna@example.com", "--name", "Again")
	if err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("duplicate user: err %v", err)
	}

	out, _, err = e.run(RunToken, "", "create", "--email", "ANNA@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, accounts.APITokenPrefix) {
		t.Fatalf("token create printed %q, want the token alone on one line", out)
	}
	token := strings.TrimSpace(out)
	if _, _, err := e.run(RunToken, "", "create", "--email", "nobody@example.com"); err == nil {
		t.Error("token for an unknown account was created")
	}

	// What the commands stored works in the app.
	cfg, err := config.Load(func(k string) (string, bool) { v, ok := e.env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	db, err := migrations.Open(t.Context(), cfg.DB, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB, _ := db.DB(); sqlDB.Close() })
	a := newApp(t, db)
	apptest.NewBrowser(t, a.Handler()).Login("anna@example.com", "from the file")
	apptest.NewBrowser(t, a.Handler()).Login("bob@example.com", "piped secret")
	apptest.NewBrowser(t, a.Handler()).Login("carl@example.com", generated)
	res := apptest.NewBrowser(t, a.Handler()).Do("GET", "/api/v1/me", nil, map[string][]string{"Authorization": {"Bearer " + token}})
	if body := apptest.ReadBody(res); res.StatusCode != 200 || !strings.Contains(body, `"isAdmin":true`) {
		t.Errorf("token from the command: %d %s", res.StatusCode, body)
	}
}

func TestCommandLineMistakesAreUsageErrors(t *testing.T) {
	e := newCLIEnv(t)
	tests := []struct {
		name string
		cmd  func(context.Context, Stdio, []string) error
		args []string
	}{
		{"user without sub-command", RunUser, nil},
		{"user remove", RunUser, []string{"remove"}},
		{"user add without email", RunUser, []string{"add", "--name", "X"}},
		{"user add unknown flag", RunUser, []string{"add", "--email", "x@example.com", "--name", "X", "--root"}},
		{"token without email", RunToken, []string{"create"}},
		{"migrate with arguments", RunMigrate, []string{"now"}},
		{"serve unknown flag", RunServe, []string{"--fast"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := e.run(tt.cmd, "", tt.args...); !errors.Is(err, ErrUsage) {
				t.Errorf("err = %v, want ErrUsage", err)
			}
		})
	}
}

func TestBadConfigurationStopsCommands(t *testing.T) {
	e := newCLIEnv(t)
	e.env[config.EnvDB] = "mysql://x"
	_, _, err := e.run(RunMigrate, "")
	if err == nil || !strings.Contains(err.Error(), config.EnvDB) {
		t.Errorf("err = %v, want one naming %s", err, config.EnvDB)
	}
}

func TestMigrateCommand(t *testing.T) {
	e := newCLIEnv(t)
	_, stderr, err := e.run(RunMigrate, "")
	if err != nil || !strings.Contains(stderr, "schema is current") {
		t.Fatalf("migrate: %v, %q", err, stderr)
	}
	_, stderr, err = e.run(RunMigrate, "")
	if err != nil || !strings.HasPrefix(stderr, "0 migration(s) applied") {
		t.Errorf("second migrate: %v, %q", err, stderr)
	}
}
