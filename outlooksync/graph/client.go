package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	absauth "github.com/microsoft/kiota-abstractions-go/authentication"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	khttp "github.com/microsoft/kiota-http-go"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	textser "github.com/microsoft/kiota-serialization-text-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
	"golang.org/x/oauth2"
	"golang.org/x/sync/semaphore"

	"intracal/outlooksync"
)

// MarkerPropertyID is the single-value extended property that tags the items the sync
// created in Outlook with our ids, so an item created just before a crash is recognised
// instead of duplicated. The GUID is this program's own property set; never change it, or
// items created earlier stop being recognised.
const MarkerPropertyID = "String {8a3e5d2c-6b1f-4e7a-9c4d-2f5b8e1a7c63} Name intracalSync"

// Defaults of Options.
const (
	DefaultPageSize         = 50
	DefaultMaxDeltaPages    = 500
	DefaultMaxConcurrent    = 4
	DefaultBatchParallelism = 4
	DefaultBatchSize        = 20
	DefaultMaxRetries       = 3
	DefaultMaxBatchWait     = 30 * time.Second
)

// Options tune a Client; the zero value is what Outlook needs.
type Options struct {
	// PageSize is sent as Prefer: odata.maxpagesize on delta and instance reads.
	PageSize int
	// MaxDeltaPages caps the pages one delta read follows; a longer chain is treated as a
	// stuck token and answered with outlooksync.ErrResyncNeeded.
	MaxDeltaPages int
	// MaxConcurrent is how many requests for the mailbox may be at Outlook at once.
	MaxConcurrent int
	// BatchParallelism is how many requests of one $batch Graph runs at the same time; a
	// $batch holds that many of MaxConcurrent while it runs.
	BatchParallelism int
	// BatchSize is the number of operations per $batch (Graph allows at most 20).
	BatchSize int
	// MaxRetries is how often the SDK's retry handler resends a request answered 429, 503 or
	// 504 (waiting what Retry-After says), and how often Apply resends the operations that
	// a $batch answered 429 or 503.
	MaxRetries int
	// MaxBatchWait is the longest Retry-After of a throttled batch operation that Apply waits
	// for itself; longer waits come back as *outlooksync.ThrottledError.
	MaxBatchWait time.Duration
	// MaxRetryWait, when set, is the longest Retry-After the SDK's retry handler waits for;
	// a longer one comes back as the 429 or 503 (*outlooksync.ThrottledError), so that a
	// caller working through many mailbox (publishing) moves on and comes back later.
	MaxRetryWait time.Duration
}

func (o Options) withDefaults() Options {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.PageSize, DefaultPageSize)
	def(&o.MaxDeltaPages, DefaultMaxDeltaPages)
	def(&o.MaxConcurrent, DefaultMaxConcurrent)
	def(&o.BatchParallelism, DefaultBatchParallelism)
	def(&o.BatchSize, DefaultBatchSize)
	def(&o.MaxRetries, DefaultMaxRetries)
	if o.BatchSize > DefaultBatchSize {
		o.BatchSize = DefaultBatchSize
	}
	if o.BatchParallelism > o.MaxConcurrent {
		o.BatchParallelism = o.MaxConcurrent
	}
	if o.MaxBatchWait <= 0 {
		o.MaxBatchWait = DefaultMaxBatchWait
	}
	return o
}

// Client is the Graph calendar of one mailbox.
type Client struct {
	adapter *msgraphcore.GraphRequestAdapterBase
	me      *users.UserItemRequestBuilder
	opts    Options
	zones   *zones
	// slots bounds the requests at Outlook for this mailbox.
	slots *semaphore.Weighted
	// calendar, when set, is the mailbox's calendar whose events the client reads and
	// writes (InCalendar); "" is the default calendar.
	calendar string
	// user is the mailbox's segment of a Graph path: "me-token-to-replace" (delegated) or
	// the user's id or principal name (NewForUser).
	user string
}

var _ outlooksync.Graph = (*Client)(nil)

// New returns a client for the mailbox whose tokens ts gives. baseURL is Graph's root
// (https://graph.microsoft.com, a national cloud's, or the fake's), without /v1.0; hc carries
// the requests (nil: http.DefaultTransport) and its Timeout bounds each one.
func New(baseURL string, ts oauth2.TokenSource, hc *http.Client, opts Options) (*Client, error) {
	// The core's URL middleware turns /users/me-token-to-replace into /me.
	return newClient(baseURL, ts, hc, opts, "me-token-to-replace")
}

// NewForUser returns a client for the mailbox named by user (its object id or user principal
// name) under /users/{user}: for an app signed in as itself (client credentials) with the
// application permissions a tenant's administrator consented to, which may write into any
// mailbox of the tenant (publishing a space's calendar into its members' Outlook).
func NewForUser(baseURL string, ts oauth2.TokenSource, hc *http.Client, opts Options, user string) (*Client, error) {
	if strings.TrimSpace(user) == "" || strings.ContainsAny(user, "/?#") {
		return nil, fmt.Errorf("graph: user %q is not an object id or a user principal name", user)
	}
	return newClient(baseURL, ts, hc, opts, user)
}

