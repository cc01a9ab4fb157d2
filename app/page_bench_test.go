package app

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"intracal/app/accounts"
	"intracal/app/internal/apptest"
	"intracal/calendar"
	"intracal/config"
	"intracal/migrations/dbtest"
)

// The HTTP figures of docs/benchmarks.md: requests per second and latency percentiles of the
// month view page and of the occurrences API for a person with 200 repeating series, served
// by the real router on a loopback listener and loaded by concurrent keep-alive clients.
// Run them with `make bench-http` (go test -run '^$' -bench HTTP -benchtime 10s ./app).

// benchSeries is the calendar of the benchmark: 200 series of the shapes people use, with
// changed and cancelled instances.
func benchSeries(b *testing.B, a *App, userID int64) {
	b.Helper()
	ctx := context.Background()
	cal, err := a.store.MyCalendar(ctx, userID)
	if err != nil {
		b.Fatal(err)
	}
	rules := []string{
		"FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=WEEKLY;BYDAY=TU", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
		"FREQ=DAILY;INTERVAL=1;COUNT=400", "FREQ=MONTHLY;BYDAY=2MO", "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1",
		"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=14", "FREQ=WEEKLY;BYDAY=FR;COUNT=52", "FREQ=MONTHLY;BYDAY=-1FR",
	}
	cv := calendar.Viewer{UserID: userID}
	for i := 0; i < 200; i++ {
		start := time.Date(2026, 1, 5+i%7, 8+i%10, 15*(i%4), 0, 0, time.UTC)
		e, err := calendar.NewEvent(cal, userID, calendar.EventInput{
			Title: fmt.Sprintf("Series %03d", i), Location: "Room " + fmt.Sprint(i%12), Description: "Agenda in the wiki.",
			Start: start.Format("2006-01-02T15:04"), End: start.Add(time.Duration(30+15*(i%3)) * time.Minute).Format("2006-01-02T15:04"),
			TimeZone: "Europe/Berlin", RRule: rules[i%len(rules)],
		})
		if err != nil {
			b.Fatal(err)
		}
		if err := a.store.Create(ctx, e); err != nil {
			b.Fatal(err)
		}
		// Every other series has a changed and a cancelled instance in March.
		if i%2 == 0 {
			occ := e.Instances(cv, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), false)
			if len(occ) >= 2 {
				title := e.Segments[0].Title + " (moved room)"
				if _, _, err := a.store.Edit(ctx, cv, e.ID, nil, calendar.ScopeInstance, occ[0].OriginalStart, calendar.Change{Title: &title}); err != nil {
					b.Fatal(err)
				}
				if _, err := a.store.Delete(ctx, cv, e.ID, nil, calendar.ScopeInstance, occ[1].OriginalStart); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
}

// testConfigTB is testConfig for benchmarks.
func testConfigTB(tb testing.TB) config.Config {
	u, _ := url.Parse("http://calendar.test")
	cfg := config.Config{Addr: "127.0.0.1:0", SiteURL: u, DataDir: tb.TempDir()}
	for i := range cfg.SecretKey {
		cfg.SecretKey[i] = byte(100 + i)
	}
	return cfg
}

// benchServer is the app with the benchmark calendar on a loopback listener, and a token of
// its owner.
func benchServer(b *testing.B) (*httptest.Server, string) {
	b.Helper()
	clock := apptest.NewClock()
	a, err := New(testConfigTB(b), discardLog(), dbtest.SQLite(b), WithClock(clock.Now), WithBcryptCost(4))
	if err != nil {
		b.Fatal(err)
	}
	u, err := a.users.Create(context.Background(), accounts.NewUser{Email: "heavy@example.com", Name: "Heavy User", TimeZone: "Europe/Berlin"})
	if err != nil {
		b.Fatal(err)
	}
	benchSeries(b, a, u.ID)
	// These figures are of one person's calendar served to 16 clients at once: the listing
	// limiter would refuse all but two of that person's (listings.go), so it is opened wide.
	a.listings = newListingLimiter(config.MaxMaxListings, config.MaxMaxListings, listingWait)
	tok, err := a.tokens.Create(context.Background(), u.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	b.Cleanup(srv.Close)
	return srv, tok
}

// loadTest sends b.N GETs of path from concurrent clients and reports requests per second
// and the 50th and 99th percentile latency.
func loadTest(b *testing.B, srv *httptest.Server, token, path string, wantMin int) {
	// One warm-up request, which also checks the answer.
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
	get := func() (int, int, error) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := client.Do(req)
		if err != nil {
			return 0, 0, err
		}
		n, err := io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res.StatusCode, int(n), err
	}
	status, size, err := get()
	if err != nil || status != http.StatusOK || size < wantMin {
		b.Fatalf("GET %s: status %d, %d bytes, %v", path, status, size, err)
	}
	b.SetParallelism(8) // 8 clients per CPU
	var mu sync.Mutex
	var all []time.Duration
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			t0 := time.Now()
			status, _, err := get()
			mine = append(mine, time.Since(t0))
			if err != nil || status != http.StatusOK {
				b.Errorf("GET %s: status %d, %v", path, status, err)
				return
			}
		}
		mu.Lock()
		all = append(all, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(all)
	pct := func(p float64) float64 {
		if len(all) == 0 {
			return 0
		}
		return float64(all[min(len(all)-1, int(p*float64(len(all))))].Microseconds()) / 1000
	}
	b.ReportMetric(float64(len(all))/elapsed.Seconds(), "req/s")
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(float64(size)/1024, "KiB/resp")
}

func BenchmarkHTTPMonthView(b *testing.B) {
	srv, tok := benchServer(b)
	loadTest(b, srv, tok, "/calendar?date=2026-03-10", 50_000)
}

func BenchmarkHTTPOccurrencesAPI(b *testing.B) {
	srv, tok := benchServer(b)
	// The six weeks the month view of March 2026 shows.
	loadTest(b, srv, tok, "/api/v1/occurrences?from=2026-02-23&to=2026-04-06", 100_000)
}
