package fakeoutlook

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"regexp"
	"strings"
	"time"
)

// stringList is a repeatable flag.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

// Main runs the fake as a standalone server until ctx is done:
//
//	fakeoutlook --addr 127.0.0.1:9090 [--client-id ID --client-secret S --tenant GUID
//	            [--multitenant] --redirect-uri URI ...] [--demo-users a@x,b@y] [--demo]
//	            [--state FILE] [--admin-consent Calendars.ReadWrite,...]
//
// Without an app registration it registers the demo app. --admin-consent grants the app
// those application permissions in its tenant, as the tenant's administrator does once. It prints the app's
// ids and the base URL at start-up. With --state it loads the file if it
// exists (mailboxes loaded are not seeded again) and saves the state to it
// after requests and when it stops.
func Main(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("fakeoutlook", flag.ContinueOnError)
	fs.SetOutput(stdout)
	addr := fs.String("addr", "127.0.0.1:9090", "address to listen on")
	clientID := fs.String("client-id", "", "client id of the app registration (default: the demo app)")
	secret := fs.String("client-secret", "", "client secret of the app registration")
	tenant := fs.String("tenant", "", "tenant id (a GUID) that owns the app")
	multitenant := fs.Bool("multitenant", false, "the app accepts /organizations, /common and users of any tenant")
	var redirects stringList
	fs.Var(&redirects, "redirect-uri", "registered redirect URI (repeatable)")
	demoUsers := fs.String("demo-users", "", "comma-separated mailboxes to create at start-up")
	demo := fs.Bool("demo", false, "fill mailboxes with demo series and meetings")
	demoZone := fs.String("demo-zone", "UTC", "IANA time zone of the demo events")
	consent := fs.String("admin-consent", "", "comma-separated application permissions the tenant's administrator granted the app (e.g. Calendars.ReadWrite)")
	baseURL := fs.String("base-url", "", "externally visible base URL, if not http://ADDR")
	statePath := fs.String("state", "", "keep mailboxes and tokens in this file across restarts")
	verbose := fs.Bool("v", false, "log every request")
	if err := fs.Parse(args); err != nil {
		return err
	}

	opts := Options{SeedDemo: *demo, DemoTimeZone: *demoZone, BaseURL: *baseURL}
	if *clientID != "" || *secret != "" || *tenant != "" {
		guid := regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
		switch {
		case *clientID == "" || *secret == "" || *tenant == "":
			return errors.New("fakeoutlook: --client-id, --client-secret and --tenant go together")
		case !guid.MatchString(*tenant):
			return fmt.Errorf("fakeoutlook: --tenant %q is not a GUID", *tenant)
		case len(redirects) == 0:
			return errors.New("fakeoutlook: an app registration needs at least one --redirect-uri")
		}
		opts.Apps = []App{{ClientID: *clientID, ClientSecret: *secret, TenantID: strings.ToLower(*tenant),
			Multitenant: *multitenant, RedirectURIs: redirects}}
	} else if len(redirects) > 0 {
		app := DemoApp()
		app.RedirectURIs = append(app.RedirectURIs, redirects...)
		opts.Apps = []App{app}
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	opts.Logger = slog.New(slog.NewTextHandler(stdout, &slog.HandlerOptions{Level: level}))

	s := New(opts)
	if *statePath != "" {
		switch err := s.LoadState(*statePath); {
		case errors.Is(err, os.ErrNotExist):
			fmt.Fprintf(stdout, "fake Outlook: no state file %s yet; it is created\n", *statePath)
		case err != nil:
			return err
		default:
			fmt.Fprintf(stdout, "fake Outlook: state loaded from %s\n", *statePath)
		}
	}
	if roles := splitList(*consent); len(roles) > 0 {
		app := DemoApp()
		if len(opts.Apps) > 0 {
			app = opts.Apps[0]
		}
		if err := s.GrantAdminConsent(app.TenantID, app.ClientID, roles...); err != nil {
			return fmt.Errorf("fakeoutlook: %w", err)
		}
	}
	var users []string
	for _, u := range strings.Split(*demoUsers, ",") {
		if u = strings.TrimSpace(u); u != "" {
			users = append(users, u)
		}
	}
	for _, u := range users {
		if _, err := s.AddMailbox(u, ""); err != nil {
			return fmt.Errorf("fakeoutlook: %w", err)
		}
	}
	if *demo && len(users) > 0 {
		if err := s.SeedDemo(users...); err != nil {
			return fmt.Errorf("fakeoutlook: seed demo: %w", err)
		}
	}

	var saver *stateSaver
	handler := s.Handler()
	if *statePath != "" {
		saver = newStateSaver(s, *statePath, opts.Logger)
		if err := saver.save(); err != nil {
			return err
		}
		handler = saver.wrap(handler)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("fakeoutlook: listen: %w", err)
	}
	base := *baseURL
	if base == "" {
		base = "http://" + ln.Addr().String()
	}
	app := s.opts.Apps[0]
	fmt.Fprintf(stdout, "fake Outlook listening on %s\n", base)
	fmt.Fprintf(stdout, "  client id:     %s\n  client secret: %s\n  tenant id:     %s (multitenant: %t)\n",
		app.ClientID, app.ClientSecret, app.TenantID, app.Multitenant)
	fmt.Fprintf(stdout, "  authorize:     %s/%s/oauth2/v2.0/authorize\n  token:         %s/%s/oauth2/v2.0/token\n  graph:         %s/v1.0\n",
		base, tenantSegment(app), base, tenantSegment(app), base)
	if len(users) > 0 {
		fmt.Fprintf(stdout, "  mailboxes:     %s\n", strings.Join(users, ", "))
	}

	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	saverCtx, stopSaver := context.WithCancel(context.WithoutCancel(ctx))
	saverDone := make(chan struct{})
	go func() {
		defer close(saverDone)
		if saver != nil {
			saver.run(saverCtx)
		}
	}()
	// The last save comes after the last request, whatever ends the server.
	finish := func(err error) error {
		stopSaver()
		<-saverDone
		if saver != nil {
			err = errors.Join(err, saver.save())
		}
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return finish(fmt.Errorf("fakeoutlook: serve: %w", err))
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return finish(fmt.Errorf("fakeoutlook: shutdown: %w", err))
	}
	return finish(nil)
}

// tenantSegment is the {tenant} an app's users sign in through.
func tenantSegment(app App) string {
	if app.Multitenant {
		return "organizations"
	}
	return app.TenantID
}

// splitList splits a comma-separated flag, dropping empty items.
func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
