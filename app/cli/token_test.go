package cli

import (
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/app/internal/apptest"
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
	a := newApp(t, db)
	me := func(token string) int {
		return apptest.NewBrowser(t, a.Handler()).Do("GET", "/api/v1/me", nil, map[string][]string{"Authorization": {"Bearer " + token}}).StatusCode
	}
	if code := me(annaToken); code != 401 {
		t.Errorf("revoked token: %d, want 401", code)
	}
	if code := me(bobToken); code != 200 {
		t.Errorf("the other token: %d, want 200", code)
	}
	anna, _ := a.Users().ByEmail(t.Context(), "anna@example.com")
	want := []string{"token_created by command line", "token_revoked by command line"}
	if got := auditActions(t, db, anna.ID); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("audit %q, want %q", got, want)
	}
}

// auditActions lists the account audit of a user, oldest first, as "action by actor".
func auditActions(t *testing.T, db *gorm.DB, userID int64) []string {
	t.Helper()
	list, err := accounts.NewAudit(db, time.Now).List(t.Context(), userID, 100)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(list))
	for i, ch := range list {
		out[len(list)-1-i] = ch.Action + " by " + ch.Actor
	}
	return out
}
