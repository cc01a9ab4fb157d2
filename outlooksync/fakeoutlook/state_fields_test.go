package fakeoutlook

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"
	"unsafe"
)

// TestStateRoundTripsEveryField fills every field of a mailbox (its events, exceptions,
// meeting links, a secondary calendar with its events), of the tokens and of a delta token with a value that is not its zero,
// saves, loads, and compares field by field: a field added to the fake and not to the state
// file comes back zero and is named. The only fields not kept are those of a page of a delta
// round in progress, which a restart forgets on purpose (state.go).
func TestStateRoundTripsEveryField(t *testing.T) {
	fl := &filler{t: t}
	m := &mailbox{}
	fl.fill("mailbox", reflect.ValueOf(m).Elem())
	// What the fake keeps consistent by construction: an event is listed under its id, in order.
	for _, ev := range m.events {
		m.events = map[string]*event{ev.id: ev}
		m.order = []string{ev.id}
	}
	// A secondary calendar's store is a mailbox with the owner's identity and no calendars;
	// what a store does not use (meeting messages, seeding) is not kept for it.
	for _, c := range m.calendars {
		st := c.store
		st.id, st.email, st.name, st.tenantID = m.id, m.email, m.name, m.tenantID
		st.received, st.seeded, st.seededMeetings, st.calendars = MessageCounts{}, false, false, nil
		c.color = "lightTeal" // loading checks colors
		for _, ev := range st.events {
			st.events = map[string]*event{ev.id: ev}
			st.order = []string{ev.id}
		}
	}
	at, rt, ds := &accessToken{}, &refreshToken{}, &syncState{}
	fl.fill("accessToken", reflect.ValueOf(at).Elem())
	fl.fill("refreshToken", reflect.ValueOf(rt).Elem())
	fl.fill("syncState", reflect.ValueOf(ds).Elem())
	at.mailboxID, rt.mailboxID, ds.mailboxID = m.id, m.id, m.id
	ds.calendarID = m.calendars[0].id              // a delta token of the secondary calendar
	ds.isDelta, ds.round, ds.offset = true, nil, 0 // a delta token; a page's fields are not kept

	s := New(Options{})
	s.mailboxes = map[string]*mailbox{m.id: m}
	s.byEmail = map[string]*mailbox{m.email: m}
	s.access = map[string]*accessToken{"access": at}
	s.refresh = map[string]*refreshToken{"refresh": rt}
	s.syncs = map[string]*syncState{"delta": ds}
	s.consents = map[string][]string{consentKey("tenant", "client"): {"Calendars.ReadWrite"}}
	path := filepath.Join(t.TempDir(), "state.json")
	if err := s.SaveState(path); err != nil {
		t.Fatal(err)
	}
	g := New(Options{})
	if err := g.LoadState(path); err != nil {
		t.Fatal(err)
	}
	var diffs []string
	for _, c := range []struct {
		name string
		a, b any
	}{
		{"mailbox", s.mailboxes, g.mailboxes},
		{"byEmail", s.byEmail, g.byEmail},
		{"access", s.access, g.access},
		{"refresh", s.refresh, g.refresh},
		{"syncs", s.syncs, g.syncs},
		{"consents", s.consents, g.consents},
	} {
		diff(c.name, reflect.ValueOf(c.a), reflect.ValueOf(c.b), &diffs)
	}
	for _, d := range diffs {
		t.Errorf("not kept across a restart: %s", d)
	}
}

// filler sets values that are not zero, different from one another. A mailbox holds
// calendars whose stores are mailboxes: inside a calendar, a store's calendars are left empty,
// so that filling ends.
type filler struct {
	t          *testing.T
	n          int
	inCalendar bool
}

var (
	timeType       = reflect.TypeFor[time.Time]()
	rawMessageType = reflect.TypeFor[json.RawMessage]()
	recurrenceType = reflect.TypeFor[recurrence]()
	calendarType   = reflect.TypeFor[calendar]()
)

// open makes an unexported field settable and readable: the test fills the fake's own types.
func open(v reflect.Value) reflect.Value {
	if v.CanSet() || !v.CanAddr() {
		return v
	}
	return reflect.NewAt(v.Type(), unsafe.Pointer(v.UnsafeAddr())).Elem()
}

