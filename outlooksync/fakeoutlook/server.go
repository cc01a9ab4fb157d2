package fakeoutlook

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// maxBodyBytes bounds request bodies; Graph's own limit for an event is 4 MB.
const maxBodyBytes = 4 << 20

// Server is the fake identity platform and Graph calendar service. All its
// state is in memory and guarded by one mutex; requests that wait (slow
// faults) do so without holding it.
type Server struct {
	opts  Options
	log   *slog.Logger
	zones zones
	pages *pages
	web   *web // Outlook on the web, for the demo

	mu        sync.Mutex
	apps      map[string]App      // by client id
	mailboxes map[string]*mailbox // by id
	byEmail   map[string]*mailbox // by lower-case email
	codes     map[string]*authCode
	access    map[string]*accessToken
	refresh   map[string]*refreshToken
	consents  map[string][]string   // application permissions by consentKey
	syncs     map[string]*syncState // delta and skip tokens
	faults    []*faultRule
	requests  []Request
	inFlight  map[string]int  // by mailbox id
	inFlightC chan struct{}   // closed and replaced whenever inFlight changes
	subs      []*subscription // change notification subscriptions, in creation order
	notifier  *notifier
	keys      signingKeys // of ID tokens (signing.go)
	// idFault spoils the next ID token and lastIDToken is the one issued last
	// (signin_faults.go); disabled are the mailboxes whose accounts are disabled.
	idFault     IDTokenFault
	lastIDToken string
	disabled    map[string]bool
	// contactBooks are the mailboxes' contacts and contactDeltas their delta tokens, by
	// mailbox id and by token (contacts.go).
	contactBooks  map[string]*contactBook
	contactDeltas map[string]*contactDelta
}

// New returns a fake with the given options. Without apps it registers the
// demo app (DemoClientID, DemoClientSecret, DemoTenantID).
func New(opts Options) *Server {
	opts = opts.withDefaults()
	s := &Server{
		opts:         opts,
		log:          opts.Logger,
		zones:        newZones(opts.Quirks.AcceptAnyIANAZone),
		pages:        newPages(),
		apps:         map[string]App{},
		mailboxes:    map[string]*mailbox{},
		byEmail:      map[string]*mailbox{},
		codes:        map[string]*authCode{},
		access:       map[string]*accessToken{},
		refresh:      map[string]*refreshToken{},
		consents:     map[string][]string{},
		disabled:     map[string]bool{},
		contactBooks: map[string]*contactBook{}, contactDeltas: map[string]*contactDelta{},
		syncs:     map[string]*syncState{},
		inFlight:  map[string]int{},
		inFlightC: make(chan struct{}),
		notifier:  newNotifier(opts.NotificationClient, opts.NotificationWindow),
	}
	for _, a := range opts.Apps {
		s.apps[strings.ToLower(a.ClientID)] = a
	}
	s.web = newWeb(s)
	return s
}

// Apps returns the registered apps.
func (s *Server) Apps() []App {
	return append([]App(nil), s.opts.Apps...)
}

func (s *Server) now() time.Time { return s.opts.Now().UTC() }

// Handler serves the identity platform at /{tenant}/oauth2/v2.0/..., Graph at
// /v1.0/... and the Outlook pages for people at /outlook/.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if p := r.URL.Path; p == "/outlook" || strings.HasPrefix(p, webPrefix) {
		s.web.ServeHTTP(w, r) // pages for people: no Graph headers, request log or faults
		return
	}
	ids := requestIDs{requestID: newGUID(), clientRequestID: r.Header.Get("client-request-id")}
	if ids.clientRequestID == "" {
		ids.clientRequestID = ids.requestID
	}
	body, err := readBody(r)
	if err != nil {
		s.write(w, errorResponse(http.StatusBadRequest, "BadRequest", err.Error()), ids)
		return
	}
	path := r.URL.EscapedPath()
	if path == "/v1.0" || strings.HasPrefix(path, "/v1.0/") {
		s.serveGraph(w, r, body, ids)
		return
	}
	s.serveIdentity(w, r, body, ids)
}

// readBody reads a request body, gunzipping it when the client compressed
// it: the Graph SDK's compression middleware gzips every body.
func readBody(r *http.Request) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read request body: %w", err)
	}
	if len(data) > maxBodyBytes {
		return nil, fmt.Errorf("request body is larger than %d bytes", maxBodyBytes)
	}
	if strings.EqualFold(strings.TrimSpace(r.Header.Get("Content-Encoding")), "gzip") {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("gunzip request body: %w", err)
		}
		data, err = io.ReadAll(io.LimitReader(zr, maxBodyBytes+1))
		if err != nil {
			return nil, fmt.Errorf("gunzip request body: %w", err)
		}
		if len(data) > maxBodyBytes {
			return nil, fmt.Errorf("request body is larger than %d bytes", maxBodyBytes)
		}
	}
	return data, nil
}

// baseURL is the externally visible scheme and host of a request.
func (s *Server) baseURL(r *http.Request) string {
	if s.opts.BaseURL != "" {
		return strings.TrimRight(s.opts.BaseURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// write sends a response with the headers Graph always sends.
func (s *Server) write(w http.ResponseWriter, resp response, ids requestIDs) {
	data, contentType := resp.bodyBytes(ids, s.now())
	h := w.Header()
	for k, vs := range resp.header {
		h[k] = vs
	}
	h.Set("request-id", ids.requestID)
	h.Set("client-request-id", ids.clientRequestID)
	if contentType != "" {
		h.Set("Content-Type", contentType)
		h.Set("Content-Length", strconv.Itoa(len(data)))
	}
	h.Set("Cache-Control", "no-store, no-cache")
	w.WriteHeader(resp.status)
	_, _ = w.Write(data)
}

// writeTruncated sends the headers and half of the body, then drops the
// connection: the "connection dropped in the middle of a page" fault.
func (s *Server) writeTruncated(w http.ResponseWriter, resp response, ids requestIDs) {
	data, contentType := resp.bodyBytes(ids, s.now())
	h := w.Header()
	for k, vs := range resp.header {
		h[k] = vs
	}
	h.Set("request-id", ids.requestID)
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(resp.status)
	_, _ = w.Write(data[:len(data)/2])
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	// ErrAbortHandler makes net/http close the connection without logging.
	panic(http.ErrAbortHandler)
}
