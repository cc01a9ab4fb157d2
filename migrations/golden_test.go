package migrations

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gorm.io/driver/sqlserver"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

var update = flag.Bool("update", false, "rewrite testdata/sqlserver.golden.sql")

// recorder collects every statement gorm renders; in a dry run nothing reaches a server.
type recorder struct{ stmts []string }

func (r *recorder) LogMode(logger.LogLevel) logger.Interface { return r }
func (r *recorder) Info(context.Context, string, ...any)     {}
func (r *recorder) Warn(context.Context, string, ...any)     {}
func (r *recorder) Error(context.Context, string, ...any)    {}
func (r *recorder) Trace(_ context.Context, _ time.Time, fc func() (string, int64), _ error) {
	sql, _ := fc()
	r.stmts = append(r.stmts, sql)
}

// renderSQLServerDDL renders the DDL of schema_migrations and of every migration as gorm's SQL
// Server dialect writes it.
func renderSQLServerDDL(t *testing.T) string {
	t.Helper()
	rec := &recorder{}
	db, err := gorm.Open(sqlserver.Open("sqlserver://golden:golden@127.0.0.1:1?database=calendar"), &gorm.Config{
		DryRun:               true,
		DisableAutomaticPing: true,
		Logger:               rec,
	})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	section := func(title string, run func(tx *gorm.DB) error) {
		rec.stmts = nil
		if err := run(db); err != nil {
			t.Fatalf("%s: %v", title, err)
		}
		fmt.Fprintf(&out, "-- %s\n", title)
		for _, s := range rec.stmts {
			fmt.Fprintf(&out, "%s;\n", s)
		}
		out.WriteString("\n")
	}
	section("schema_migrations", func(tx *gorm.DB) error { return tx.Migrator().CreateTable(&schemaMigration{}) })
	for _, m := range All() {
		section(fmt.Sprintf("%04d %s", m.Version, m.Name), m.Up)
	}
	return out.String()
}

// TestSQLServerDDLGolden keeps the SQL Server DDL of every migration in review: no SQL Server
// runs here, so a change in what gorm renders must show up as a diff of the golden file.
// Run `go test ./migrations -update` to accept a deliberate change.
func TestSQLServerDDLGolden(t *testing.T) {
	got := renderSQLServerDDL(t)
	for _, table := range []string{"schema_migrations", "users", "sessions", "api_tokens", "login_failures"} {
		if !strings.Contains(got, `CREATE TABLE "`+table+`"`) {
			t.Errorf("rendered DDL has no CREATE TABLE for %s:\n%s", table, got)
		}
	}
	if n := strings.Count(got, "CREATE TABLE"); n < len(All())+1 {
		t.Errorf("rendered DDL has %d CREATE TABLE statements, want at least one per migration", n)
	}
	golden := filepath.Join("testdata", "sqlserver.golden.sql")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run: go test ./migrations -update)", err)
	}
	if got != string(want) {
		t.Errorf("SQL Server DDL differs from %s; if the change is deliberate, run go test ./migrations -update.\n%s",
			golden, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines only in want (-) and only in got (+), enough to spot drift.
func lineDiff(want, got string) string {
	count := map[string]int{}
	for _, l := range strings.Split(want, "\n") {
		count[l]++
	}
	var b strings.Builder
	for _, l := range strings.Split(got, "\n") {
		if count[l] > 0 {
			count[l]--
			continue
		}
		b.WriteString("+ " + l + "\n")
	}
	for _, l := range strings.Split(want, "\n") {
		if count[l] > 0 {
			count[l]--
			b.WriteString("- " + l + "\n")
		}
	}
	return b.String()
}
