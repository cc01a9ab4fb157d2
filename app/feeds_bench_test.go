package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

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

// BenchmarkImport10000 imports a file of 10,000 events (9,000 single events and 1,000
// weekly series, each series with an excluded and a moved instance) into an empty My
// Calendar through POST /api/v1/imports, and then the same file again (all unchanged).
// Run with -benchtime 1x.
func BenchmarkImport10000(b *testing.B) {
	var f strings.Builder
	f.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n")
	base := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i := range 10000 {
		start := base.Add(time.Duration(i%500) * 24 * time.Hour).Add(time.Duration(i%8) * time.Hour)
		fmt.Fprintf(&f, "BEGIN:VEVENT\r\nUID:bench-%d@example.org\r\nDTSTAMP:20260301T000000Z\r\nSUMMARY:Event %d\r\n"+
			"DTSTART;TZID=Europe/Berlin:%s\r\nDTEND;TZID=Europe/Berlin:%s\r\nLOCATION:Room %d\r\n",
			i, i, start.Format("20060102T150405"), start.Add(time.Hour).Format("20060102T150405"), i%40)
		if i%10 == 0 {
			fmt.Fprintf(&f, "RRULE:FREQ=WEEKLY;COUNT=20\r\nEXDATE;TZID=Europe/Berlin:%s\r\nEND:VEVENT\r\n", start.AddDate(0, 0, 14).Format("20060102T150405"))
			fmt.Fprintf(&f, "BEGIN:VEVENT\r\nUID:bench-%d@example.org\r\nDTSTAMP:20260301T000000Z\r\nSUMMARY:Event %d (moved)\r\n"+
				"RECURRENCE-ID;TZID=Europe/Berlin:%s\r\nDTSTART;TZID=Europe/Berlin:%s\r\nDTEND;TZID=Europe/Berlin:%s\r\n",
				i, i, start.AddDate(0, 0, 21).Format("20060102T150405"), start.AddDate(0, 0, 22).Format("20060102T150405"),
				start.AddDate(0, 0, 22).Add(time.Hour).Format("20060102T150405"))
		}
		f.WriteString("END:VEVENT\r\n")
	}
	f.WriteString("END:VCALENDAR\r\n")
	file := []byte(f.String())
	for b.Loop() {
		b.StopTimer()
		site, _ := url.Parse("http://127.0.0.1:8080")
		a, err := New(config.Config{Addr: "127.0.0.1:8080", SiteURL: site}, slog.New(slog.NewTextHandler(io.Discard, nil)), dbtest.SQLite(b), WithBcryptCost(bcrypt.MinCost))
		if err != nil {
			b.Fatal(err)
		}
		u, err := a.users.Create(context.Background(), accounts.NewUser{Email: "importer@example.com", Name: "Importer", TimeZone: "Europe/Berlin"})
		if err != nil {
			b.Fatal(err)
		}
		tok, err := a.tokens.Create(context.Background(), u.ID, "bench")
		if err != nil {
			b.Fatal(err)
		}
		post := func() (time.Duration, string) {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/imports", bytes.NewReader(file))
			req.Header.Set("Content-Type", "text/calendar")
			req.Header.Set("Authorization", "Bearer "+tok)
			rec := httptest.NewRecorder()
			start := time.Now()
			a.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("import: %d %s", rec.Code, rec.Body.String())
			}
			return time.Since(start), rec.Body.String()
		}
		b.StartTimer()
		first, sum := post()
		if !strings.Contains(sum, `"imported":10000`) {
			b.Fatalf("first import: %s", sum)
		}
		again, sum := post()
		if !strings.Contains(sum, `"unchanged":10000`) {
			b.Fatalf("second import: %s", sum)
		}
		b.ReportMetric(first.Seconds(), "s-first")
		b.ReportMetric(again.Seconds(), "s-again")
		b.ReportMetric(float64(len(file))/1e6, "MB-file")
	}
}
