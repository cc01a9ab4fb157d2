package config

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// Database drivers the program can open.
const (
	SQLite     = "sqlite"
	Postgres   = "postgres"
	SQLServer  = "sqlserver"
	sqlitePref = "sqlite:"
)

// Database names a driver and the data source name handed to it.
type Database struct {
	// Driver is SQLite, Postgres or SQLServer.
	Driver string
	// DSN is a file path for SQLite and the URL itself for the others.
	DSN string
}

// IsSQLite reports whether the database is the embedded, single-file kind, which is local to
// one process and so is migrated automatically at start-up.
func (d Database) IsSQLite() bool { return d.Driver == SQLite }

// String renders the database as CALENDAR_DB would spell it, password removed.
func (d Database) String() string { return d.Redacted() }

// GoString keeps %#v from printing the password.
func (d Database) GoString() string { return fmt.Sprintf("config.Database(%q)", d.Redacted()) }

// MarshalText keeps encoders such as JSON from printing the password.
func (d Database) MarshalText() ([]byte, error) { return []byte(d.Redacted()), nil }

// Redacted is the database for logs: the password of a server DSN is replaced.
func (d Database) Redacted() string {
	if d.Driver == SQLite {
		return sqlitePref + d.DSN
	}
	u, err := url.Parse(d.DSN)
	if err != nil {
		return d.Driver + "://(unparsable)"
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// ParseDatabase reads CALENDAR_DB: sqlite:PATH, postgres://..., postgresql://... or
// sqlserver://....
func ParseDatabase(s string) (Database, error) {
	switch {
	case strings.HasPrefix(s, sqlitePref):
		path := strings.TrimPrefix(s, sqlitePref)
		if path == "" {
			return Database{}, errors.New("sqlite: needs a file path, such as sqlite:data/calendar.db")
		}
		if strings.Contains(path, "?") {
			return Database{}, errors.New("sqlite: give only the file path; the program sets its own options")
		}
		return Database{Driver: SQLite, DSN: path}, nil
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		// No host is fine here: libpq's rules then pick the local socket.
		if _, err := url.Parse(s); err != nil {
			return Database{}, errors.New("not a valid URL")
		}
		return Database{Driver: Postgres, DSN: s}, nil
	case strings.HasPrefix(s, "sqlserver://"):
		if _, err := parseServerURL(s); err != nil {
			return Database{}, err
		}
		return Database{Driver: SQLServer, DSN: s}, nil
	}
	return Database{}, fmt.Errorf("unsupported database %q: want sqlite:PATH, postgres://... or sqlserver://...",
		Database{Driver: "unknown", DSN: s}.Redacted())
}

func parseServerURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		// url's error quotes the whole URL, password included; say less.
		return nil, errors.New("not a valid URL")
	}
	if u.Host == "" {
		return nil, errors.New("the URL has no host")
	}
	return u, nil
}
