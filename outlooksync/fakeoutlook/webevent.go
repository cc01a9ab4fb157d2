package fakeoutlook

import (
	"net/http"
	"net/url"
	"time"
)

// An event's page and its forms: change or delete a single event; change or delete one
// occurrence, or change this and all following (a split); change or delete the whole
// series; answer an invitation.

type eventData struct {
	webPage
	Event
	When    string
	Fields  whenFields
	Series  *Event // the series of an occurrence, or the series itself
	Pattern string
	Repeat  patternFields
	// The split form: what the new series starts with, the occurrence's time and the
	// series' subject and location.
	CanSplit    bool
	Split       Event
	SplitFields whenFields
	SeriesWhen  whenFields
	Cancelled   []string
}

func (w *web) eventPage(rw http.ResponseWriter, r *http.Request, user MailboxInfo) {
	e, series, ok := w.loadEvent(rw, r, user, r.URL.Query().Get("id"))
	if !ok {
		return
	}
	d := eventData{webPage: w.page(e.Subject, &user, r), Event: e, When: w.when(e), Fields: w.fieldsOf(e),
		Series: series}
	if series != nil {
		d.Pattern = patternText(series.Recurrence)
		d.Repeat = patternFieldsOf(series.Recurrence, series.Start.In(w.zone))
		d.SeriesWhen = w.fieldsOf(*series)
		for _, c := range series.CancelledOccurrences {
			d.Cancelled = append(d.Cancelled, c.In(w.zone).Format(dayLayout+", "+clockLayout))
		}
		if e.SeriesMasterID != "" {
			d.Split = splitBase(e, *series)
			d.SplitFields = w.fieldsOf(d.Split)
			d.CanSplit = e.IsOrganizer && !e.OriginalStart.Equal(series.Start)
		}
	}
	w.render(rw, http.StatusOK, "event", d)
}

// loadEvent finds the event an id stands for and, for an occurrence or a series, the series.
func (w *web) loadEvent(rw http.ResponseWriter, r *http.Request, user MailboxInfo, id string) (Event, *Event, bool) {
	if id == "" {
		w.fail(rw, r, &user, http.StatusBadRequest, "Which event? The id is missing.")
		return Event{}, nil, false
	}
	e, err := w.s.GetEvent(user.Email, id)
	if err != nil {
		w.failErr(rw, r, &user, err)
		return Event{}, nil, false
	}
	switch {
	case e.Type == "seriesMaster":
		return e, &e, true
	case e.SeriesMasterID != "":
		m, err := w.s.GetEvent(user.Email, e.SeriesMasterID)
		if err != nil {
			w.failErr(rw, r, &user, err)
			return Event{}, nil, false
		}
		return e, &m, true
	}
	return e, nil, true
}

// splitBase is what "this and all following" starts the new series with: the series'
// subject and location at the occurrence's original time.
func splitBase(occ, series Event) Event {
	b := series
	b.Start, b.End = occ.OriginalStart, occ.OriginalStart.Add(series.End.Sub(series.Start))
	return b
}

// action loads the event of a form and checks it is of a kind the action takes.
func (w *web) action(rw http.ResponseWriter, r *http.Request, user MailboxInfo, organizer bool, kinds ...string) (Event, *Event, bool) {
	e, series, ok := w.loadEvent(rw, r, user, r.PostForm.Get("id"))
	if !ok {
		return e, series, false
	}
	for _, k := range kinds {
		if e.Type == k {
			if organizer && !e.IsOrganizer {
				w.fail(rw, r, &user, http.StatusBadRequest, "Only the organizer changes a meeting; answer the invitation instead.")
				return e, series, false
			}
			return e, series, true
		}
	}
	w.fail(rw, r, &user, http.StatusBadRequest, "This form is not for a "+kindText(e.Type)+".")
	return e, series, false
}

func (w *web) showEvent(rw http.ResponseWriter, r *http.Request, id, done string) {
	redirect(rw, r, "event", url.Values{"id": {id}}, done)
}

func (w *web) showDay(rw http.ResponseWriter, r *http.Request, t time.Time, done string) {
	redirect(rw, r, "calendar", url.Values{"date": {t.In(w.zone).Format(dateLayout)}}, done)
}

// changeEvent changes a single event.
func (w *web) changeEvent(rw http.ResponseWriter, r *http.Request, user MailboxInfo) {
	e, _, ok := w.action(rw, r, user, true, "singleInstance")
	if !ok {
		return
	}
	w.update(rw, r, user, e)
}

// changeOccurrence changes one occurrence: it becomes an exception with the same id.
func (w *web) changeOccurrence(rw http.ResponseWriter, r *http.Request, user MailboxInfo) {
	e, _, ok := w.action(rw, r, user, true, "occurrence", "exception")
	if !ok {
		return
	}
	w.update(rw, r, user, e)
}

