package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"intracal/app/accounts"
	"intracal/app/feeds"
	"intracal/app/outlook"
	"intracal/app/properties"
	"intracal/app/signin"
	"intracal/app/view"
	"intracal/calendar"
	"intracal/config"
	"intracal/config/secrets"
	"intracal/outlooksync"
	"intracal/outlooksync/contacts"
	"intracal/outlooksync/publish"
)

// App is the web application: configuration, database, stores and the HTTP handler.
type App struct {
	cfg   config.Config
	log   *slog.Logger
	db    *gorm.DB
	store *calendar.Store
	box   *secrets.Box

	users  *accounts.Users
	people *accounts.Directory
	// profiles are the directory's fields (job title, department, phones).
	profiles *accounts.Profiles
	// publisher writes published spaces into members' Outlook; nil without Graph.
	publisher *publish.Publisher
	sessions  *accounts.Sessions
	tokens    *accounts.Tokens
	throttle  *accounts.Throttle
	signIn    *accounts.SignIn
	// microsoft is Sign in with Microsoft (app/signin).
	microsoft *signin.Handlers
	accounts  *accounts.Lifecycle
	auth      *accounts.Authenticator
	pages     *view.Renderer
	frame     view.Frame
	props     *properties.Store
	audit     *accounts.Audit
	outlook   *outlook.Outlook
	sync      *outlook.Sync
	// syncStore is the sync's (links, cursors, history), kept for the tests that write history.
	syncStore *outlooksync.Store
	// publish is what publishing spaces into the members' Outlook knows (outlooksync/publish).
	publish  *publish.Store
	feeds    *feeds.Store
	listings *listingLimiter
	// contactLists are the contact lists; contactPusher pushes them (nil without Graph),
	// through mailboxes contactMailbox makes.
	contactLists   *contacts.Store
	contactPusher  *contacts.Pusher
	contactMailbox contacts.AppMailboxFactory

	echo *echo.Echo
	now  func() time.Time

	mu         sync.Mutex
	background []backgroundJob
	onStop     []stopHook
}

type backgroundJob struct {
	name string
	run  func(ctx context.Context) error
}

type stopHook struct {
	name string
	fn   func(ctx context.Context) error
}

// Option adjusts an App for tests.
type Option func(*App)

// WithClock makes the app read the time from now (login throttling, session expiry).
func WithClock(now func() time.Time) Option { return func(a *App) { a.now = now } }

// WithBcryptCost sets the password hashing cost; tests use bcrypt.MinCost to stay fast.
func WithBcryptCost(cost int) Option { return func(a *App) { a.users.Cost = cost } }

// New builds the app on an open, migrated database.
func New(cfg config.Config, log *slog.Logger, db *gorm.DB, opts ...Option) (*App, error) {
	box, err := secrets.New(cfg.SecretKey.Bytes())
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	a := &App{
		cfg:   cfg,
		log:   log,
		db:    db,
		store: calendar.NewStore(db),
		box:   box,
		now:   func() time.Time { return time.Now().UTC() },
	}
	clock := func() time.Time { return a.now() }
	a.users = accounts.NewUsers(db, clock)
	a.people = accounts.NewDirectory(a.users)
	a.sessions = accounts.NewSessions(db, clock)
	a.tokens = accounts.NewTokens(db, clock)
	a.throttle = accounts.NewThrottle(db, clock)
	a.props = properties.NewStore(db, box, clock, a.users)
	a.audit = accounts.NewAudit(db, clock)
	a.profiles = accounts.NewProfiles(db, a.audit, clock)
	a.publish = publish.NewStore(db)
	a.outlook = outlook.New(cfg, db, box, a.props, a.users, log, clock)
	a.accounts = accounts.NewLifecycle(db, a.store, a.users, a.sessions, a.tokens, a.throttle, a.audit, log, clock,
		a.outlook.ForgetSignIns, outlooksync.ForgetUser, feeds.ForgetUser, signin.ForgetUser)
	a.feeds = feeds.NewStore(db, box, clock)
	a.auth = accounts.NewAuthenticator(a.users, a.sessions, a.tokens, log, cfg.SecureCookies(), outlook.MetricsPath)
	total := cfg.MaxListings
	if total <= 0 {
		total = config.DefaultMaxListings()
	}
	a.listings = newListingLimiter(total, listingsPerPerson, listingWait)
	for _, opt := range opts {
		opt(a)
	}
	if a.signIn, err = accounts.NewSignIn(a.users, a.sessions, a.throttle, log); err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	if a.pages, err = view.NewRenderer(); err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	a.frame = view.NewFrame(view.NewFlash(cfg.SecureCookies(), a.now), a.outlook.Panel)
	a.microsoft = signin.New(signin.Options{
		Pages: a.pages, Frame: a.frame, DB: db, Box: box, Props: a.props, Users: a.users, Audit: a.audit,
		SignIn: a.signIn, Auth: a.auth, Outlook: a.outlook, Log: log, SiteURL: cfg.SiteURL,
		LoginURL: cfg.MSLoginURL, HTTP: a.outlook.HTTPClient(), Secure: cfg.SecureCookies(), Now: clock,
	})
	a.outlook.SetMicrosoftAccount(a.microsoft.Identities().Account)
	a.setupSync()
	a.setupPublish()
	a.setupContacts()
	a.echo = a.newEcho()
	return a, nil
}

// Handler is the app's HTTP handler.
func (a *App) Handler() http.Handler { return a.echo }

// Store is the calendar store the app serves.
func (a *App) Store() *calendar.Store { return a.store }

// PublishStore is the store of publishing spaces into the members' Outlook: which spaces are
// published, the member targets and the history.
func (a *App) PublishStore() *publish.Store { return a.publish }

// Secrets is the box that seals tokens and secrets at rest.
func (a *App) Secrets() *secrets.Box { return a.box }

// Users is the store of accounts, for the command line.
func (a *App) Users() *accounts.Users { return a.users }

// Tokens is the store of personal API tokens, for the command line.
func (a *App) Tokens() *accounts.Tokens { return a.tokens }

// Accounts is the audited lifecycle of accounts and tokens, for the command line.
func (a *App) Accounts() *accounts.Lifecycle { return a.accounts }

// Properties is the store of System Properties, for the command line.
func (a *App) Properties() *properties.Store { return a.props }

// SetProperty changes a System Property as the command line does (audited as "command
// line"): for embedding programs and end-to-end tests that set a site up.
func (a *App) SetProperty(ctx context.Context, name, value string) error {
	return a.props.Set(ctx, accounts.Viewer{}, name, value)
}

// Background registers work that runs while the server serves, such as the sync scheduler.
// Its context is cancelled at shutdown once HTTP has stopped, and Serve waits for it to return
// before the database is closed. Register before Serve.
func (a *App) Background(name string, run func(ctx context.Context) error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.background = append(a.background, backgroundJob{name, run})
}

// OnStop registers a hook that runs at shutdown after HTTP and the background work have
// stopped and before the database closes, in the reverse order of registration.
func (a *App) OnStop(name string, fn func(ctx context.Context) error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.onStop = append(a.onStop, stopHook{name, fn})
}

// errNoViewer is a programming error: a handler that needs a person ran without accounts.RequireUser.
var errNoViewer = errors.New("app: no signed-in viewer on this request")
