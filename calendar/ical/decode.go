package ical

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"intracal/calendar"
	"intracal/outlooksync/winzone"
)

// Reading iCalendar files (an import): each UID's VEVENTs become one event, its series and
// the RECURRENCE-ID components that change or cancel instances of it. What the calendar
// cannot hold is refused item by item, with the reason, and the rest is read.

// Item is one event read from a file, or refused.
type Item struct {
	// UID is the file's UID; Digest sums up everything read of the item, so that importing
	// the same file again finds it unchanged.
	UID    string
	Digest string
	// Title is for the summary page (also of a refused item).
	Title string
	// Input makes the event; Instances change or cancel instances of it (by original start).
	Input     calendar.EventInput
	Instances []Instance
	// Refused, when set, says why the item was not read.
	Refused string
	// Parts are the later parts of a split series, read from the components that name the
	// item as their sibling (RELATED-TO;RELTYPE=SIBLING, as Write relates a split event's
	// parts): one event is made of them all.
	Parts []Item

	sibling string // the UID this item names as its sibling, if any
}

// Instance is the whole new state of one instance of an imported series.
type Instance struct {
	OriginalStart time.Time
	Change        calendar.InstanceChange
}

// ErrNotAnInstance means an item changes or cancels an instance its series does not have.
var ErrNotAnInstance = errors.New("a changed or cancelled instance is not one of the series'")

// MaxItems bounds one file, MaxInstanceChanges one series' changed and cancelled instances.
const (
	MaxItems           = 20000
	MaxInstanceChanges = 2000
)

// Read reads the VEVENTs of an iCalendar file. Times without a zone ("floating") are read in
// zone. It fails only when the file is not iCalendar at all.
func Read(r io.Reader, zone *time.Location) ([]Item, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read the file: %w", err)
	}
	if err := checkLines(data); err != nil {
		return nil, err
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("the file is not an iCalendar file: %w", err)
	}
	type group struct {
		master     *ics.VEvent
		exceptions []*ics.VEvent
	}
	groups := map[string]*group{}
	var order []string
	for _, ev := range cal.Events() {
		uid := strings.TrimSpace(ev.Id())
		g := groups[uid]
		if g == nil {
			g = &group{}
			groups[uid] = g
			order = append(order, uid)
		}
		if ev.GetProperty(ics.ComponentPropertyRecurrenceId) != nil {
			g.exceptions = append(g.exceptions, ev)
		} else if g.master == nil {
			g.master = ev
		}
	}
	if len(order) > MaxItems {
		return nil, fmt.Errorf("the file holds %d events; import at most %d at a time", len(order), MaxItems)
	}
	out := make([]Item, 0, len(order))
	for _, uid := range order {
		g := groups[uid]
		it := Item{UID: uid}
		if g.master != nil {
			it.Title = text(g.master, ics.ComponentPropertySummary)
		} else if len(g.exceptions) > 0 {
			it.Title = text(g.exceptions[0], ics.ComponentPropertySummary)
		}
		if it.Title == "" {
			it.Title = "(no title)"
		}
		if err := readItem(&it, g.master, g.exceptions, zone); err != nil {
			it.Refused = err.Error()
		}
		if g.master != nil {
			if rel := g.master.GetProperty(ics.ComponentPropertyRelatedTo); rel != nil {
				if rt := rel.ICalParameters[string(ics.ParameterReltype)]; len(rt) == 1 && strings.EqualFold(rt[0], "SIBLING") {
					it.sibling = strings.TrimSpace(rel.Value)
				}
			}
		}
		out = append(out, it)
	}
	return joinParts(out), nil
}

// joinParts makes the parts of each split series one item: those naming another item of
// the file as their sibling go into its Parts, in the order of their starts, and the item's
// digest covers them all. A series whose part was refused is refused whole.
func joinParts(items []Item) []Item {
	byUID := map[string]int{}
	for i, it := range items {
		byUID[it.UID] = i
	}
	root := func(i int) int {
		for seen := 0; items[i].sibling != "" && seen < len(items); seen++ {
			j, ok := byUID[items[i].sibling]
			if !ok || j == i {
				break
			}
			i = j
		}
		return i
	}
	parts := map[int][]Item{}
	keep := make([]bool, len(items))
	for i := range items {
		r := root(i)
		if r == i {
			keep[i] = true
			continue
		}
		parts[r] = append(parts[r], items[i])
	}
	var out []Item
	for i, it := range items {
		if !keep[i] {
			continue
		}
		ps := parts[i]
		if len(ps) > 0 {
			slices.SortFunc(ps, func(a, b Item) int { return strings.Compare(a.Input.Start, b.Input.Start) })
			sum := sha256.New()
			sum.Write([]byte(it.Digest))
			for _, p := range ps {
				sum.Write([]byte(p.Digest))
				if p.Refused != "" && it.Refused == "" {
					it.Refused = "a later part of it (from " + p.Input.Start + ", " + p.Title + ") " + strings.TrimPrefix(p.Refused, "it ")
				}
			}
			it.Parts, it.Digest = ps, hex.EncodeToString(sum.Sum(nil))
		}
		out = append(out, it)
	}
	return out
}

