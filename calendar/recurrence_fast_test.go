package calendar

import (
	"testing"
	"time"

	"github.com/teambition/rrule-go"
	"pgregory.net/rapid"
)

// TestFastWallMatchesRRule runs the arithmetic expansion and rrule-go on the same options, as
// expansion writes them out (one time of day, the implied parts explicit, a yearly rule with
// one month as a monthly one every 12*INTERVAL months), from random DTSTARTs, including
// ones near the last year rrule-go expands, and compares the instances.
func TestFastWallMatchesRRule(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		opt := drawFastOption(rt)
		e := &expansion{opt: opt}
		var got []time.Time
		const n = 40
		handled := e.fastWall(opt.Dtstart, func(w time.Time) bool {
			got = append(got, w)
			return len(got) < n
		})
		if !handled {
			rt.Fatalf("fastWall declined %v", opt)
		}
		r, err := rrule.NewRRule(opt)
		if err != nil {
			rt.Fatal(err)
		}
		var want []time.Time
		next := r.Iterator()
		for w, ok := next(); ok && len(want) < n; w, ok = next() {
			want = append(want, w)
		}
		if len(got) != len(want) {
			rt.Fatalf("%v from %v: fastWall gave %d instances, rrule-go %d\n%v\n%v", opt.RRuleString(), opt.Dtstart, len(got), len(want), got, want)
		}
		for i := range got {
			if !got[i].Equal(want[i]) || got[i].Location() != time.UTC {
				rt.Fatalf("%v from %v: instance %d is %v, rrule-go %v", opt.RRuleString(), opt.Dtstart, i, got[i], want[i])
			}
		}
	})
}

// TestFastWallDeclinesOtherShapes keeps the shapes the arithmetic does not cover on rrule-go.
func TestFastWallDeclinesOtherShapes(t *testing.T) {
	base := rrule.ROption{Freq: rrule.MONTHLY, Interval: 1, Byhour: []int{9}, Byminute: []int{0}, Bysecond: []int{0},
		Until: time.Date(maxYear, 12, 31, 23, 59, 59, 0, time.UTC)}
	for name, change := range map[string]func(o *rrule.ROption){
		"negative month day":  func(o *rrule.ROption) { o.Bymonthday = []int{-1} },
		"no day at all":       func(o *rrule.ROption) {},
		"two times a day":     func(o *rrule.ROption) { o.Bymonthday, o.Byhour = []int{1}, []int{9, 10} },
		"year days":           func(o *rrule.ROption) { o.Bymonthday, o.Byyearday = []int{1}, []int{100} },
		"hourly":              func(o *rrule.ROption) { o.Freq = rrule.HOURLY },
		"yearly":              func(o *rrule.ROption) { o.Freq, o.Bymonthday = rrule.YEARLY, []int{1} },
		"nth weekday weekly":  func(o *rrule.ROption) { o.Freq, o.Byweekday = rrule.WEEKLY, []rrule.Weekday{rrule.MO.Nth(1)} },
		"plain and nth mixed": func(o *rrule.ROption) { o.Byweekday = []rrule.Weekday{rrule.MO, rrule.TU.Nth(1)} },
	} {
		opt := base
		change(&opt)
		e := &expansion{opt: opt}
		if e.fastWall(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), func(time.Time) bool { return false }) {
			t.Errorf("%s: fastWall took a shape it does not cover", name)
		}
	}
}

