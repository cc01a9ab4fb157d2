package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Names of the environment variables, used in error messages so that a person knows what to fix.
const (
	EnvAddr             = "CALENDAR_ADDR"
	EnvDB               = "CALENDAR_DB"
	EnvSiteURL          = "CALENDAR_SITE_URL"
	EnvDataDir          = "CALENDAR_DATA_DIR"
	EnvSecretKey        = "CALENDAR_SECRET_KEY"
	EnvSecretKeyFile    = "CALENDAR_SECRET_KEY_FILE"
	EnvLogLevel         = "CALENDAR_LOG_LEVEL"
	EnvMSLoginURL       = "CALENDAR_MS_LOGIN_URL"
	EnvMSGraphURL       = "CALENDAR_MS_GRAPH_URL"
	EnvSyncInterval     = "CALENDAR_SYNC_INTERVAL"
	EnvPushedInterval   = "CALENDAR_SYNC_PUSHED_INTERVAL"
	EnvOutlookPush      = "CALENDAR_OUTLOOK_PUSH"
	EnvTrustedProxies   = "CALENDAR_TRUSTED_PROXIES"
	EnvMetricsToken     = "CALENDAR_METRICS_TOKEN"
	EnvMetricsTokenFile = "CALENDAR_METRICS_TOKEN_FILE"
	EnvMaxListings      = "CALENDAR_MAX_LISTINGS"
)

// Defaults for the variables that have one.
const (
	DefaultAddr         = "127.0.0.1:8080"
	DefaultDataDir      = "data"
	DefaultMSLoginURL   = "https://login.microsoftonline.com"
	DefaultMSGraphURL   = "https://graph.microsoft.com"
	DefaultSyncInterval = 5 * time.Minute
	// DefaultPushedInterval is how often a connection whose Outlook calendar sends change
	// notifications is polled all the same (the backstop).
	DefaultPushedInterval = 30 * time.Minute

	// MinSyncInterval keeps a typo such as "5s" from hammering every mailbox.
	MinSyncInterval = 30 * time.Second

	// MaxMaxListings bounds CALENDAR_MAX_LISTINGS: beyond it the limit bounds nothing.
	MaxMaxListings = 1024
)

// DefaultMaxListings is the number of calendar listings served at once when
// CALENDAR_MAX_LISTINGS is not set: four per CPU the program may use. A listing is CPU work
// with a few megabytes held while it runs, so more at once only shares the CPUs thinner and
// adds to the memory.
func DefaultMaxListings() int { return 4 * runtime.GOMAXPROCS(0) }

// Config is the whole configuration of the program. Load builds it; it is then read-only and
// passed by value.
type Config struct {
	// Addr is the host:port the HTTP server listens on.
	Addr string
	// DB says which database to open.
	DB Database
	// SiteURL is the address people use to reach the site, without a trailing slash; it is
	// the base of OAuth redirect URIs and decides whether cookies are Secure.
	SiteURL *url.URL
	// DataDir holds the SQLite database (by default) and the generated secret key.
	DataDir string
	// SecretKey encrypts tokens and the Outlook client secret at rest.
	SecretKey SecretKey
	// SecretKeySource tells where the key came from (variable, file, generated), for the log.
	SecretKeySource string
	// LogLevel is the minimum level that is logged.
	LogLevel slog.Level
	// MSLoginURL is the Microsoft identity platform's base URL (national clouds, the fake).
	MSLoginURL *url.URL
	// MSGraphURL is Microsoft Graph's base URL.
	MSGraphURL *url.URL
	// SyncInterval is how often each Outlook connection is synced.
	SyncInterval time.Duration
	// PushedInterval is how often a connection with a live change notification subscription
	// is polled as the backstop; never shorter than SyncInterval.
	PushedInterval time.Duration
	// OutlookPush turns change notifications on (the default) or off: off, for a site Graph
	// can never reach, polls only and says so on the Control Panel.
	OutlookPush bool
	// TrustedProxies are the networks whose X-Forwarded-For header is believed when finding a
	// client's address (login throttling is per account and address). Empty: the peer address.
	TrustedProxies []*net.IPNet
	// MetricsToken, when set, is the bearer token /metrics asks for; without it the metrics
	// (aggregate counters, nothing about a person) are open to anyone who reaches the server.
	MetricsToken string
	// MaxListings is how many calendar listings (the occurrences API, the calendar pages) the
	// process serves at once; more wait for a slot. Each person has at most two at once.
	MaxListings int
}

// SecureCookies reports whether cookies must carry the Secure attribute: when the site is
// served over https.
func (c Config) SecureCookies() bool { return c.SiteURL != nil && c.SiteURL.Scheme == "https" }

// LogValue lists the configuration for the log without the secret key or database password.
func (c Config) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("addr", c.Addr),
		slog.String("db", c.DB.Redacted()),
		slog.String("site_url", urlString(c.SiteURL)),
		slog.String("data_dir", c.DataDir),
		slog.String("secret_key", c.SecretKeySource),
		slog.String("log_level", c.LogLevel.String()),
		slog.String("ms_login_url", urlString(c.MSLoginURL)),
		slog.String("ms_graph_url", urlString(c.MSGraphURL)),
		slog.Duration("sync_interval", c.SyncInterval),
		slog.Duration("pushed_interval", c.PushedInterval),
		slog.Bool("outlook_push", c.OutlookPush),
		slog.Int("trusted_proxies", len(c.TrustedProxies)),
		slog.Bool("metrics_token", c.MetricsToken != ""),
		slog.Int("max_listings", c.MaxListings),
	)
}

func urlString(u *url.URL) string {
	if u == nil {
		return ""
	}
	return u.String()
}

