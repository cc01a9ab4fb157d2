package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"intracal/app/accounts"
	"intracal/calendar"
	"intracal/config"
	"intracal/migrations/dbtest"
)

// The memory figures of docs/benchmarks.md (issue 12, item 4): 100 endless daily series begun
// as early as an event may begin, listed 400 days at a time (each answer cut at the cap) by
// 40 and 120 clients at once, through the real router on a loopback listener. Run with
//
//	go test -run '^$' -bench ParallelHeavyListings -benchtime 1x ./app/
//
// A goroutine samples memory every millisecond: peak-heap-MB is the highest heap of objects
// (runtime/metrics) minus the heap before the burst, peak-RSS-MB the highest resident size
// (Linux /proc/self/statm; not reported elsewhere) minus the resident size before it, once
// what earlier bursts left is returned to the OS. The
// kernel's VmHWM is no use here: it is updated lazily and Go returns memory by madvise.

// heavyWindow is the 400-day window the clients ask for.
const heavyWindow = "from=2026-01-01&to=2027-02-05"

// heavyListingServer serves an organizer's My Calendar of 100 endless daily series, public,
// and people tokens of viewers who list that calendar by its id. It returns the app, its
// server, the organizer's token, the viewers' tokens and the calendar's id.
func heavyListingServer(b *testing.B, viewers int) (*App, *httptest.Server, string, []string, int64) {
	b.Helper()
	ctx := context.Background()
	a, err := New(testConfigTB(b), discardLog(), dbtest.SQLite(b), WithBcryptCost(4))
	if err != nil {
		b.Fatal(err)
	}
	owner, err := a.users.Create(ctx, accounts.NewUser{Email: "owner@example.com", Name: "Owner", TimeZone: "Europe/Berlin"})
	if err != nil {
		b.Fatal(err)
	}
	cal, err := a.store.MyCalendar(ctx, owner.ID)
	if err != nil {
		b.Fatal(err)
	}
	// Dates before 1900 are refused since issue 12's earlier items; the series began in
	// year 1, which costs the listing no more than 1900 (daily starts are counted, not stepped).
	for i := range 100 {
		e, err := calendar.NewEvent(cal, owner.ID, calendar.EventInput{
			Title: fmt.Sprintf("Daily %03d", i), Location: "Room " + strconv.Itoa(i%12), Description: "Every day since 1900.",
			Start: fmt.Sprintf("1900-01-01T%02d:%02d", 6+i%12, 5*(i%12)), End: fmt.Sprintf("1900-01-01T%02d:%02d", 7+i%12, 5*(i%12)),
			TimeZone: "Europe/Berlin", RRule: "FREQ=DAILY", Privacy: calendar.Public,
		})
		if err != nil {
			b.Fatal(err)
		}
		if err := a.store.Create(ctx, e); err != nil {
			b.Fatal(err)
		}
	}
	ownerTok, err := a.tokens.Create(ctx, owner.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	toks := make([]string, viewers)
	for i := range toks {
		u, err := a.users.Create(ctx, accounts.NewUser{Email: fmt.Sprintf("viewer%03d@example.com", i), Name: "Viewer " + strconv.Itoa(i), TimeZone: "Europe/Berlin"})
		if err != nil {
			b.Fatal(err)
		}
		if toks[i], err = a.tokens.Create(ctx, u.ID, "bench"); err != nil {
			b.Fatal(err)
		}
	}
	srv := httptest.NewServer(a.Handler())
	b.Cleanup(srv.Close)
	return a, srv, ownerTok, toks, cal
}

// burstResult is what one burst of parallel listings gave.
type burstResult struct {
	status          map[int]int
	answerBytes     int64 // of a 200 answer
	peakHeap, heap0 uint64
	peakRSS, rss0   uint64 // 0 where /proc is missing
}

// burst sends the n requests at once and samples memory until the last answer is read.
func burst(b *testing.B, client *http.Client, reqs []*http.Request) burstResult {
	// Return what earlier bursts left to the OS, so that the resident size starts low.
	debug.FreeOSMemory()
	res := burstResult{status: map[int]int{}}
	samples := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(samples)
	res.heap0, res.peakHeap = samples[0].Value.Uint64(), samples[0].Value.Uint64()
	res.rss0 = residentBytes()
	res.peakRSS = res.rss0

	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(samples)
			res.peakHeap = max(res.peakHeap, samples[0].Value.Uint64())
			res.peakRSS = max(res.peakRSS, residentBytes())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, req := range reqs {
		wg.Go(func() {
			<-start
			r, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			n, err := io.Copy(io.Discard, r.Body)
			r.Body.Close()
			if err != nil {
				b.Error(err)
			}
			mu.Lock()
			res.status[r.StatusCode]++
			if r.StatusCode == http.StatusOK {
				res.answerBytes = n
			}
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	close(done)
	<-sampled
	return res
}

func BenchmarkParallelHeavyListings(b *testing.B) {
	a, srv, ownerTok, viewers, cal := heavyListingServer(b, 120)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 200}}
	get := func(tok, query string) *http.Request {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/v1/occurrences?"+query, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		return req
	}
	// One listing first: it fills the store's cache, and checks that the answer is cut.
	r, err := client.Do(get(ownerTok, heavyWindow))
	if err != nil {
		b.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	r.Body.Close()
	if r.StatusCode != http.StatusOK || !bytes.HasSuffix(bytes.TrimSpace(body), []byte(`"truncated":true}`)) {
		b.Fatalf("warm-up: status %d, %d bytes, not cut", r.StatusCode, len(body))
	}
	for _, n := range []int{40, 120} {
		// many-people-nolimit is many-people with the listing limiter opened wide: what
		// streaming the answer does alone. (The code before the limiter has no such field.)
		for _, who := range []string{"one-person", "many-people", "many-people-nolimit"} {
			b.Run(fmt.Sprintf("%s/%d", who, n), func(b *testing.B) {
				limiter := a.listings
				if who == "many-people-nolimit" {
					a.listings = newListingLimiter(config.MaxMaxListings, config.MaxMaxListings, listingWait)
					defer func() { a.listings = limiter }()
				}
				var worst burstResult
				statuses := map[int]int{}
				for b.Loop() {
					reqs := make([]*http.Request, n)
					for i := range reqs {
						if who == "one-person" {
							reqs[i] = get(ownerTok, heavyWindow)
						} else {
							reqs[i] = get(viewers[i], heavyWindow+"&calendarId="+strconv.FormatInt(cal, 10))
						}
					}
					res := burst(b, client, reqs)
					if res.peakHeap-res.heap0 >= worst.peakHeap-worst.heap0 {
						worst.peakHeap, worst.heap0 = res.peakHeap, res.heap0
					}
					if res.peakRSS-res.rss0 >= worst.peakRSS-worst.rss0 {
						worst.peakRSS, worst.rss0 = res.peakRSS, res.rss0
					}
					worst.answerBytes = max(worst.answerBytes, res.answerBytes)
					for k, v := range res.status {
						statuses[k] += v
					}
				}
				mb := func(x uint64) float64 { return float64(x) / (1 << 20) }
				b.ReportMetric(mb(worst.peakHeap-worst.heap0), "peak-heap-MB")
				if worst.peakRSS > 0 {
					b.ReportMetric(mb(worst.peakRSS-worst.rss0), "peak-RSS-MB")
				}
				b.ReportMetric(float64(worst.answerBytes)/(1<<20), "MB/answer")
				for _, code := range []int{http.StatusOK, http.StatusTooManyRequests, http.StatusServiceUnavailable} {
					b.ReportMetric(float64(statuses[code])/float64(b.N), fmt.Sprintf("n%d", code))
				}
			})
		}
	}
}

// residentBytes is the process's resident size (Linux), 0 when it cannot be read.
func residentBytes() uint64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(data))
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize())
}
