package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"intracal/app/accounts"
	"intracal/app/feeds"
	"intracal/app/internal/apptest"
	"intracal/config"
	"intracal/migrations/dbtest"
)

// BenchmarkFeedRevalidation is a calendar app polling a feed of 1,000 daily series with the
// ETag it has: the answer is 304, from the feed built within the last minute. Run with
// -benchtime; compare BenchmarkFeedHeavy (./calendar/) for a build.
func BenchmarkFeedRevalidation(b *testing.B) {
	site, _ := url.Parse("http://127.0.0.1:8080")
	cfg := config.Config{Addr: "127.0.0.1:8080", SiteURL: site}
	a, err := New(cfg, slog.New(slog.NewTextHandler(io.Discard, nil)), dbtest.SQLite(b), WithBcryptCost(bcrypt.MinCost))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	u, err := a.users.Create(ctx, accounts.NewUser{Email: "heavy@example.com", Name: "Heavy", TimeZone: "Europe/Berlin"})
	if err != nil {
		b.Fatal(err)
	}
	apptest.SeedDailySeries(b, a.store, u.ID, 1000)
	f, err := a.feeds.Regenerate(ctx, feeds.KindUser, u.ID)
	if err != nil {
		b.Fatal(err)
	}
	path := feeds.Path + f.Token + ".ics"
	get := func(etag string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		rec := httptest.NewRecorder()
		a.Handler().ServeHTTP(rec, req)
		return rec
	}
	first := get("")
	if first.Code != http.StatusOK {
		b.Fatalf("feed: %d", first.Code)
	}
	etag := first.Header().Get("ETag")
	b.ResetTimer()
	for b.Loop() {
		if rec := get(etag); rec.Code != http.StatusNotModified {
			b.Fatalf("revalidation: %d", rec.Code)
		}
	}
	b.ReportMetric(float64(first.Body.Len())/1e6, "MB/feed")
}