func newClient(baseURL string, ts oauth2.TokenSource, hc *http.Client, opts Options, user string) (*Client, error) {
	if ts == nil {
		return nil, errors.New("graph: no token source")
	}
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("graph: base URL %q must be an absolute http(s) URL", baseURL)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return nil, fmt.Errorf("graph: base URL %q must use https (plain http only on loopback, for the fake)", baseURL)
	}
	opts = opts.withDefaults()
	registerSerializers()

	tokens, err := newTokenProvider(ts, u.Hostname())
	if err != nil {
		return nil, err
	}
	var parent http.RoundTripper = http.DefaultTransport
	var timeout time.Duration
	if hc != nil {
		if hc.Transport != nil {
			parent = hc.Transport
		}
		timeout = hc.Timeout
	}
	parent = &reauthTransport{next: &preferTransport{next: parent}, tokens: tokens}
	coreOpts := msgraphcore.GraphClientOptions{GraphServiceVersion: "v1.0", GraphServiceLibraryVersion: "intracal"}
	middleware := msgraphcore.GetDefaultMiddlewaresWithOptions(&coreOpts)
	for i, m := range middleware {
		if _, ok := m.(*khttp.RetryHandler); ok {
			middleware[i] = khttp.NewRetryHandlerWithOptions(khttp.RetryHandlerOptions{
				MaxRetries: opts.MaxRetries,
				ShouldRetry: func(_ time.Duration, _ int, _ *http.Request, resp *http.Response) bool {
					return opts.MaxRetryWait <= 0 || parseRetryAfter(resp.Header.Get("Retry-After")) <= opts.MaxRetryWait
				},
			})
		}
	}
	client := &http.Client{
		Transport: khttp.NewCustomTransportWithParentTransport(parent, middleware...),
		Timeout:   timeout,
		// Redirects are the redirect middleware's business, as in the SDK's own client.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	adapter, err := msgraphcore.NewGraphRequestAdapterBaseWithParseNodeFactoryAndSerializationWriterFactoryAndHttpClient(
		absauth.NewBaseBearerTokenAuthenticationProvider(tokens), coreOpts, nil, nil, client)
	if err != nil {
		return nil, fmt.Errorf("graph: request adapter: %w", err)
	}
	adapter.SetBaseUrl(u.String() + "/v1.0")
	me := users.NewUserItemRequestBuilderInternal(map[string]string{
		"baseurl":   adapter.GetBaseUrl(),
		"user%2Did": user,
	}, adapter)
	return &Client{adapter: adapter, me: me, opts: opts, zones: newZones(), user: user,
		slots: semaphore.NewWeighted(int64(opts.MaxConcurrent))}, nil
}

// sdkRegistry makes the SDK's error registry once (registerSerializers). A package variable,
// because the registry it guards is one too.
var sdkRegistry sync.Once

// registerSerializers does what the SDK's root package does when its client is built: the
// SDK (and its $batch code) looks serializers up in kiota's default registries. Registering
// is idempotent and guarded by the registries' locks.
func registerSerializers() {
	// The $batch code reads msgraph-sdk-go-core's error registry, a singleton it makes on first
	// use without a memory barrier: made here once, before any client sends, every later read
	// happens after it (the race detector saw two first $batch sends of two mailboxes at once).
	sdkRegistry.Do(func() { msgraphcore.GetErrorFactoryFromRegistry("") })
	abs.RegisterDefaultSerializer(func() absser.SerializationWriterFactory { return jsonser.NewJsonSerializationWriterFactory() })
	abs.RegisterDefaultSerializer(func() absser.SerializationWriterFactory { return textser.NewTextSerializationWriterFactory() })
	abs.RegisterDefaultDeserializer(func() absser.ParseNodeFactory { return jsonser.NewJsonParseNodeFactory() })
	abs.RegisterDefaultDeserializer(func() absser.ParseNodeFactory { return textser.NewTextParseNodeFactory() })
}

// acquire takes n of the mailbox's request slots.
func (c *Client) acquire(ctx context.Context, n int) (func(), error) {
	if n > c.opts.MaxConcurrent {
		n = c.opts.MaxConcurrent
	}
	if err := c.slots.Acquire(ctx, int64(n)); err != nil {
		return nil, err
	}
	return func() { c.slots.Release(int64(n)) }, nil
}

// headers are the request headers of every SDK call: the Prefer values Outlook needs, plus
// extra ones.
func headers(extra ...string) *abs.RequestHeaders {
	h := abs.NewRequestHeaders()
	h.Add("Prefer", preferImmutableID)
	h.Add("Prefer", `outlook.body-content-type="text"`)
	for _, e := range extra {
		h.Add("Prefer", e)
	}
	return h
}

func isLoopback(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}
