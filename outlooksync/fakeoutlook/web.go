package fakeoutlook

import (
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
)

// "Outlook on the web" for the demo: pages under /outlook/ where a person acts as the Outlook
// user of a mailbox, with forms that call the same methods as the tests' Outlook user
// (outlookui.go), so change keys, delta and meeting messages behave as when Graph changes
// the mailbox. Signing in is picking a mailbox: there is no password, as everywhere in the
// fake. Every POST carries the server's random form token, compared in constant time.

//go:embed web/*.html
var webFiles embed.FS

// webPrefix is where the pages live.
const webPrefix = "/outlook/"

// webCookie names the signed-in mailbox (its id) on the pages' path.
const webCookie = "fakeoutlook_mailbox"

// web serves the pages. It holds the fake, the form token and one template set per page.
type web struct {
	s     *Server
	token string
	zone  *time.Location
	pages map[string]*template.Template
	mux   *http.ServeMux
}

// webPages are the pages, each parsed with the layout.
var webPages = []string{"signin", "calendar", "event", "new", "error", "notifications"}

func newWeb(s *Server) *web {
	loc, _, err := s.zones.resolve(s.opts.DemoTimeZone)
	if err != nil {
		loc = time.UTC
	}
	w := &web{s: s, token: newOpaqueToken(32), zone: loc, pages: map[string]*template.Template{}}
	funcs := template.FuncMap{"response": responseText, "kind": kindText, "answers": answers,
		"weekdays": func() []string { return weekdays }}
	for _, name := range webPages {
		w.pages[name] = template.Must(template.New("layout.html").Funcs(funcs).
			ParseFS(webFiles, "web/layout.html", "web/"+name+".html"))
	}
	w.mux = http.NewServeMux()
	w.routes()
	return w
}

func (w *web) routes() {
	m := w.mux
	m.HandleFunc("GET /outlook", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, webPrefix, http.StatusMovedPermanently)
	})
	m.HandleFunc("GET /outlook/{$}", w.signInPage)
	m.HandleFunc("POST /outlook/signin", w.checked(w.signIn))
	m.HandleFunc("POST /outlook/signout", w.checked(w.signOut))
	m.HandleFunc("GET /outlook/calendar", w.user(w.calendarPage))
	m.HandleFunc("GET /outlook/event", w.user(w.eventPage))
	m.HandleFunc("GET /outlook/new", w.user(w.newPage))
	m.HandleFunc("POST /outlook/new", w.checked(w.user(w.create)))
	m.HandleFunc("POST /outlook/event/change", w.checked(w.user(w.changeEvent)))
	m.HandleFunc("POST /outlook/event/delete", w.checked(w.user(w.deleteEvent)))
	m.HandleFunc("POST /outlook/event/respond", w.checked(w.user(w.respond)))
	m.HandleFunc("POST /outlook/occurrence/change", w.checked(w.user(w.changeOccurrence)))
	m.HandleFunc("POST /outlook/occurrence/delete", w.checked(w.user(w.deleteOccurrence)))
	m.HandleFunc("POST /outlook/occurrence/split", w.checked(w.user(w.split)))
	m.HandleFunc("POST /outlook/series/change", w.checked(w.user(w.changeSeries)))
	m.HandleFunc("GET /outlook/notifications", w.notificationsPage)
	m.HandleFunc("POST /outlook/notifications/faults", w.checked(w.setFaults))
	m.HandleFunc("POST /outlook/notifications/lifecycle", w.checked(w.lifecycle))
	m.HandleFunc("/outlook/", func(rw http.ResponseWriter, r *http.Request) {
		w.fail(rw, r, nil, http.StatusNotFound, "There is no such page.")
	})
}

func (w *web) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	h := rw.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
	w.mux.ServeHTTP(rw, r)
}

// webPage is what every page shows: the signed-in mailbox, the form token, the zone of the
// times, a message about the last action.
type webPage struct {
	Title   string
	User    *MailboxInfo
	Token   string
	Zone    string
	Message string
}

func (w *web) page(title string, user *MailboxInfo, r *http.Request) webPage {
	return webPage{Title: title, User: user, Token: w.token, Zone: w.zone.String(), Message: doneMessages[r.URL.Query().Get("done")]}
}

// doneMessages are what a redirect after an action may ask the next page to say.
var doneMessages = map[string]string{
	"created": "The event was created.", "changed": "Saved.", "unchanged": "Nothing was changed.",
	"deleted": "Deleted.", "split": "The series was split: this is the new series, from the occurrence on.",
	"responded": "Your answer was sent.", "sent": "The lifecycle notification was sent.",
}

func (w *web) render(rw http.ResponseWriter, status int, name string, data any) {
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.WriteHeader(status)
	if err := w.pages[name].Execute(rw, data); err != nil {
		w.s.log.Error("fake outlook: page failed", "page", name, "err", err)
	}
}

type errorPageData struct {
	webPage
	Status int
	Text   string
}