func text(ev *ics.VEvent, p ics.ComponentProperty) string {
	if v := ev.GetProperty(p); v != nil {
		return strings.TrimSpace(v.Value)
	}
	return ""
}

// when is a time property read: an instant, or a date (all-day), and the zone it names.
type when struct {
	t      time.Time
	date   bool
	zone   string // IANA; "" for UTC or a date
	exists bool
}

func readItem(it *Item, master *ics.VEvent, exceptions []*ics.VEvent, zone *time.Location) error {
	if it.UID == "" {
		return fmt.Errorf("it has no UID")
	}
	if master == nil {
		return fmt.Errorf("it changes instances of a series that the file does not hold")
	}
	if status := strings.ToUpper(text(master, ics.ComponentPropertyStatus)); status == "CANCELLED" {
		return fmt.Errorf("it is cancelled")
	}
	for _, p := range []ics.ComponentProperty{ics.ComponentPropertyRdate, ics.ComponentPropertyExrule} {
		if master.GetProperty(p) != nil {
			return fmt.Errorf("it repeats with %s, which this calendar cannot hold (only RRULE with EXDATE)", p)
		}
	}
	if len(master.GetProperties(ics.ComponentPropertyRrule)) > 1 {
		return fmt.Errorf("it has more than one RRULE, which this calendar cannot hold")
	}
	start, err := readWhen(master.GetProperty(ics.ComponentPropertyDtStart), zone)
	if err != nil || !start.exists {
		return fmt.Errorf("its start (DTSTART) is missing or unreadable: %v", cmp.Or(err, fmt.Errorf("missing")))
	}
	end, err := endOf(master, start, zone)
	if err != nil {
		return err
	}
	in := calendar.EventInput{Title: it.Title, Description: text(master, ics.ComponentPropertyDescription),
		Location: text(master, ics.ComponentPropertyLocation), Privacy: calendar.Public}
	switch strings.ToUpper(text(master, ics.ComponentPropertyClass)) {
	case "PRIVATE", "CONFIDENTIAL":
		in.Privacy = calendar.Private
	}
	if start.date {
		in.AllDay = true
		in.Start, in.End = start.t.Format("2006-01-02"), end.Format("2006-01-02")
	} else {
		in.TimeZone = cmp.Or(start.zone, "UTC")
		loc, _ := time.LoadLocation(in.TimeZone)
		in.Start, in.End = start.t.In(loc).Format("2006-01-02T15:04:05"), end.In(loc).Format("2006-01-02T15:04:05")
	}
	var digest strings.Builder
	fmt.Fprintf(&digest, "%s|%s|%s|%s|%s|%s|%v|%s", in.Title, in.Description, in.Location, in.Start, in.End, in.TimeZone, in.AllDay, in.Privacy)
	if rr := master.GetProperty(ics.ComponentPropertyRrule); rr != nil {
		rule := strings.TrimPrefix(strings.TrimSpace(rr.Value), "RRULE:")
		if start.date {
			rule = dateUntilToInstant(rule)
		}
		if _, err := calendar.ParseRule(rule); err != nil {
			return fmt.Errorf("its repetition %q cannot be held by this calendar: %v", rule, err)
		}
		in.RRule = rule
		digest.WriteString("|" + rule)
	}
	for _, ex := range master.GetProperties(ics.ComponentPropertyExdate) {
		for _, v := range strings.Split(ex.Value, ",") {
			p := *ex
			p.Value = strings.TrimSpace(v)
			w, err := readWhen(&p, zone)
			if err != nil || !w.exists {
				return fmt.Errorf("an excluded date (EXDATE %q) is unreadable", v)
			}
			it.Instances = append(it.Instances, Instance{OriginalStart: w.t.UTC(), Change: calendar.InstanceChange{Cancelled: true}})
		}
	}
	for _, x := range exceptions {
		rid, err := readWhen(x.GetProperty(ics.ComponentPropertyRecurrenceId), zone)
		if err != nil || !rid.exists {
			return fmt.Errorf("a changed instance's RECURRENCE-ID is unreadable")
		}
		if r := x.GetProperty(ics.ComponentPropertyRecurrenceId).ICalParameters["RANGE"]; len(r) > 0 {
			return fmt.Errorf("a change of \"this and all following\" (RANGE=THISANDFUTURE) cannot be held by this calendar")
		}
		inst := Instance{OriginalStart: rid.t.UTC()}
		if strings.EqualFold(text(x, ics.ComponentPropertyStatus), "CANCELLED") {
			inst.Change.Cancelled = true
		} else {
			xs, err := readWhen(x.GetProperty(ics.ComponentPropertyDtStart), zone)
			if err != nil || !xs.exists {
				xs = rid
			}
			xe, err := endOf(x, xs, zone)
			if err != nil {
				return err
			}
			inst.Change = calendar.InstanceChange{Title: cmp.Or(text(x, ics.ComponentPropertySummary), in.Title),
				Description: text(x, ics.ComponentPropertyDescription), Location: text(x, ics.ComponentPropertyLocation),
				Start: xs.t.UTC(), End: xe.UTC()}
		}
		it.Instances = append(it.Instances, inst)
	}
	if len(it.Instances) > MaxInstanceChanges {
		return fmt.Errorf("it changes or cancels %d instances; at most %d are imported with one series", len(it.Instances), MaxInstanceChanges)
	}
	slices.SortFunc(it.Instances, func(a, b Instance) int { return a.OriginalStart.Compare(b.OriginalStart) })
	for _, inst := range it.Instances {
		c := inst.Change
		fmt.Fprintf(&digest, "|%s %v %s %s %s %s %s", inst.OriginalStart.Format(time.RFC3339), c.Cancelled, c.Title, c.Description,
			c.Location, c.Start.Format(time.RFC3339), c.End.Format(time.RFC3339))
	}
	sum := sha256.Sum256([]byte(digest.String()))
	it.Input, it.Digest = in, hex.EncodeToString(sum[:])
	return nil
}