// LookupEnv finds an environment variable; os.LookupEnv is one.
type LookupEnv func(key string) (string, bool)

// Load reads and validates the configuration. When no secret key is configured it reads the
// one generated earlier in the data directory, or generates it there (this is the only side
// effect). Every problem found is reported, each naming its variable.
func Load(env LookupEnv) (Config, error) {
	get := func(key, def string) string {
		if v, ok := env(key); ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
		return def
	}
	var errs []error
	fail := func(key string, err error) { errs = append(errs, fmt.Errorf("%s: %w", key, err)) }

	c := Config{
		Addr:    get(EnvAddr, DefaultAddr),
		DataDir: filepath.Clean(get(EnvDataDir, DefaultDataDir)),
	}
	if err := checkAddr(c.Addr); err != nil {
		fail(EnvAddr, err)
	}

	db, err := ParseDatabase(get(EnvDB, "sqlite:"+filepath.Join(c.DataDir, "calendar.db")))
	if err != nil {
		fail(EnvDB, err)
	}
	c.DB = db

	site := get(EnvSiteURL, defaultSiteURL(c.Addr))
	if c.SiteURL, err = parseBaseURL(site); err != nil {
		fail(EnvSiteURL, err)
	}
	if c.MSLoginURL, err = parseBaseURL(get(EnvMSLoginURL, DefaultMSLoginURL)); err != nil {
		fail(EnvMSLoginURL, err)
	}
	if c.MSGraphURL, err = parseBaseURL(get(EnvMSGraphURL, DefaultMSGraphURL)); err != nil {
		fail(EnvMSGraphURL, err)
	}

	if err := c.LogLevel.UnmarshalText([]byte(get(EnvLogLevel, "info"))); err != nil {
		fail(EnvLogLevel, errors.New("want debug, info, warn or error"))
	}

	if c.SyncInterval, err = parseInterval(get(EnvSyncInterval, DefaultSyncInterval.String())); err != nil {
		fail(EnvSyncInterval, err)
	}
	if c.PushedInterval, err = parseInterval(get(EnvPushedInterval, DefaultPushedInterval.String())); err != nil {
		fail(EnvPushedInterval, err)
	}
	c.PushedInterval = max(c.PushedInterval, c.SyncInterval)
	switch strings.ToLower(get(EnvOutlookPush, "on")) {
	case "on", "true", "1", "yes":
		c.OutlookPush = true
	case "off", "false", "0", "no":
	default:
		fail(EnvOutlookPush, errors.New("must be on or off"))
	}

	if c.TrustedProxies, err = parseNetworks(get(EnvTrustedProxies, "")); err != nil {
		fail(EnvTrustedProxies, err)
	}

	if c.MetricsToken, err = secretValue(get(EnvMetricsToken, ""), get(EnvMetricsTokenFile, "")); err != nil {
		fail(EnvMetricsToken, err)
	} else if c.MetricsToken != "" && len(c.MetricsToken) < 16 {
		fail(EnvMetricsToken, errors.New("use at least 16 characters"))
	}

	if c.MaxListings, err = parseMaxListings(get(EnvMaxListings, "")); err != nil {
		fail(EnvMaxListings, err)
	}

	// The key comes last: generating it into the data directory is only worth doing when the
	// rest of the configuration is sound.
	if len(errs) == 0 {
		key, source, err := loadSecretKey(get(EnvSecretKey, ""), get(EnvSecretKeyFile, ""), c.DataDir)
		if err != nil {
			errs = append(errs, err)
		}
		c.SecretKey, c.SecretKeySource = key, source
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("configuration: %w", errors.Join(errs...))
	}
	return c, nil
}

func checkAddr(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("want host:port, such as %s: %w", DefaultAddr, err)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}

// defaultSiteURL is http:// plus the listen address, with a host that a browser can reach when
// the server listens on every interface.
func defaultSiteURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// parseBaseURL accepts an absolute http(s) URL without query or fragment and drops a trailing
// slash, so that callers can append paths.
func parseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("not a URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%q must start with http:// or https://", s)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("%q has no host", s)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, fmt.Errorf("%q must not have a query, fragment or user", s)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return u, nil
}

func parseInterval(s string) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("want a duration such as 5m or 90s: %w", err)
	}
	if d < MinSyncInterval {
		return 0, fmt.Errorf("%s is shorter than the minimum %s", d, MinSyncInterval)
	}
	return d, nil
}

// parseMaxListings reads the limit of listings at once; empty is the default.
func parseMaxListings(s string) (int, error) {
	if s == "" {
		return DefaultMaxListings(), nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > MaxMaxListings {
		return 0, fmt.Errorf("want a whole number from 1 to %d, not %q", MaxMaxListings, s)
	}
	return n, nil
}

// parseNetworks reads a comma-separated list of CIDR networks or single addresses.
func parseNetworks(s string) ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			ip := net.ParseIP(part)
			if ip == nil {
				return nil, fmt.Errorf("%q is not an address or CIDR network", part)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			nets = append(nets, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not an address or CIDR network", part)
		}
		nets = append(nets, n)
	}
	return nets, nil
}

// secretValue is a secret given directly or, better (it stays out of the process list and
// the environment of children), in a file; not both.
func secretValue(value, file string) (string, error) {
	switch {
	case value != "" && file != "":
		return "", errors.New("set the value or its _FILE, not both")
	case file != "":
		data, err := os.ReadFile(file)
		if err != nil {
			return "", fmt.Errorf("read the file: %w", err)
		}
		return strings.TrimSpace(string(data)), nil
	}
	return value, nil
}