func drawFastOption(rt *rapid.T) rrule.ROption {
	days := []rrule.Weekday{rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU}
	var y int
	if rapid.IntRange(0, 9).Draw(rt, "nearEnd") == 0 {
		y = rapid.IntRange(maxYear-3, maxYear).Draw(rt, "lateYear")
	} else {
		y = rapid.IntRange(1990, 2060).Draw(rt, "year")
	}
	dtstart := time.Date(y, time.Month(rapid.IntRange(1, 12).Draw(rt, "month")), rapid.IntRange(1, 31).Draw(rt, "day"),
		rapid.SampledFrom([]int{0, 9, 23}).Draw(rt, "h"), rapid.SampledFrom([]int{0, 30}).Draw(rt, "mi"), rapid.SampledFrom([]int{0, 59}).Draw(rt, "s"), 0, time.UTC)
	if rapid.Bool().Draw(rt, "periodStart") {
		// iterateWall moves DTSTART to a period's first midnight.
		dtstart = time.Date(dtstart.Year(), dtstart.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	opt := rrule.ROption{
		Dtstart: dtstart, Interval: rapid.SampledFrom([]int{1, 1, 2, 3, 5, 99}).Draw(rt, "interval"),
		Wkst:   rapid.SampledFrom(days).Draw(rt, "wkst"),
		Byhour: []int{rapid.IntRange(0, 23).Draw(rt, "byHour")}, Byminute: []int{rapid.SampledFrom([]int{0, 15, 59}).Draw(rt, "byMinute")},
		Bysecond: []int{rapid.SampledFrom([]int{0, 30}).Draw(rt, "bySecond")},
		Until:    time.Date(maxYear, 12, 31, 23, 59, 59, 0, time.UTC),
	}
	weekdays := func(label string, min int, nth bool) []rrule.Weekday {
		var out []rrule.Weekday
		for _, d := range rapid.SliceOfNDistinct(rapid.SampledFrom(days), min, 7, func(d rrule.Weekday) int { return d.Day() }).Draw(rt, label) {
			if nth {
				d = d.Nth(rapid.SampledFrom([]int{0, 1, 2, 3, 4, 5, -1, -2, -5}).Draw(rt, label+"N"))
			}
			out = append(out, d)
		}
		return out
	}
	switch rapid.SampledFrom([]string{"daily", "weekly", "monthly", "yearly"}).Draw(rt, "freq") {
	case "daily":
		opt.Freq = rrule.DAILY
	case "weekly":
		opt.Freq = rrule.WEEKLY
		opt.Byweekday = weekdays("weekdays", 1, false)
	default:
		opt.Freq = rrule.MONTHLY
		switch rapid.IntRange(0, 4).Draw(rt, "pattern") {
		case 0:
			opt.Bymonthday = rapid.SliceOfNDistinct(rapid.IntRange(1, 31), 1, 4, rapid.ID[int]).Draw(rt, "monthDays")
		case 1:
			opt.Bymonthday = rapid.SampledFrom([][]int{{28, 29}, {28, 29, 30}, {28, 29, 30, 31}}).Draw(rt, "lateForm")
			opt.Bysetpos = []int{-1}
		case 2:
			opt.Byweekday = weekdays("nthWeekdays", 1, true)
			for i := range opt.Byweekday {
				if opt.Byweekday[i].N() == 0 {
					// Mixed with nth weekdays rrule-go yields nothing, and fastWall declines.
					opt.Byweekday[i] = opt.Byweekday[i].Nth(1)
				}
			}
		case 3:
			opt.Byweekday = weekdays("setWeekdays", 1, false)
			opt.Bysetpos = rapid.SliceOfNDistinct(rapid.SampledFrom([]int{1, 2, 3, 4, 5, -1, -2, 31, -31}), 1, 3, rapid.ID[int]).Draw(rt, "setPos")
		case 4:
			opt.Bymonthday = rapid.SliceOfNDistinct(rapid.IntRange(1, 31), 1, 10, rapid.ID[int]).Draw(rt, "someDays")
			opt.Byweekday = weekdays("andWeekdays", 1, false)
		}
		if rapid.Bool().Draw(rt, "yearly") {
			// A yearly rule with one month, as expansion runs it: from that month.
			m := rapid.IntRange(1, 12).Draw(rt, "byMonth")
			opt.Bymonth = []int{m}
			opt.Interval *= 12
			opt.Dtstart = time.Date(opt.Dtstart.Year(), time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		}
	}
	return opt
}

// TestWallClockMatchesWallTime reads wall times, steps of minutes to weeks apart (mostly
// forward, as expansion asks, sometimes back), in zones with odd changes of offset, through
// one wallClock and through WallTime.
func TestWallClockMatchesWallTime(t *testing.T) {
	zones := []string{"UTC", "Europe/Berlin", "America/New_York", "America/Santiago", "America/Havana",
		"Australia/Lord_Howe", "Pacific/Apia", "Europe/Dublin", "Africa/Casablanca", "Antarctica/Troll", "Asia/Kolkata"}
	rapid.Check(t, func(rt *rapid.T) {
		loc, err := time.LoadLocation(rapid.SampledFrom(zones).Draw(rt, "zone"))
		if err != nil {
			rt.Fatal(err)
		}
		c := wallClock{loc: loc}
		at := time.Date(rapid.IntRange(1900, 2100).Draw(rt, "year"), time.Month(rapid.IntRange(1, 12).Draw(rt, "month")), 1, 0, 0, 0, 0, time.UTC).In(loc)
		if _, end := at.ZoneBounds(); !end.IsZero() {
			// Start a little before the next change of offset.
			at = end.Add(-time.Duration(rapid.IntRange(0, 72).Draw(rt, "halfHoursBefore")) * 30 * time.Minute).In(loc)
		}
		w := time.Date(at.Year(), at.Month(), at.Day(), at.Hour(), at.Minute()/30*30, 0, 0, time.UTC)
		steps := rapid.SliceOfN(rapid.SampledFrom([]time.Duration{15 * time.Minute, time.Hour, 23 * time.Hour, 24 * time.Hour,
			25 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour, -30 * time.Minute, -25 * time.Hour}), 1, 200).Draw(rt, "steps")
		for _, step := range steps {
			w = w.Add(step)
			y, m, d := w.Date()
			h, mi, s := w.Clock()
			want := WallTime(y, m, d, h, mi, s, loc)
			if got := c.instant(w); !got.Equal(want) || got.Location() != want.Location() {
				rt.Fatalf("%s, %v: wallClock %v, WallTime %v", loc, w, got, want)
			}
		}
	})
}