func (w *web) update(rw http.ResponseWriter, r *http.Request, user MailboxInfo, e Event) {
	c, err := w.readChange(r.PostForm, e)
	if err != nil {
		w.fail(rw, r, &user, http.StatusBadRequest, err.Error())
		return
	}
	if c.empty() {
		w.showEvent(rw, r, e.ID, "unchanged")
		return
	}
	if _, err := w.s.UpdateEvent(user.Email, e.ID, c); err != nil {
		w.failErr(rw, r, &user, err)
		return
	}
	w.showEvent(rw, r, e.ID, "changed")
}

// deleteEvent deletes a single event or a whole series.
func (w *web) deleteEvent(rw http.ResponseWriter, r *http.Request, user MailboxInfo) {
	w.deleteOf(rw, r, user, "singleInstance", "seriesMaster")
}

// deleteOccurrence deletes one occurrence of a series.
func (w *web) deleteOccurrence(rw http.ResponseWriter, r *http.Request, user MailboxInfo) {
	w.deleteOf(rw, r, user, "occurrence", "exception")
}

// deleteOf deletes the item the form names, if it is of one of the kinds, and shows its day.
func (w *web) deleteOf(rw http.ResponseWriter, r *http.Request, user MailboxInfo, kinds ...string) {
	e, _, ok := w.action(rw, r, user, false, kinds...)
	if !ok {
		return
	}
	if err := w.s.DeleteEvent(user.Email, e.ID); err != nil {
		w.failErr(rw, r, &user, err)
		return
	}
	w.showDay(rw, r, e.Start, "deleted")
}

// split is "this and all following": the series ends before the occurrence and a new one,
// with the change, starts at it.
func (w *web) split(rw http.ResponseWriter, r *http.Request, user MailboxInfo) {
	e, series, ok := w.action(rw, r, user, true, "occurrence", "exception")
	if !ok {
		return
	}
	c, err := w.readChange(r.PostForm, splitBase(e, *series))
	if err != nil {
		w.fail(rw, r, &user, http.StatusBadRequest, err.Error())
		return
	}
	ns, err := w.s.SplitSeries(user.Email, series.ID, e.OriginalStart, c)
	if err != nil {
		w.failErr(rw, r, &user, err)
		return
	}
	w.showEvent(rw, r, ns.ID, "split")
}

// changeSeries changes the whole series: its subject, location and time (UpdateEvent), then
// its pattern (ChangePattern) when that changed. As in Outlook, a new time or pattern drops
// the series' changed and deleted occurrences.
func (w *web) changeSeries(rw http.ResponseWriter, r *http.Request, user MailboxInfo) {
	e, _, ok := w.action(rw, r, user, true, "seriesMaster")
	if !ok {
		return
	}
	c, err := w.readChange(r.PostForm, e)
	if err != nil {
		w.fail(rw, r, &user, http.StatusBadRequest, err.Error())
		return
	}
	rec, err := readPattern(r.PostForm, e.Recurrence)
	if err != nil {
		w.fail(rw, r, &user, http.StatusBadRequest, err.Error())
		return
	}
	newPattern := !samePattern(*rec, *e.Recurrence)
	if c.empty() && !newPattern {
		w.showEvent(rw, r, e.ID, "unchanged")
		return
	}
	if !c.empty() {
		if _, err := w.s.UpdateEvent(user.Email, e.ID, c); err != nil {
			w.failErr(rw, r, &user, err)
			return
		}
	}
	if newPattern {
		if _, err := w.s.ChangePattern(user.Email, e.ID, *rec); err != nil {
			w.failErr(rw, r, &user, err)
			return
		}
	}
	w.showEvent(rw, r, e.ID, "changed")
}

// respond answers an invitation, for a whole meeting or one occurrence.
func (w *web) respond(rw http.ResponseWriter, r *http.Request, user MailboxInfo) {
	e, _, ok := w.action(rw, r, user, false, "singleInstance", "seriesMaster", "occurrence", "exception")
	if !ok {
		return
	}
	answer := r.PostForm.Get("answer")
	if _, ok := respondAnswer(answer); !ok {
		w.fail(rw, r, &user, http.StatusBadRequest, "Answer: "+answer+" is not one of accept, tentativelyAccept, decline.")
		return
	}
	if e.IsOrganizer {
		w.fail(rw, r, &user, http.StatusBadRequest, "You organize this meeting; only attendees answer it.")
		return
	}
	if err := w.s.Respond(user.Email, e.ID, answer); err != nil {
		w.failErr(rw, r, &user, err)
		return
	}
	if _, err := w.s.GetEvent(user.Email, e.ID); err != nil {
		w.showDay(rw, r, e.Start, "responded") // declined: Outlook takes it out of the calendar
		return
	}
	w.showEvent(rw, r, e.ID, "responded")
}