// fail shows an error page: a form the pages cannot use (400), a missing form token (403),
// an event that is gone (404).
func (w *web) fail(rw http.ResponseWriter, r *http.Request, user *MailboxInfo, status int, msg string) {
	p := w.page(http.StatusText(status), user, r)
	w.render(rw, status, "error", errorPageData{webPage: p, Status: status, Text: msg})
}

// failErr shows the error of an Outlook action: not found, or what the fake refused.
func (w *web) failErr(rw http.ResponseWriter, r *http.Request, user *MailboxInfo, err error) {
	var oe *opError
	switch {
	case errors.As(err, &oe) && oe.status == http.StatusNotFound:
		w.fail(rw, r, user, http.StatusNotFound, "The event is not in the calendar (any more).")
		return
	case oe != nil:
		w.fail(rw, r, user, http.StatusBadRequest, oe.msg)
		return
	}
	w.fail(rw, r, user, http.StatusBadRequest, strings.TrimPrefix(err.Error(), "fake outlook: "))
}

// checked refuses a POST without the form token.
func (w *web) checked(next http.HandlerFunc) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(rw, r.Body, 64<<10)
		if err := r.ParseForm(); err != nil {
			w.fail(rw, r, nil, http.StatusBadRequest, "The form could not be read.")
			return
		}
		if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("token")), []byte(w.token)) != 1 {
			w.fail(rw, r, nil, http.StatusForbidden, "The form is not from this fake Outlook (its token is missing or wrong). Reload the page and try again.")
			return
		}
		next(rw, r)
	}
}

// userHandler is a page or action for the signed-in mailbox.
type userHandler func(rw http.ResponseWriter, r *http.Request, user MailboxInfo)

// user finds the signed-in mailbox, or sends the browser to the sign-in page.
func (w *web) user(next userHandler) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(webCookie)
		var user MailboxInfo
		ok := false
		if err == nil {
			w.s.mu.Lock()
			if m := w.s.mailboxes[c.Value]; m != nil {
				user, ok = m.info(), true
			}
			w.s.mu.Unlock()
		}
		if !ok {
			http.Redirect(rw, r, webPrefix, http.StatusSeeOther)
			return
		}
		next(rw, r, user)
	}
}

type signInData struct {
	webPage
	Mailboxes []MailboxInfo
	Chosen    string
}

// signInPage lists the mailboxes to sign in as.
func (w *web) signInPage(rw http.ResponseWriter, r *http.Request) {
	boxes := w.s.Mailboxes()
	sort.Slice(boxes, func(i, j int) bool { return boxes[i].Email < boxes[j].Email })
	var user *MailboxInfo
	if c, err := r.Cookie(webCookie); err == nil {
		for i := range boxes {
			if boxes[i].ID == c.Value {
				user = &boxes[i]
			}
		}
	}
	w.render(rw, http.StatusOK, "signin", signInData{webPage: w.page("Sign in", user, r), Mailboxes: boxes,
		Chosen: r.URL.Query().Get("mailbox")})
}

func (w *web) signIn(rw http.ResponseWriter, r *http.Request) {
	w.s.mu.Lock()
	m := w.s.mailboxByKeyLocked(strings.TrimSpace(r.PostForm.Get("mailbox")))
	w.s.mu.Unlock()
	if m == nil {
		w.fail(rw, r, nil, http.StatusBadRequest, fmt.Sprintf("There is no mailbox %q.", r.PostForm.Get("mailbox")))
		return
	}
	http.SetCookie(rw, &http.Cookie{Name: webCookie, Value: m.id, Path: webPrefix, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(rw, r, webPrefix+"calendar", http.StatusSeeOther)
}

func (w *web) signOut(rw http.ResponseWriter, r *http.Request) {
	http.SetCookie(rw, &http.Cookie{Name: webCookie, Value: "", Path: webPrefix, MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	http.Redirect(rw, r, webPrefix, http.StatusSeeOther)
}

// redirect sends the browser to a page after an action, with the message to show.
func redirect(rw http.ResponseWriter, r *http.Request, path string, q url.Values, done string) {
	if q == nil {
		q = url.Values{}
	}
	q.Set("done", done)
	http.Redirect(rw, r, webPrefix+path+"?"+q.Encode(), http.StatusSeeOther)
}

// responseText is how Outlook words an answer.
func responseText(r string) string {
	switch r {
	case "accepted":
		return "Accepted"
	case "tentativelyAccepted":
		return "Tentative"
	case "declined":
		return "Declined"
	case "notResponded", "none", "":
		return "Not responded"
	case "organizer":
		return "Organizer"
	}
	return r
}

// answer is a button that answers an invitation.
type answer struct{ Action, Label string }

func answers() []answer {
	return []answer{{"accept", "Accept"}, {"tentativelyAccept", "Tentative"}, {"decline", "Decline"}}
}

// kindText names an item's type.
func kindText(t string) string {
	switch t {
	case "singleInstance":
		return "single event"
	case "seriesMaster":
		return "series"
	case "occurrence":
		return "occurrence"
	case "exception":
		return "changed occurrence"
	}
	return t
}
