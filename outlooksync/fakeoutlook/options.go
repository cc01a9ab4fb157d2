package fakeoutlook

import (
	"log/slog"
	"net/http"
	"time"
)

// The demo app registration, used when no app is given. The values are fixed
// so that the documentation, `make run` and scripts can rely on them; they
// grant nothing anywhere but in this fake.
const (
	DemoClientID     = "8f0c2a71-5d3e-4b6a-9c1f-2e7d4a6b9c30"
	DemoClientSecret = "fake8Q~outlook-demo-secret-not-a-real-one"
	DemoTenantID     = "3c9d1e5f-7a2b-4c8d-9e0f-1a2b3c4d5e6f"
)

// App is an app registration in the fake identity platform.
type App struct {
	ClientID     string
	ClientSecret string
	// TenantID is the GUID of the tenant that owns the app. A single-tenant
	// app only signs in users of this tenant.
	TenantID string
	// Multitenant apps accept /organizations and /common and users of any
	// tenant.
	Multitenant bool
	// RedirectURIs must match the redirect_uri of a request exactly, except
	// for the port of http://localhost and http://127.0.0.1 URIs.
	RedirectURIs []string
}

// DemoApp returns the demo app registration. It is multitenant, and its
// redirect URIs are the web app's callbacks (Connect to Outlook, Sign in with Microsoft) on loopback: like Microsoft's
// identity platform, the fake ignores the port of a loopback redirect URI, so
// the web app may listen on any local port.
func DemoApp() App {
	return App{
		ClientID:     DemoClientID,
		ClientSecret: DemoClientSecret,
		TenantID:     DemoTenantID,
		Multitenant:  true,
		RedirectURIs: []string{
			"http://localhost/oauth2/outlook/callback",
			"http://127.0.0.1/oauth2/outlook/callback",
			"http://localhost/oauth2/signin/callback",
			"http://127.0.0.1/oauth2/signin/callback",
		},
	}
}

// Quirks selects behaviour on which Microsoft's documentation and field
// reports disagree. The zero value is the behaviour the fake considers most
// likely in production; each field names the alternative.
type Quirks struct {
	// ICalUIDPerOccurrence gives each occurrence its own iCalUId (the date
	// written into the GlobalObjectId, as the v1.0 docs describe) instead of
	// the series' one (as later Microsoft statements say).
	ICalUIDPerOccurrence bool
	// DeltaIncludesMasters puts series masters in calendarView delta pages
	// beside their occurrences, as some field reports saw. By default, as
	// the docs say (delta returns what calendarView returns), they are not.
	DeltaIncludesMasters bool
	// DeltaRemovesCancelledOccurrences sends an @removed entry for an
	// occurrence deleted from a series, and reports the series as changed.
	DeltaRemovesCancelledOccurrences bool
	// DeltaReportsSeriesOfCancelledOccurrence reports a series one of whose
	// occurrences was deleted as changed (earlier field reports). By default
	// a deleted occurrence leaves no trace in delta (docs PR #4501).
	DeltaReportsSeriesOfCancelledOccurrence bool
	// CancelledOccurrencesInLists returns a selected cancelledOccurrences in
	// lists too. By default only a GET of one series master by id returns it.
	CancelledOccurrencesInLists bool
	// DeltaFirstPageNotEmpty serves items on the first delta page. By
	// default the first page is empty and only carries a next link, as
	// Graph often answers.
	DeltaFirstPageNotEmpty bool
	// KeepDeclinedMeetings keeps a declined meeting in the attendee's
	// calendar. By default, like Exchange, declining removes it.
	KeepDeclinedMeetings bool
	// CancelSingleInstanceCopiesWithSeries makes the organizer's delete or
	// cancel of a series also cancel the single-instance copies of people
	// invited to one occurrence only. By default, like Outlook, those
	// copies stay in the invitees' calendars as they were.
	CancelSingleInstanceCopiesWithSeries bool
	// AllDayInAskedZone renders an all-day item's start and end converted into
	// the zone the client asked for (Prefer: outlook.timezone), as instants.
	// By default, as Graph does, they are midnight to midnight of the item's
	// dates whatever zone is asked for (microsoft-graph-docs #1802, #6003).
	AllDayInAskedZone bool
	// TransactionIDForgottenOnDelete lets a create reuse the transactionId of
	// a deleted event. By default a repeated transactionId returns the event
	// it first created, deleted or not, and creates nothing.
	TransactionIDForgottenOnDelete bool
	// AcceptAnyIANAZone accepts any IANA zone name in a request (start, end,
	// Prefer: outlook.timezone), as the fake once did. By default, as Graph
	// documents (resources/datetimetimezone.md), only Windows names and Graph's
	// list of IANA names are accepted: Europe/Amsterdam gets 400
	// TimeZoneNotSupportedException.
	AcceptAnyIANAZone bool
	// BatchParallelism is how many requests of one $batch run at the same
	// time, each counting against its mailbox's concurrency limit. Microsoft
	// says four; some report that all requests of a batch run at once.
	// Zero means 4.
	BatchParallelism int
}

