package config

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// env builds a LookupEnv from pairs; the data directory defaults to a temp dir so that tests
// never write into the working directory.
func env(t *testing.T, pairs ...string) LookupEnv {
	t.Helper()
	m := map[string]string{EnvDataDir: t.TempDir()}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i]] = pairs[i+1]
	}
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

var testKey = base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))

func TestLoadDefaults(t *testing.T) {
	e := env(t)
	dataDir, _ := e(EnvDataDir)
	c, err := Load(e)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" {
		t.Errorf("Addr = %q", c.Addr)
	}
	if c.DB.Driver != SQLite || c.DB.DSN != filepath.Join(dataDir, "calendar.db") {
		t.Errorf("DB = %+v, want sqlite in the data dir", c.DB)
	}
	if got := c.SiteURL.String(); got != "http://127.0.0.1:8080" {
		t.Errorf("SiteURL = %q", got)
	}
	if c.SecureCookies() {
		t.Error("SecureCookies on an http site")
	}
	if got := c.MSLoginURL.String(); got != "https://login.microsoftonline.com" {
		t.Errorf("MSLoginURL = %q", got)
	}
	if got := c.MSGraphURL.String(); got != "https://graph.microsoft.com" {
		t.Errorf("MSGraphURL = %q", got)
	}
	if c.SyncInterval != 5*time.Minute {
		t.Errorf("SyncInterval = %s", c.SyncInterval)
	}
	if c.LogLevel != slog.LevelInfo {
		t.Errorf("LogLevel = %s", c.LogLevel)
	}
	if c.SecretKey.IsZero() {
		t.Error("no secret key generated")
	}
	if want := 4 * runtime.GOMAXPROCS(0); c.MaxListings != want || DefaultMaxListings() != want {
		t.Errorf("MaxListings = %d, want 4 per CPU: %d", c.MaxListings, want)
	}
}

