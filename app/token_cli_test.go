package app

import (
	"io"
	"log/slog"
	"strings"
	"testing"

	"intracal/app/accounts"
	"intracal/config"
	"intracal/migrations"
)

func TestTokenListAndRevokeCommands(t *testing.T) {
	e := newCLIEnv(t)
	for _, m := range []string{"anna@example.com", "bob@example.com"} {
		if _, _, err := e.run(RunUser, "a long password\n", "add", "--email", m, "--name", m); err != nil {
			t.Fatal(err)
		}
	}
	annaToken, _, err := e.run(RunToken, "", "create", "--email", "anna@example.com", "--name", "backup\tjob", "--expires-in-days", "7")
	if err != nil {
		t.Fatal(err)
	}
	annaToken = strings.TrimSpace(annaToken)
	bobToken, _, err := e.run(RunToken, "", "create", "--email", "bob@example.com")
	if err != nil {
		t.Fatal(err)
	}
	bobToken = strings.TrimSpace(bobToken)

	out, _, err := e.run(RunToken, "", "list")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") || strings.Contains(out, annaToken) || strings.Contains(out, bobToken) ||
		!strings.Contains(out, annaToken[:accounts.TokenShownPrefix]+"…") || !strings.Contains(out, "backup job") {
		t.Fatalf("token list:\n%s", out)
	}
	out, _, err = e.run(RunToken, "", "list", "--user", "ANNA@example.com")
	if err != nil || strings.Count(strings.TrimSpace(out), "\n") != 1 || !strings.Contains(out, "anna@example.com") || strings.Contains(out, "bob@example.com") {
		t.Fatalf("token list --user: %v\n%s", err, out)
	}
	annaID := strings.Fields(strings.Split(out, "\n")[1])[0]
	if _, _, err := e.run(RunToken, "", "list", "--user", "nobody@example.com"); err == nil {
		t.Error("list for an unknown account succeeded")
	}

	for _, args := range [][]string{{"revoke"}, {"revoke", "x"}, {"revoke", "1", "2"}, {"revoke", "0"}, {"rotate"}, {"create", "--email", "anna@example.com", "--expires-in-days", "-1"}} {
		if _, _, err := e.run(RunToken, "", args...); err == nil || !strings.Contains(err.Error(), "usage") {
			t.Errorf("%v: err %v, want a usage error", args, err)
		}
	}
	if _, _, err := e.run(RunToken, "", "revoke", "999"); err == nil || !strings.Contains(err.Error(), "no API token with id 999") {
		t.Errorf("revoke of an unknown id: %v", err)
	}
	if _, stderr, err := e.run(RunToken, "", "revoke", annaID); err != nil || !strings.Contains(stderr, "Revoked API token "+annaID) {
		t.Fatalf("revoke: %v %q", err, stderr)
	}

	cfg, err := config.Load(func(k string) (string, bool) { v, ok := e.env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	db, err := migrations.Open(t.Context(), cfg.DB, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sqlDB, _ := db.DB(); sqlDB.Close() })
	a := newTestApp(t, db)
	if res := bearer(t, a, annaToken, "GET", "/api/v1/me", ""); res.StatusCode != 401 {
		t.Errorf("revoked token: %d, want 401", res.StatusCode)
	}
	if res := bearer(t, a, bobToken, "GET", "/api/v1/me", ""); res.StatusCode != 200 {
		t.Errorf("the other token: %d, want 200", res.StatusCode)
	}
	anna, _ := a.users.ByEmail(t.Context(), "anna@example.com")
	want := []string{"token_created by command line", "token_revoked by command line"}
	if got := auditActions(t, a, anna.ID); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("audit %q, want %q", got, want)
	}
}
