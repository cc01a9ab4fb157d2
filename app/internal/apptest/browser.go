package apptest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// Browser sends requests through an app's real router in-process and keeps cookies like a
// browser.
type Browser struct {
	T       *testing.T
	H       http.Handler
	Cookies map[string]*http.Cookie
	IP      string      // the client's address
	Header  http.Header // added to every request
}

// NewBrowser is a browser with no cookies yet, at 192.0.2.10, in front of h.
func NewBrowser(t *testing.T, h http.Handler) *Browser {
	return &Browser{T: t, H: h, Cookies: map[string]*http.Cookie{}, IP: "192.0.2.10", Header: http.Header{}}
}

// Do sends a request with the browser's cookies and headers, and keeps the cookies the answer
// sets.
func (b *Browser) Do(method, path string, body io.Reader, header http.Header) *http.Response {
	b.T.Helper()
	req := httptest.NewRequest(method, path, body)
	req.RemoteAddr = b.IP + ":40000"
	for k, vs := range b.Header {
		req.Header[k] = vs
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	for _, c := range b.Cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.H.ServeHTTP(rec, req)
	res := rec.Result()
	for _, c := range res.Cookies() {
		if c.MaxAge < 0 {
			delete(b.Cookies, c.Name)
		} else {
			b.Cookies[c.Name] = c
		}
	}
	return res
}

// Get is a GET of path.
func (b *Browser) Get(path string) *http.Response { return b.Do(http.MethodGet, path, nil, nil) }

// PostForm posts form fields as a browser form would.
func (b *Browser) PostForm(path string, form url.Values) *http.Response {
	return b.Do(http.MethodPost, path, strings.NewReader(form.Encode()),
		http.Header{"Content-Type": {"application/x-www-form-urlencoded"}})
}

// Login signs in through the form and fails the test if it does not work.
func (b *Browser) Login(email, password string) {
	b.T.Helper()
	res := b.PostForm("/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		b.T.Fatalf("login as %s: status %d: %s", email, res.StatusCode, ReadBody(res))
	}
}

// SyncBuffer is a text buffer safe for a writer and a reader in different goroutines, such
// as a server's log or output that a test reads while it runs.
type SyncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *SyncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *SyncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
