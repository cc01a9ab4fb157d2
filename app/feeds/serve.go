package feeds

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/httpkit"
	"intracal/calendar"
	"intracal/calendar/ical"
)

// The window of a feed: series are written whole; single events and changed instances are
// those in it.
const (
	feedBack  = 90 * 24 * time.Hour
	feedAhead = 548 * 24 * time.Hour
	// cacheFor is how long a built feed is served again without looking at the database:
	// calendar apps poll every 15 minutes to a few hours, so a change shows within the next
	// poll all the same, and a thousand phones cost one build a minute per feed.
	cacheFor = time.Minute
)

// maxImportsAtOnce is how many imports the process runs at once; more get 503.
const maxImportsAtOnce = 2

// Path is where feeds are served: Path + token + ".ics".
const Path = "/feeds/"

// Handlers serve the feeds, their settings and the download of one event.
type Handlers struct {
	store  *Store
	cal    *calendar.Store
	people *accounts.Directory
	users  *accounts.Users
	site   *url.URL
	now    func() time.Time

	mu    sync.Mutex
	built map[string]builtFeed // by token

	// imports bounds the imports running at once: a file of 32 MiB takes a few hundred
	// megabytes while it is read.
	imports chan struct{}
}

// builtFeed is a feed's last build.
type builtFeed struct {
	at       time.Time
	body     []byte
	etag     string
	modified time.Time
}

// NewHandlers serves the feeds of store, from the calendar cal, naming people from the
// directory, for the site at site.
func NewHandlers(store *Store, cal *calendar.Store, people *accounts.Directory, users *accounts.Users, site *url.URL, now func() time.Time) *Handlers {
	return &Handlers{store: store, cal: cal, people: people, users: users, site: site, now: now, built: map[string]builtFeed{},
		imports: make(chan struct{}, maxImportsAtOnce)}
}

// URLs are a feed's addresses: https for browsers and Google Calendar, webcal for the
// phones' "subscribe" links.
func (h *Handlers) URLs(token string) (https, webcal string) {
	u := *h.site
	u.Path = strings.TrimRight(u.Path, "/") + Path + token + ".ics"
	https = u.String()
	w := u
	w.Scheme = "webcal"
	return https, w.String()
}

var errNoSuchFeed = httpkit.NewError(http.StatusNotFound, "not_found", "There is no calendar feed at this address: it was turned off or replaced by a new one.")