// Options configure a Server.
type Options struct {
	// Apps are the registered apps. Without any, the demo app is registered.
	Apps []App
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives one line per request; nil discards.
	Logger *slog.Logger
	// SeedDemo fills every mailbox created on its first sign-in with a few
	// series with changed and deleted occurrences (see SeedDemo).
	SeedDemo bool
	// DemoTimeZone is the IANA zone of the demo events; empty means UTC.
	DemoTimeZone string
	// DefaultTenantID is the tenant of mailboxes created without one; empty
	// means the first app's tenant.
	DefaultTenantID string
	// AccessTokenLifetime defaults to one hour, RefreshTokenLifetime (the
	// inactivity limit) to 90 days, CodeLifetime to ten minutes and
	// DeltaTokenLifetime to seven days.
	AccessTokenLifetime  time.Duration
	RefreshTokenLifetime time.Duration
	CodeLifetime         time.Duration
	DeltaTokenLifetime   time.Duration
	// DeltaGenerationsKept is how many newer delta rounds of a mailbox a delta
	// token survives before it answers 410 SyncStateNotFound; zero means 5.
	DeltaGenerationsKept int
	// MaxConcurrentPerMailbox is Outlook's limit of concurrent requests for
	// one mailbox; zero means 4.
	MaxConcurrentPerMailbox int
	// BaseURL is the externally visible base URL used in next links and
	// delta links; empty means the scheme and host of each request.
	BaseURL string
	// NotificationClient carries the validation handshakes and the notifications to the
	// subscribers' URLs; nil means a plain client.
	NotificationClient *http.Client
	// NotificationWindow is how long a notification waits for others to the same URL
	// before it is delivered; zero means DefaultNotificationWindow.
	NotificationWindow time.Duration
	Quirks             Quirks
}

func (o Options) withDefaults() Options {
	if len(o.Apps) == 0 {
		o.Apps = []App{DemoApp()}
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.DefaultTenantID == "" {
		o.DefaultTenantID = o.Apps[0].TenantID
	}
	if o.AccessTokenLifetime == 0 {
		o.AccessTokenLifetime = time.Hour
	}
	if o.RefreshTokenLifetime == 0 {
		o.RefreshTokenLifetime = 90 * 24 * time.Hour
	}
	if o.CodeLifetime == 0 {
		o.CodeLifetime = 10 * time.Minute
	}
	if o.DeltaTokenLifetime == 0 {
		o.DeltaTokenLifetime = 7 * 24 * time.Hour
	}
	if o.DeltaGenerationsKept == 0 {
		o.DeltaGenerationsKept = 5
	}
	if o.MaxConcurrentPerMailbox == 0 {
		o.MaxConcurrentPerMailbox = 4
	}
	if o.Quirks.BatchParallelism == 0 {
		o.Quirks.BatchParallelism = 4
	}
	return o
}