// endOf is a component's end: DTEND, or DTSTART plus DURATION, or (RFC 5545) the start for
// a timed event and the next day for an all-day one.
func endOf(ev *ics.VEvent, start when, zone *time.Location) (time.Time, error) {
	if p := ev.GetProperty(ics.ComponentPropertyDtEnd); p != nil {
		end, err := readWhen(p, zone)
		if err != nil {
			return time.Time{}, fmt.Errorf("its end (DTEND) is unreadable: %v", err)
		}
		if end.t.Before(start.t) {
			return time.Time{}, fmt.Errorf("it ends before it starts")
		}
		return end.t, nil
	}
	if p := ev.GetProperty(ics.ComponentPropertyDuration); p != nil {
		d, err := duration(p.Value)
		if err != nil || d < 0 {
			return time.Time{}, fmt.Errorf("its length (DURATION %q) is unreadable", p.Value)
		}
		return start.t.Add(d), nil
	}
	if start.date {
		return start.t.AddDate(0, 0, 1), nil
	}
	return start.t, nil
}

// readWhen reads a DATE or DATE-TIME property: UTC (Z), with TZID (an IANA name, or a
// Windows name as Outlook writes them), or floating (read in zone).
func readWhen(p *ics.IANAProperty, zone *time.Location) (when, error) {
	if p == nil {
		return when{}, nil
	}
	v := strings.TrimSpace(p.Value)
	isDate := len(v) == len(dateLayout)
	if vt := p.ICalParameters[string(ics.ParameterValue)]; len(vt) == 1 && strings.EqualFold(vt[0], "DATE") {
		isDate = true
	}
	if isDate {
		t, err := time.ParseInLocation(dateLayout, v, time.UTC)
		if err != nil {
			return when{}, fmt.Errorf("%q is not a date", v)
		}
		return when{t: t, date: true, exists: true}, nil
	}
	if strings.HasSuffix(v, "Z") {
		t, err := time.ParseInLocation(utcLayout, v, time.UTC)
		if err != nil {
			return when{}, fmt.Errorf("%q is not a UTC time", v)
		}
		return when{t: t, exists: true}, nil
	}
	loc := zone
	name := zone.String()
	if z := p.ICalParameters[string(ics.ParameterTzid)]; len(z) == 1 {
		var err error
		if loc, name, err = zoneNamed(z[0]); err != nil {
			return when{}, err
		}
	}
	t, err := time.ParseInLocation(localLayout, v, loc)
	if err != nil {
		return when{}, fmt.Errorf("%q is not a local time", v)
	}
	if name == "UTC" {
		name = ""
	}
	return when{t: t, zone: name, exists: true}, nil
}

// zoneNamed resolves a TZID: an IANA name (also with a leading "/", as some producers
// write), or a Windows zone name (Outlook's exports).
func zoneNamed(tzid string) (*time.Location, string, error) {
	name := strings.Trim(strings.TrimSpace(tzid), `"`)
	name = strings.TrimPrefix(name, "/")
	if iana, ok := winzone.IANA(name); ok {
		name = iana
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		return nil, "", fmt.Errorf("its time zone %q is unknown", tzid)
	}
	return loc, loc.String(), nil
}

