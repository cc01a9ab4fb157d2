package fakeoutlook

import (
	"net/http"
	"net/mail"
	"strings"
	"time"
)

// A new event: single or repeating, in the pages' zone, with attendees who get invitations.

type newData struct {
	webPage
	Fields whenFields
	Repeat patternFields
}

func (w *web) newPage(rw http.ResponseWriter, r *http.Request, user MailboxInfo) {
	day := dateOf(w.s.now().In(w.zone))
	if r.URL.Query().Get("date") != "" {
		d, err := readDate(r.URL.Query(), "date", "Date")
		if err != nil {
			w.fail(rw, r, &user, http.StatusBadRequest, err.Error())
			return
		}
		day = d
	}
	start := time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, w.zone)
	w.render(rw, http.StatusOK, "new", newData{webPage: w.page("New event", &user, r),
		Fields: w.fieldsOf(Event{Start: start, End: start.Add(30 * time.Minute)}),
		Repeat: patternFieldsOf(nil, start)})
}

func (w *web) create(rw http.ResponseWriter, r *http.Request, user MailboxInfo) {
	f := r.PostForm
	subject := strings.TrimSpace(f.Get("subject"))
	if subject == "" {
		w.fail(rw, r, &user, http.StatusBadRequest, "Subject: an event needs one.")
		return
	}
	start, end, allDay, err := w.readWhen(f, w.zone)
	if err != nil {
		w.fail(rw, r, &user, http.StatusBadRequest, err.Error())
		return
	}
	rec, err := readPattern(f, nil)
	if err != nil {
		w.fail(rw, r, &user, http.StatusBadRequest, err.Error())
		return
	}
	var attendees []string
	for _, a := range strings.FieldsFunc(f.Get("attendees"), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' }) {
		if addr, err := mail.ParseAddress(a); err != nil || addr.Address != a {
			w.fail(rw, r, &user, http.StatusBadRequest, "Attendees: "+a+" is not an email address.")
			return
		}
		attendees = append(attendees, a)
	}
	ev, err := w.s.CreateEvent(user.Email, EventSpec{Subject: subject, Location: strings.TrimSpace(f.Get("location")),
		Start: start, End: end, TimeZone: w.zone.String(), IsAllDay: allDay, Recurrence: rec, Attendees: attendees})
	if err != nil {
		w.failErr(rw, r, &user, err)
		return
	}
	w.showEvent(rw, r, ev.ID, "created")
}