func (fl *filler) fill(path string, v reflect.Value) {
	fl.n++
	n := fl.n
	switch {
	case v.Type() == timeType:
		v.Set(reflect.ValueOf(time.Unix(1736150400+int64(n)*3600, 0).UTC()))
		return
	case v.Type() == rawMessageType:
		v.Set(reflect.ValueOf(json.RawMessage(fmt.Sprintf(`"raw %d"`, n))))
		return
	case v.Type() == recurrenceType:
		v.Set(reflect.ValueOf(fl.sampleRecurrence()))
		return
	case v.Type() == calendarType:
		if fl.inCalendar {
			return
		}
		fl.inCalendar = true
		defer func() { fl.inCalendar = false }()
	}
	switch v.Kind() {
	case reflect.String:
		switch name := path[lastDot(path)+1:]; name {
		case "startZone", "endZone":
			v.SetString("Europe/Berlin") // loading checks zones
		case "email":
			v.SetString(fmt.Sprintf("box%d@example.com", n))
		default:
			v.SetString(fmt.Sprintf("%s %d", name, n))
		}
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(n))
	case reflect.Interface:
		v.Set(reflect.ValueOf(fmt.Sprintf("%s %d", path, n)))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fl.fill(path, v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			fl.fill(path+"."+v.Type().Field(i).Name, open(v.Field(i)))
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fl.fill(path+"[0]", v.Index(0))
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fl.fill(path+".key", k)
		fl.fill(path+"[]", e)
		v.SetMapIndex(k, e)
	default:
		fl.t.Fatalf("%s: the test cannot fill a %s; teach it", path, v.Type())
	}
}

// sampleRecurrence is a pattern the fake accepts, with every field set: loading parses
// patterns again, so they cannot be filled at random.
func (fl *filler) sampleRecurrence() recurrence {
	r := recurrence{kind: "relativeYearly", interval: 2, month: 3, dayOfMonth: 5,
		days: []time.Weekday{time.Monday, time.Wednesday}, firstDay: time.Monday, index: 3, rangeType: "endDate",
		startDate: time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC), endDate: time.Date(2027, 3, 3, 0, 0, 0, 0, time.UTC),
		count: 4, tzName: "W. Europe Standard Time"}
	v := reflect.ValueOf(r)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			fl.t.Fatalf("the sample recurrence leaves %s zero; give it a value", v.Type().Field(i).Name)
		}
	}
	return r
}

func lastDot(s string) int {
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] == '.' {
			return i
		}
	}
	return -1
}

// addressable copies v into a variable when it is not one (a map's value), so that its
// unexported fields can be opened.
func addressable(v reflect.Value) reflect.Value {
	if v.CanAddr() {
		return v
	}
	c := reflect.New(v.Type()).Elem()
	c.Set(v)
	return c
}

// diff appends the paths where a and b differ.
func diff(path string, a, b reflect.Value, out *[]string) {
	if a.Type() == timeType {
		if ta, tb := a.Interface().(time.Time), b.Interface().(time.Time); !ta.Equal(tb) {
			*out = append(*out, fmt.Sprintf("%s: %s, loaded %s", path, ta, tb))
		}
		return
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() != b.IsNil() {
			*out = append(*out, fmt.Sprintf("%s: nil %t, loaded nil %t", path, a.IsNil(), b.IsNil()))
		} else if !a.IsNil() {
			diff(path, a.Elem(), b.Elem(), out)
		}
	case reflect.Struct:
		a, b = addressable(a), addressable(b)
		for i := range a.NumField() {
			diff(path+"."+a.Type().Field(i).Name, open(a.Field(i)), open(b.Field(i)), out)
		}
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			*out = append(*out, fmt.Sprintf("%s: %d elements (nil %t), loaded %d (nil %t)", path, a.Len(), a.IsNil(), b.Len(), b.IsNil()))
			return
		}
		for i := range a.Len() {
			diff(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i), out)
		}
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			*out = append(*out, fmt.Sprintf("%s: %d entries (nil %t), loaded %d (nil %t)", path, a.Len(), a.IsNil(), b.Len(), b.IsNil()))
			return
		}
		for _, k := range a.MapKeys() {
			bv := b.MapIndex(k)
			if !bv.IsValid() {
				*out = append(*out, fmt.Sprintf("%s[%v]: missing after loading", path, k))
				continue
			}
			diff(fmt.Sprintf("%s[%v]", path, k), a.MapIndex(k), bv, out)
		}
	default:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			*out = append(*out, fmt.Sprintf("%s: %v, loaded %v", path, a.Interface(), b.Interface()))
		}
	}
}