func TestLoadDefaultDataDirIsData(t *testing.T) {
	// Run in a temp working directory: the default data dir "data" is relative to it.
	t.Chdir(t.TempDir())
	c, err := Load(func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	if c.DataDir != "data" || c.DB.DSN != filepath.Join("data", "calendar.db") {
		t.Errorf("DataDir = %q, DB = %q; want data and data/calendar.db", c.DataDir, c.DB.DSN)
	}
	if _, err := os.Stat(filepath.Join("data", "secret.key")); err != nil {
		t.Errorf("generated key not in data/: %v", err)
	}
}

func TestLoadValues(t *testing.T) {
	c, err := Load(env(t,
		EnvAddr, "0.0.0.0:9000",
		EnvDB, "postgresql://cal:pw@db.internal:5432/calendar?sslmode=disable",
		EnvSiteURL, "https://calendar.example.com/",
		EnvSecretKey, testKey,
		EnvLogLevel, "debug",
		EnvMSLoginURL, "http://127.0.0.1:9999/login/",
		EnvMSGraphURL, "http://127.0.0.1:9999/graph",
		EnvSyncInterval, "90s",
		EnvTrustedProxies, "10.0.0.0/8, 192.168.1.1",
		EnvMaxListings, "24",
	))
	if err != nil {
		t.Fatal(err)
	}
	if c.DB.Driver != Postgres || c.DB.IsSQLite() {
		t.Errorf("DB = %+v", c.DB)
	}
	if got := c.SiteURL.String(); got != "https://calendar.example.com" {
		t.Errorf("SiteURL = %q (trailing slash must go)", got)
	}
	if !c.SecureCookies() {
		t.Error("SecureCookies off on an https site")
	}
	if string(c.SecretKey.Bytes()) != "0123456789abcdef0123456789abcdef" {
		t.Error("secret key not decoded")
	}
	if c.LogLevel != slog.LevelDebug {
		t.Errorf("LogLevel = %s", c.LogLevel)
	}
	if got := c.MSLoginURL.String(); got != "http://127.0.0.1:9999/login" {
		t.Errorf("MSLoginURL = %q", got)
	}
	if c.SyncInterval != 90*time.Second {
		t.Errorf("SyncInterval = %s", c.SyncInterval)
	}
	if len(c.TrustedProxies) != 2 || c.TrustedProxies[1].String() != "192.168.1.1/32" {
		t.Errorf("TrustedProxies = %v", c.TrustedProxies)
	}
	if c.MaxListings != 24 {
		t.Errorf("MaxListings = %d, want 24", c.MaxListings)
	}
}

func TestDefaultSiteURLFollowsAddr(t *testing.T) {
	tests := []struct{ addr, want string }{
		{"127.0.0.1:9090", "http://127.0.0.1:9090"},
		{":8080", "http://localhost:8080"},
		{"0.0.0.0:80", "http://localhost:80"},
		{"[::1]:8080", "http://[::1]:8080"},
	}
	for _, tt := range tests {
		t.Run(tt.addr, func(t *testing.T) {
			c, err := Load(env(t, EnvAddr, tt.addr, EnvSecretKey, testKey))
			if err != nil {
				t.Fatal(err)
			}
			if got := c.SiteURL.String(); got != tt.want {
				t.Errorf("SiteURL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseDatabase(t *testing.T) {
	tests := []struct {
		name, in, driver, dsn string
	}{
		{"sqlite path", "sqlite:data/calendar.db", SQLite, "data/calendar.db"},
		{"sqlite absolute", "sqlite:/var/lib/cal/c.db", SQLite, "/var/lib/cal/c.db"},
		{"postgres", "postgres://u:p@h/db", Postgres, "postgres://u:p@h/db"},
		{"postgresql", "postgresql://u@h:5433/db?sslmode=require", Postgres, "postgresql://u@h:5433/db?sslmode=require"},
		{"sqlserver", "sqlserver://sa:pw@sql:1433?database=calendar", SQLServer, "sqlserver://sa:pw@sql:1433?database=calendar"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := ParseDatabase(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if d.Driver != tt.driver || d.DSN != tt.dsn {
				t.Errorf("got %+v, want %s %s", d, tt.driver, tt.dsn)
			}
		})
	}
}

func TestDatabaseRedacted(t *testing.T) {
	for _, in := range []string{
		"postgres://cal:hunter2@db/calendar",
		"sqlserver://sa:hunter2@sql:1433?database=calendar",
		"sqlserver://sql:1433?database=calendar&password=hunter2",
	} {
		d, err := ParseDatabase(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := d.Redacted(); strings.Contains(got, "hunter2") {
			t.Errorf("Redacted(%q) = %q still holds the password", in, got)
		}
	}
}

// TestLoadRejects checks that each bad setting stops start-up with a message naming its
// variable.
func TestLoadRejects(t *testing.T) {
	tests := []struct {
		name  string
		pairs []string
		want  string // the variable the message must name
	}{
		{"addr without port", []string{EnvAddr, "localhost"}, EnvAddr},
		{"addr bad port", []string{EnvAddr, "localhost:http"}, EnvAddr},
		{"addr port too big", []string{EnvAddr, "localhost:70000"}, EnvAddr},
		{"db unknown scheme", []string{EnvDB, "mysql://u@h/db"}, EnvDB},
		{"db bare path", []string{EnvDB, "data/calendar.db"}, EnvDB},
		{"db sqlite empty", []string{EnvDB, "sqlite:"}, EnvDB},
		{"db sqlite options", []string{EnvDB, "sqlite:x.db?_pragma=foo"}, EnvDB},
		{"db sqlserver no host", []string{EnvDB, "sqlserver:///db"}, EnvDB},
		{"db postgres bad url", []string{EnvDB, "postgres://u:p@h/db%zz"}, EnvDB},
		{"site url relative", []string{EnvSiteURL, "calendar.example.com"}, EnvSiteURL},
		{"site url ftp", []string{EnvSiteURL, "ftp://calendar.example.com"}, EnvSiteURL},
		{"site url query", []string{EnvSiteURL, "https://c.example.com/?a=b"}, EnvSiteURL},
		{"login url", []string{EnvMSLoginURL, "login.microsoftonline.com"}, EnvMSLoginURL},
		{"graph url", []string{EnvMSGraphURL, "::"}, EnvMSGraphURL},
		{"log level", []string{EnvLogLevel, "loud"}, EnvLogLevel},
		{"sync interval not a duration", []string{EnvSyncInterval, "5"}, EnvSyncInterval},
		{"sync interval too short", []string{EnvSyncInterval, "1s"}, EnvSyncInterval},
		{"trusted proxies", []string{EnvTrustedProxies, "10.0.0.0/33"}, EnvTrustedProxies},
		{"key not base64", []string{EnvSecretKey, "not*base64"}, EnvSecretKey},
		{"key too short", []string{EnvSecretKey, base64.StdEncoding.EncodeToString([]byte("short"))}, EnvSecretKey},
		{"key and key file", []string{EnvSecretKey, testKey, EnvSecretKeyFile, "/nonexistent"}, EnvSecretKeyFile},
		{"key file missing", []string{EnvSecretKeyFile, "/nonexistent/secret.key"}, EnvSecretKeyFile},
		{"metrics token too short", []string{EnvMetricsToken, "short"}, EnvMetricsToken},
		{"metrics token and its file", []string{EnvMetricsToken, "a-long-enough-metrics-token", EnvMetricsTokenFile, "/x"}, EnvMetricsToken},
		{"metrics token file missing", []string{EnvMetricsTokenFile, "/nonexistent/metrics.token"}, EnvMetricsToken},
		{"max listings not a number", []string{EnvMaxListings, "many"}, EnvMaxListings},
		{"max listings zero", []string{EnvMaxListings, "0"}, EnvMaxListings},
		{"max listings too many", []string{EnvMaxListings, "1025"}, EnvMaxListings},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(t, tt.pairs...))
			if err == nil {
				t.Fatal("Load accepted it")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name %s", err, tt.want)
			}
		})
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := Load(env(t, EnvAddr, "nope", EnvLogLevel, "loud"))
	if err == nil || !strings.Contains(err.Error(), EnvAddr) || !strings.Contains(err.Error(), EnvLogLevel) {
		t.Errorf("error %v should name both variables", err)
	}
}

func TestSecretKeyFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(path, []byte(testKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(t, EnvSecretKeyFile, path))
	if err != nil {
		t.Fatal(err)
	}
	if string(c.SecretKey.Bytes()) != "0123456789abcdef0123456789abcdef" {
		t.Error("key from file not used")
	}
}

func TestSecretKeyGeneratedOnceWith0600(t *testing.T) {
	dir := t.TempDir()
	e := func(k string) (string, bool) {
		if k == EnvDataDir {
			return dir, true
		}
		return "", false
	}
	first, err := Load(e)
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(filepath.Join(dir, "secret.key"))
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm != 0o600 {
		t.Errorf("key file mode %o, want 600", perm)
	}
	second, err := Load(e)
	if err != nil {
		t.Fatal(err)
	}
	if first.SecretKey != second.SecretKey {
		t.Error("second start generated a different key instead of reusing the file")
	}
}

func TestGeneratedKeyReadableByOthersIsRefused(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.key")
	if err := os.WriteFile(path, []byte(testKey), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(func(k string) (string, bool) {
		if k == EnvDataDir {
			return dir, true
		}
		return "", false
	})
	if err == nil || !strings.Contains(err.Error(), "chmod 600") {
		t.Errorf("err = %v, want a refusal that says chmod 600", err)
	}
}

// TestSecretKeyNeverPrinted formats the config every way a careless log line might.
func TestSecretKeyNeverPrinted(t *testing.T) {
	c, err := Load(env(t, EnvSecretKey, testKey, EnvDB, "postgres://cal:hunter2@db/calendar"))
	if err != nil {
		t.Fatal(err)
	}
	raw := string(c.SecretKey.Bytes())
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "config", c)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("config", "config", c, "key", c.SecretKey)
	js, _ := json.Marshal(c)
	outputs := map[string]string{
		"%v":   fmt.Sprintf("%v", c),
		"%+v":  fmt.Sprintf("%+v", c),
		"%#v":  fmt.Sprintf("%#v", c),
		"%x":   fmt.Sprintf("%x", c.SecretKey),
		"%s":   fmt.Sprintf("%s", c.SecretKey),
		"slog": logged.String(),
		"json": string(js),
	}
	for name, out := range outputs {
		for _, leak := range []string{raw, testKey, fmt.Sprintf("%x", []byte(raw)), "hunter2"} {
			if strings.Contains(out, leak) {
				t.Errorf("%s output leaks a secret: %s", name, out)
			}
		}
	}
	if !strings.Contains(outputs["slog"], "secret_key") {
		t.Errorf("slog output lacks the key's source: %s", outputs["slog"])
	}
}

func TestLoadMetricsTokenFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "metrics.token")
	if err := os.WriteFile(path, []byte("from-a-file-0123456789\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(env(t, EnvMetricsTokenFile, path, EnvSecretKey, testKey))
	if err != nil {
		t.Fatal(err)
	}
	if c.MetricsToken != "from-a-file-0123456789" {
		t.Fatalf("metrics token %q", c.MetricsToken)
	}
}
