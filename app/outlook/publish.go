package outlook

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"intracal/app/accounts"
	"intracal/calendar"
	"intracal/outlooksync/publish"
)

// Publishing a space's calendar into its members' Outlook (outlooksync/publish): the app
// signs in as itself (client credentials, through the tenant of SAMLTenantID) with the
// site's app registration, and reaches each member's mailbox by address.

// SetAppMailbox gives the wiring the constructor of a mailbox reached as the app itself
// (outlooksync/graph.NewForUser).
func (o *Outlook) SetAppMailbox(f publish.AppMailboxFactory) { o.newAppMailbox = f }

// errNoTenant means the site's app registration is multitenant with no tenant named: the
// app's own sign-in needs one.
var errNoTenant = errors.New("outlook: publishing needs the tenant ID (SAMLTenantID) of the organization, to sign the app in as itself")

// appTokens keeps the app's own token per app registration and tenant, shared by every
// mailbox, so that a cycle over hundreds of mailboxes signs in once.
type appTokens struct {
	mu   sync.Mutex
	key  string
	live *publish.AppTokens
}

// Mailboxes reaches members' mailboxes as the app itself, with the System Properties as they
// are at each call.
func (o *Outlook) Mailboxes() publish.MailboxFactory {
	return func(ctx context.Context, address string) (publish.Mailbox, error) {
		if o.newAppMailbox == nil {
			return nil, errNoGraph
		}
		ts, err := o.AppTokenSource(ctx)
		if err != nil {
			return nil, err
		}
		return o.newAppMailbox(o.graphURL.String(), ts, o.http, address)
	}
}

// AppTokenSource is the app's own token (client credentials through the tenant of
// SAMLTenantID), shared by every mailbox the app writes into as itself.
func (o *Outlook) AppTokenSource(ctx context.Context) (oauth2.TokenSource, error) {
	settings, err := o.props.OutlookSettings(ctx)
	if err != nil {
		return nil, err
	}
	if !settings.Ready() {
		return nil, fmt.Errorf("outlook: the app registration is not set up: %v", settings.Missing())
	}
	tenant := strings.TrimSpace(settings.SAMLTenantID)
	if tenant == "" {
		return nil, errNoTenant
	}
	return o.appTokens.of(o, settings.ClientID, settings.ClientSecret, tenant), nil
}

// GraphURL is the Graph base address.
func (o *Outlook) GraphURL() string { return o.graphURL.String() }

func (t *appTokens) of(o *Outlook, clientID, secret, tenant string) oauth2.TokenSource {
	t.mu.Lock()
	defer t.mu.Unlock()
	key := clientID + "\x00" + secret + "\x00" + tenant
	if t.live == nil || t.key != key {
		cc := &clientcredentials.Config{ClientID: clientID, ClientSecret: secret,
			TokenURL: strings.TrimRight(o.loginURL.String(), "/") + "/" + tenant + "/oauth2/v2.0/token",
			Scopes:   []string{"https://graph.microsoft.com/.default"}}
		t.key, t.live = key, publish.NewAppTokens(context.WithValue(context.Background(), oauth2.HTTPClient, o.http), cc)
	}
	return t.live
}

// NewPublisher builds the publication of spaces on the wiring's app registration, or nil
// when the program has no Graph adapter (the web app's own tests).
func NewPublisher(o *Outlook, cal *calendar.Store, st *publish.Store, people *accounts.Directory, s *Sync, cfg SyncConfig) *publish.Publisher {
	if o.newAppMailbox == nil {
		return nil
	}
	p := publish.NewPublisher(st, cal, o.Mailboxes(), cfg.Log.With("component", "space publishing"))
	p.Addresses = people.Emails
	p.Connected = o.Targets().Connected
	p.Metrics = publish.NewMetrics(s.registry)
	if cfg.Now != nil {
		p.Now = cfg.Now
	}
	if cfg.Interval > 0 {
		p.Interval = cfg.Interval
	}
	host, _ := os.Hostname()
	p.Holder = fmt.Sprintf("%s-%d", host, os.Getpid())
	p.Tick = min(time.Minute, p.Interval)
	if s.push != nil {
		// Members' edits of the copies are notified too: the publisher is one more kind of
		// watched calendar, checked every PushedInterval while subscribed.
		s.push.Kinds[publish.WatchSpaceCalendar] = p.Watched()
		p.PushedInterval = cfg.PushedInterval
		p.Pushed = func(ctx context.Context, id int64) bool {
			ok, err := s.store.Pushed(ctx, publish.WatchSpaceCalendar, id)
			return err == nil && ok
		}
	}
	return p
}