// dateUntilToInstant writes a date-only UNTIL (all-day series) as the end of that day in
// UTC, the form the calendar's rules take.
func dateUntilToInstant(rule string) string {
	parts := strings.Split(rule, ";")
	for i, part := range parts {
		if v, ok := strings.CutPrefix(strings.ToUpper(part), "UNTIL="); ok && len(v) == len(dateLayout) {
			parts[i] = "UNTIL=" + v + "T235959Z"
		}
	}
	return strings.Join(parts, ";")
}

// duration reads an RFC 5545 dur-value (P1W, P1DT2H30M, PT15M, -PT5M): the iCalendar
// library serializes durations but has no reader for them.
func duration(s string) (time.Duration, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimLeft(s, "+-")
	rest, ok := strings.CutPrefix(s, "P")
	if !ok || rest == "" {
		return 0, fmt.Errorf("not a duration")
	}
	var d time.Duration
	inTime := false
	units := map[byte]time.Duration{'W': 7 * 24 * time.Hour, 'D': 24 * time.Hour}
	timeUnits := map[byte]time.Duration{'H': time.Hour, 'M': time.Minute, 'S': time.Second}
	from, read := 0, 0 // where the digits of the number being read begin; units read
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		switch {
		case c == 'T' && i == from:
			inTime, from = true, i+1
		case c >= '0' && c <= '9':
			if i-from > 6 {
				return 0, fmt.Errorf("not a duration")
			}
		default:
			u, ok := units[c]
			if inTime {
				u, ok = timeUnits[c]
			}
			n, err := strconv.Atoi(rest[from:i])
			if !ok || err != nil || n > 100000 {
				return 0, fmt.Errorf("not a duration")
			}
			d += time.Duration(n) * u
			from = i + 1
			read++
		}
	}
	if from != len(rest) || read == 0 {
		return 0, fmt.Errorf("not a duration")
	}
	if neg {
		d = -d
	}
	return d, nil
}

// Limits of one content line, checked before the file is parsed: the iCalendar library's
// time grows with the square of a line's parameters (20,000 take a second), so a file made
// to be slow is refused instead. Real files have a handful.
const (
	maxLineParams      = 100
	maxLineParamValues = 1000
	maxLineBytes       = 16 << 20
)

// checkLines refuses a file whose content lines (unfolded: a line that begins with a space
// or a tab continues the one before) carry more parameters or parameter values than any
// calendar writes, or are longer than maxLineBytes.
func checkLines(data []byte) error {
	lineNo, params, values, length := 0, 0, 0, 0
	inValue, quoted := false, false
	check := func() error {
		switch {
		case params > maxLineParams:
			return fmt.Errorf("line %d has %d parameters; a calendar writes a handful", lineNo, params)
		case values > maxLineParamValues:
			return fmt.Errorf("line %d has %d parameter values; a calendar writes a handful", lineNo, values)
		case length > maxLineBytes:
			return fmt.Errorf("line %d is longer than %d bytes", lineNo, maxLineBytes)
		}
		return nil
	}
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c == '\n' {
			if i+1 < len(data) && (data[i+1] == ' ' || data[i+1] == '\t') {
				i++ // folded: the line goes on
				continue
			}
			if err := check(); err != nil {
				return err
			}
			lineNo++
			params, values, length, inValue, quoted = 0, 0, 0, false, false
			continue
		}
		length++
		if inValue {
			continue
		}
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == ';':
			params++
		case c == ',':
			values++
		case c == ':':
			inValue = true
		}
	}
	return check()
}

// Event makes the event an item describes, in the calendar, organized by organizer; an
// instance change that names no instance of the series is refused.
func (it Item) Event(calendarID, organizerID int64) (*calendar.Event, error) {
	e, err := calendar.NewEvent(calendarID, organizerID, it.Input)
	if err != nil {
		return nil, err
	}
	instances := it.Instances
	if len(it.Parts) > 0 {
		segs := []calendar.Segment{e.Segments[0]}
		for _, p := range it.Parts {
			pe, err := calendar.NewEvent(calendarID, organizerID, p.Input)
			if err != nil {
				return nil, fmt.Errorf("a later part of it (from %s): %w", p.Input.Start, err)
			}
			segs = append(segs, pe.Segments[0])
			instances = append(instances, p.Instances...)
		}
		if e, err = calendar.NewImportedEvent(calendarID, organizerID, it.Input.Privacy, segs...); err != nil {
			return nil, err
		}
	}
	for _, inst := range instances {
		if err := e.SetInstance(inst.OriginalStart, inst.Change); err != nil {
			return nil, fmt.Errorf("%w (%s)", ErrNotAnInstance, inst.OriginalStart.Format(time.RFC3339))
		}
	}
	return e, nil
}
