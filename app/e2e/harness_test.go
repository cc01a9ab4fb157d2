package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"intracal/app"
	"intracal/app/cli"
	"intracal/app/internal/apptest"
	"intracal/config"
	"intracal/outlooksync"
	"intracal/outlooksync/contacts"
	"intracal/outlooksync/fakeoutlook"
	"intracal/outlooksync/graph"
)

// deployment is the program as an administrator runs it: a SQLite database in a data
// directory, set up with the commands, then served with the Graph adapter, beside the fake
// Outlook (in-process) that stands in for Microsoft.
type deployment struct {
	t    testing.TB
	env  map[string]string
	fake *fakeoutlook.Server
	base string              // the web app, http://127.0.0.1:PORT
	logs *apptest.SyncBuffer // everything the program logged
	out  *apptest.SyncBuffer // everything it printed
}

func newDeployment(t testing.TB) *deployment { return newDeploymentWith(t, nil) }

// newDeploymentWith is a deployment with more environment variables (the sync interval).
func newDeploymentWith(t testing.TB, env map[string]string) *deployment {
	t.Helper()
	fake := fakeoutlook.New(fakeoutlook.Options{})
	fsrv := httptest.NewServer(fake.Handler())
	t.Cleanup(fsrv.Close)
	d := newDeploymentAtWith(t, fsrv.URL, env)
	d.fake = fake
	return d
}

// newDeploymentAt is a deployment whose Microsoft is at fakeURL, a fake the test runs as a
// program (d.fake is nil).
func newDeploymentAt(t testing.TB, fakeURL string) *deployment {
	return newDeploymentAtWith(t, fakeURL, nil)
}

func newDeploymentAtWith(t testing.TB, fakeURL string, env map[string]string) *deployment {
	t.Helper()
	addr := freeAddr(t)
	dir := t.TempDir()
	d := &deployment{t: t, base: "http://" + addr, logs: &apptest.SyncBuffer{}, out: &apptest.SyncBuffer{}, env: map[string]string{
		config.EnvDataDir:    dir,
		config.EnvDB:         "sqlite:" + filepath.Join(dir, "calendar.db"),
		config.EnvAddr:       addr,
		config.EnvMSLoginURL: fakeURL,
		config.EnvMSGraphURL: fakeURL,
		config.EnvLogLevel:   "debug",
	}}
	maps.Copy(d.env, env)
	d.run(cli.RunUser, "correct horse\n", "add", "--email", "root@example.com", "--name", "Root", "--admin")
	for name, value := range map[string]string{
		"EnableThirdPartyCalendarSync": "true",
		"OutlookApiClientID":           fakeoutlook.DemoClientID,
		"SAMLTenantID":                 fakeoutlook.DemoTenantID,
	} {
		d.run(cli.RunProperty, "", "set", name, value)
	}
	d.run(cli.RunProperty, fakeoutlook.DemoClientSecret+"\n", "set", "OutlookApiClientSecret", "-")
	d.serve()
	return d
}

// freeAddr finds a free loopback port for the server.
func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func (d *deployment) stdio(stdin string) cli.Stdio {
	return cli.Stdio{
		In:  strings.NewReader(stdin),
		Out: d.out,
		Err: d.out,
		Env: func(k string) (string, bool) { v, ok := d.env[k]; return v, ok },
		Log: slog.New(slog.NewTextHandler(d.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
}

// run runs a command of the program and returns what it printed on standard output.
func (d *deployment) run(cmd func(context.Context, cli.Stdio, []string) error, stdin string, args ...string) string {
	d.t.Helper()
	var out apptest.SyncBuffer
	s := d.stdio(stdin)
	s.Out = &out
	if err := cmd(d.t.Context(), s, args); err != nil {
		d.t.Fatalf("%v: %v", args, err)
	}
	return out.String()
}

// serve runs `calendar serve` with the Graph adapter, as main does, until the test ends.
func (d *deployment) serve() {
	d.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	newGraph := func(base string, ts oauth2.TokenSource, hc *http.Client) (outlooksync.Graph, error) {
		return graph.New(base, ts, hc, graph.Options{})
	}
	newContacts := func(base string, ts oauth2.TokenSource, hc *http.Client, address string) (contacts.Mailbox, error) {
		return graph.NewForUser(base, ts, hc, graph.Options{}, address)
	}
	go func() {
		done <- cli.RunServeWith(app.WithGraph(newGraph), app.WithContactMailbox(newContacts))(ctx, d.stdio(""), nil)
	}()
	d.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			d.t.Errorf("serve: %v", err)
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(d.base + "/healthz"); err == nil {
			res.Body.Close()
			return
		}
		time.Sleep(20 * time.Millisecond) // waiting for start-up, not timing an assertion
	}
	d.t.Fatalf("the server did not start:\n%s", d.out.String())
}

// member creates an account and its Outlook mailbox (in the in-process fake; a fake run as
// a program has its own), and returns an API client for it made the way a script gets one:
// `calendar token create`.
func (d *deployment) member(email, name string) *client {
	d.t.Helper()
	d.run(cli.RunUser, "correct horse\n", "add", "--email", email, "--name", name)
	if d.fake != nil {
		if _, err := d.fake.AddMailbox(email, name); err != nil {
			d.t.Fatal(err)
		}
	}
	token := strings.TrimSpace(d.run(cli.RunToken, "", "create", "--email", email))
	return &client{t: d.t, d: d, token: token}
}

// client is a script with a personal API token; it never follows redirects by itself.
type client struct {
	t     testing.TB
	d     *deployment
	token string
}

func (c *client) send(method, target string, body io.Reader) *http.Response {
	c.t.Helper()
	if strings.HasPrefix(target, "/") {
		target = c.d.base + target
	}
	req, err := http.NewRequest(method, target, body)
	if err != nil {
		c.t.Fatal(err)
	}
	if strings.HasPrefix(target, c.d.base) {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	hc := apptest.NoRedirects()
	res, err := hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { res.Body.Close() })
	return res
}

func (c *client) get(target string) *http.Response { return c.send(http.MethodGet, target, nil) }

func (c *client) post(path string) *http.Response { return c.send(http.MethodPost, path, nil) }

func (c *client) json(res *http.Response, v any) {
	c.t.Helper()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		c.t.Fatalf("status %d: %v", res.StatusCode, err)
	}
}

// connect runs Connect to Outlook as a script: the site's redirect to Microsoft, Microsoft's
// redirect back (login_hint signs the mailbox in), and the callback.
func (c *client) connect() *http.Response {
	c.t.Helper()
	res := c.get("/outlook/connect")
	if res.StatusCode != http.StatusFound {
		c.t.Fatalf("connect: %d", res.StatusCode)
	}
	res = c.get(res.Header.Get("Location"))
	if res.StatusCode != http.StatusFound {
		body, _ := io.ReadAll(res.Body)
		c.t.Fatalf("authorize: %d %s", res.StatusCode, body)
	}
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		c.t.Fatal(err)
	}
	return c.get(back.RequestURI())
}

type status struct {
	State   string `json:"state"`
	Account *struct {
		Mail string `json:"mail"`
	} `json:"account"`
	LastSyncAt *time.Time `json:"lastSyncAt"`
	LastError  *string    `json:"lastError"`
}

func (c *client) status() status {
	c.t.Helper()
	var st status
	c.json(c.get("/api/v1/outlook/status"), &st)
	return st
}