// Serve is GET /feeds/{token}.ics: the feed, or 304 when the caller has it already.
func (h *Handlers) Serve(c echo.Context) error {
	token, ok := strings.CutSuffix(c.Param("token"), ".ics")
	if !ok {
		return errNoSuchFeed
	}
	ctx := c.Request().Context()
	f, err := h.store.ByToken(ctx, token)
	if errors.Is(err, ErrNoFeed) {
		return errNoSuchFeed
	}
	if err != nil {
		return err
	}
	b, err := h.build(ctx, f)
	if err != nil {
		return err
	}
	hd := c.Response().Header()
	hd.Set("ETag", b.etag)
	hd.Set("Last-Modified", b.modified.UTC().Format(http.TimeFormat))
	hd.Set("Cache-Control", "private, max-age=300")
	if inm := c.Request().Header.Get("If-None-Match"); inm != "" && etagMatches(inm, b.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	if ims, err := http.ParseTime(c.Request().Header.Get("If-Modified-Since")); err == nil &&
		c.Request().Header.Get("If-None-Match") == "" && !b.modified.Truncate(time.Second).After(ims) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", b.body)
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/"))
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// build returns the feed's file, built at most cacheFor ago.
func (h *Handlers) build(ctx context.Context, f Feed) (builtFeed, error) {
	now := h.now()
	key := f.Token + "\x00" + f.Private
	h.mu.Lock()
	b, ok := h.built[key]
	h.mu.Unlock()
	if ok && now.Sub(b.at) < cacheFor && now.Sub(b.at) >= 0 {
		return b, nil
	}
	if f.OwnerKind == KindSpace {
		return h.buildSpace(ctx, f, key, now)
	}
	u, err := h.users.ByID(ctx, f.OwnerID)
	if err != nil {
		return builtFeed{}, err
	}
	if !u.Active() {
		return builtFeed{}, errNoSuchFeed // a disabled or deleted account's feed says nothing
	}
	v := calendar.Viewer{UserID: f.OwnerID}
	from, to := now.Add(-feedBack), now.Add(feedAhead)
	events, err := h.cal.FeedEvents(ctx, v, from, to)
	if err != nil {
		return builtFeed{}, err
	}
	if f.Private == PrivateHidden {
		kept := events[:0]
		for _, e := range events {
			if e.Privacy != calendar.Private {
				kept = append(kept, e)
			}
		}
		events = kept
	}
	body, modified, err := h.write(ctx, u.Name+" · My Calendar", v.UserID, events, from, to, f.CreatedAt,
		func(e *calendar.Event) bool { return e.Privacy == calendar.Private })
	if err != nil {
		return builtFeed{}, err
	}
	return h.keep(key, now, body, modified), nil
}

// buildSpace builds a space's feed: its public events, the same for every reader.
func (h *Handlers) buildSpace(ctx context.Context, f Feed, key string, now time.Time) (builtFeed, error) {
	sp, err := h.cal.FeedSpace(ctx, f.OwnerID)
	if errors.Is(err, calendar.ErrNotFound) {
		return builtFeed{}, errNoSuchFeed
	}
	if err != nil {
		return builtFeed{}, err
	}
	from, to := now.Add(-feedBack), now.Add(feedAhead)
	events, err := h.cal.CalendarFeedEvents(ctx, sp.CalendarID, from, to)
	if err != nil {
		return builtFeed{}, err
	}
	body, modified, err := h.write(ctx, sp.Name, 0, events, from, to, f.CreatedAt, nil)
	if err != nil {
		return builtFeed{}, err
	}
	return h.keep(key, now, body, modified), nil
}

// keep remembers a build for cacheFor.
func (h *Handlers) keep(key string, now time.Time, body []byte, modified time.Time) builtFeed {
	sum := sha256.Sum256(body)
	b := builtFeed{at: now, body: body, etag: `"` + hex.EncodeToString(sum[:16]) + `"`, modified: modified}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.built) > 10000 {
		clear(h.built)
	}
	h.built[key] = b
	return b
}

// write writes events as an iCalendar file for the reader, naming the people in them; its
// DTSTAMP and the Last-Modified returned are the latest change of any of them (or since,
// when none is later), so that an unchanged calendar writes the same bytes.
func (h *Handlers) write(ctx context.Context, name string, reader int64, events []*calendar.Event, from, to, since time.Time,
	busy func(*calendar.Event) bool) ([]byte, time.Time, error) {
	ids := []int64{reader}
	modified := since.UTC()
	for _, e := range events {
		ids = append(ids, e.OrganizerID)
		for _, in := range e.Invitations {
			ids = append(ids, in.UserID)
		}
		for _, r := range e.RSVPs {
			ids = append(ids, r.UserID)
			if r.UpdatedAt.After(modified) {
				modified = r.UpdatedAt.UTC()
			}
		}
		if e.UpdatedAt.After(modified) {
			modified = e.UpdatedAt.UTC()
		}
	}
	people, err := h.people.ByIDs(ctx, ids)
	if err != nil {
		return nil, time.Time{}, err
	}
	named := make(map[int64]ical.Person, len(people))
	for id, p := range people {
		named[id] = ical.Person{Name: p.Name, Email: p.Email}
	}
	var buf bytes.Buffer
	err = ical.Write(&buf, ical.Feed{Name: name, Reader: reader, Events: events, People: named, BusyOnly: busy,
		From: from, To: to, Stamp: modified})
	return buf.Bytes(), modified, err
}

// Download is GET /events/{id}/ics: the event, with its whole series, as a file to open in
// another calendar.
func (h *Handlers) Download(c echo.Context) error {
	v := accounts.CurrentViewer(c)
	id, err := httpkit.PathID(c)
	if err != nil {
		return err
	}
	e, err := h.cal.Get(c.Request().Context(), v.CalendarViewer(), id)
	if err != nil {
		return err
	}
	now := h.now()
	body, _, err := h.write(c.Request().Context(), "", v.UserID, []*calendar.Event{e}, now.Add(-feedBack), now.Add(feedAhead), e.UpdatedAt, nil)
	if err != nil {
		return err
	}
	title := "event"
	if len(e.Segments) > 0 {
		title = e.Segments[0].Title
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+fileName(title)+`.ics"`)
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", body)
}

// fileName keeps letters, digits and a few marks of a title, for a download's name.
func fileName(title string) string {
	var b strings.Builder
	for _, r := range title {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ' || r == '.':
			b.WriteByte('-')
		}
		if b.Len() >= 60 {
			break
		}
	}
	if b.Len() == 0 {
		return "event"
	}
	return b.String()
}
