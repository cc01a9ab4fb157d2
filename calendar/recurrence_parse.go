package calendar

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	untilLayout     = "20060102T150405Z"
	untilDateLayout = "20060102"
	// maxRuleLength bounds the work done on hostile input; real rules are far shorter.
	maxRuleLength = 500
)

// unsupportedParts are RFC 5545 parts that Outlook has no way to express.
var unsupportedParts = map[string]bool{
	"BYYEARDAY": true, "BYWEEKNO": true, "BYHOUR": true, "BYMINUTE": true, "BYSECOND": true,
	"BYEASTER": true, "RSCALE": true, "SKIP": true,
}

// ParseRule parses an RRULE value without DTSTART ("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10"; an
// optional leading "RRULE:" is accepted; case does not matter). Anything Outlook cannot
// represent returns a *RuleError naming the part. A date-only UNTIL ("20260301") ends with
// that day in UTC; use ParseRuleIn when the schedule's zone is known.
func ParseRule(s string) (*Rule, error) {
	return ParseRuleIn(s, time.UTC)
}

// ParseRuleIn is ParseRule for a schedule in loc: a date-only UNTIL ends with that day in
// loc (23:59:59 local), which is how Outlook reads a range's end date.
func ParseRuleIn(s string, loc *time.Location) (*Rule, error) {
	if loc == nil {
		loc = time.UTC
	}
	s = strings.TrimSpace(s)
	if len(s) > len("RRULE:") && strings.EqualFold(s[:len("RRULE:")], "RRULE:") {
		s = s[len("RRULE:"):]
	}
	if s == "" {
		return nil, ruleErr("RRULE", "The repeat rule is empty.")
	}
	if len(s) > maxRuleLength {
		return nil, ruleErr("RRULE", "The repeat rule is too long.")
	}
	s = strings.ToUpper(s)
	r := Rule{Interval: 1, WeekStart: time.Monday}
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ";") {
		name, value, ok := strings.Cut(part, "=")
		if !ok || name == "" {
			return nil, ruleErr("RRULE", "%q is not a NAME=VALUE part of a repeat rule.", clip(part))
		}
		if value == "" {
			return nil, ruleErr(clip(name), "%s has no value.", clip(name))
		}
		if seen[name] {
			return nil, ruleErr(name, "%s is given more than once.", clip(name))
		}
		seen[name] = true
		if err := r.parsePart(name, value, loc); err != nil {
			return nil, err
		}
	}
	if !seen["FREQ"] {
		return nil, ruleErr("FREQ", "FREQ is missing from the repeat rule.")
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	c := r.canonical()
	return &c, nil
}

// parsePart reads one NAME=VALUE into r; Validate checks how the parts combine.
func (r *Rule) parsePart(name, value string, loc *time.Location) error {
	var err error
	switch name {
	case "FREQ":
		switch f := Frequency(value); f {
		case Daily, Weekly, Monthly, Yearly:
			r.Freq = f
		case "HOURLY", "MINUTELY", "SECONDLY":
			return ruleErr("FREQ", "FREQ=%s is not supported: Outlook repeats daily at most.", value)
		default:
			return ruleErr("FREQ", "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY.")
		}
	case "INTERVAL":
		r.Interval, err = parseRuleInt(name, value, false)
		if err == nil && r.Interval == 0 {
			err = ruleErr(name, "INTERVAL must be at least 1.")
		}
	case "COUNT":
		r.Count, err = parseRuleInt(name, value, false)
		if err == nil && r.Count == 0 {
			err = ruleErr(name, "COUNT must be at least 1.")
		}
	case "BYMONTH":
		if strings.Contains(value, ",") {
			return ruleErr(name, "BYMONTH with several months is not supported: Outlook repeats yearly in one month.")
		}
		r.ByMonth, err = parseRuleInt(name, value, false)
		if err == nil && r.ByMonth == 0 {
			err = ruleErr(name, "BYMONTH must be a month between 1 and 12.")
		}
	case "BYSETPOS":
		if strings.Contains(value, ",") {
			return ruleErr(name, "BYSETPOS with several positions is not supported: Outlook takes one (1 to 4, or -1 for the last).")
		}
		r.BySetPos, err = parseRuleInt(name, value, true)
		if err == nil && r.BySetPos == 0 {
			err = ruleErr(name, "BYSETPOS must not be 0.")
		}
	case "BYMONTHDAY":
		for item := range strings.SplitSeq(value, ",") {
			d, err := parseRuleInt(name, item, true)
			if err != nil {
				return err
			}
			r.ByMonthDay = append(r.ByMonthDay, d)
		}
	case "BYDAY":
		for item := range strings.SplitSeq(value, ",") {
			d, err := parseWeekdayNum(item)
			if err != nil {
				return err
			}
			r.ByDay = append(r.ByDay, d)
		}
	case "WKST":
		d, ok := parseWeekday(value)
		if !ok {
			return ruleErr(name, "WKST must be a weekday: MO, TU, WE, TH, FR, SA or SU.")
		}
		r.WeekStart = d
	case "UNTIL":
		r.Until, err = parseUntil(value, loc)
	case "DTSTART":
		return ruleErr(name, "DTSTART does not belong in the repeat rule: the event's start is given on its own.")
	default:
		if unsupportedParts[name] {
			return ruleErr(name, "%s is not supported: Outlook cannot represent it.", name)
		}
		return ruleErr(name, "%q is not a part of a repeat rule.", clip(name))
	}
	return err
}

// parseRuleInt reads a small decimal number, with a sign only where signed allows one.
func parseRuleInt(part, value string, signed bool) (int, error) {
	digits := value
	if signed && (strings.HasPrefix(value, "-") || strings.HasPrefix(value, "+")) {
		digits = value[1:]
	}
	if digits == "" || len(digits) > 4 || strings.Trim(digits, "0123456789") != "" {
		return 0, ruleErr(part, "%s=%s is not a number.", part, clip(value))
	}
	n, err := strconv.Atoi(value)
	if err != nil {
		return 0, ruleErr(part, "%s=%s is not a number.", part, clip(value))
	}
	return n, nil
}

func parseWeekday(s string) (time.Weekday, bool) {
	i := slices.Index(weekdayCodes[:], s)
	return time.Weekday(i), i >= 0
}

// parseWeekdayNum reads a BYDAY entry such as "MO", "2TU", "+1WE" or "-1FR".
func parseWeekdayNum(s string) (WeekdayNum, error) {
	// Built only when needed: every listing parses its series' rules.
	bad := func() error { return ruleErr("BYDAY", "%q is not a weekday such as MO, 2TU or -1FR.", clip(s)) }
	if len(s) < 2 {
		return WeekdayNum{}, bad()
	}
	d, ok := parseWeekday(s[len(s)-2:])
	if !ok {
		return WeekdayNum{}, bad()
	}
	w := WeekdayNum{Weekday: d}
	if prefix := s[:len(s)-2]; prefix != "" {
		n, err := parseRuleInt("BYDAY", prefix, true)
		if err != nil || n == 0 || n > 53 || n < -53 {
			return WeekdayNum{}, bad()
		}
		w.N = n
	}
	return w, nil
}

// parseUntil reads a UTC date-time ("20260301T080000Z") or a date ("20260301"), which ends
// with that day in loc.
func parseUntil(s string, loc *time.Location) (time.Time, error) {
	digitsOnly := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	switch {
	case len(s) == len(untilDateLayout) && digitsOnly(s):
		d, err := time.Parse(untilDateLayout, s)
		if err == nil {
			return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, loc).UTC(), nil
		}
	case len(s) == len(untilLayout) && digitsOnly(s[:8]) && s[8] == 'T' && digitsOnly(s[9:15]) && s[15] == 'Z':
		t, err := time.Parse(untilLayout, s)
		if err == nil {
			return t, nil
		}
	case len(s) == len(untilLayout)-1 && digitsOnly(s[:8]) && s[8] == 'T' && digitsOnly(s[9:]):
		return time.Time{}, ruleErr("UNTIL", "UNTIL=%s has no time zone: give it in UTC (20260301T080000Z) or as a date (20260301).", s)
	}
	return time.Time{}, ruleErr("UNTIL", "UNTIL=%s is not a date (20260301) or a UTC time (20260301T080000Z).", clip(s))
}

// untilIsDate reports whether a rule's UNTIL is a date ("20260301") rather than a time.
func untilIsDate(s string) bool {
	for part := range strings.SplitSeq(strings.ToUpper(strings.TrimSpace(s)), ";") {
		name, value, _ := strings.Cut(part, "=")
		if strings.HasSuffix(name, "UNTIL") {
			return len(value) == len(untilDateLayout) && strings.Trim(value, "0123456789") == ""
		}
	}
	return false
}

// clip shortens user input quoted back in a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "..."
	}
	return s
}

// Validate reports the first part of r that Outlook cannot represent, as a *RuleError; nil
// when the whole rule can be synced. ParseRule returns only rules that pass it; a rule built
// by hand (from a web form or from Graph) should be checked with it.
func (r Rule) Validate() error {
	switch r.Freq {
	case Daily, Weekly, Monthly, Yearly:
	default:
		return ruleErr("FREQ", "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY.")
	}
	if r.Interval < 0 || r.Interval > 99 {
		return ruleErr("INTERVAL", "INTERVAL must be between 1 and 99: Outlook repeats at most every 99 periods.")
	}
	if r.WeekStart < time.Sunday || r.WeekStart > time.Saturday {
		return ruleErr("WKST", "WKST must be a weekday: MO, TU, WE, TH, FR, SA or SU.")
	}
	if r.Count < 0 || r.Count > 999 {
		return ruleErr("COUNT", "COUNT must be between 1 and 999: Outlook cannot hold more occurrences.")
	}
	if r.Count > 0 && !r.Until.IsZero() {
		return ruleErr("UNTIL", "COUNT and UNTIL cannot both be given: a repeat ends after a number of times or on a date.")
	}
	if r.ByMonth < 0 || r.ByMonth > 12 {
		return ruleErr("BYMONTH", "BYMONTH must be a month between 1 and 12.")
	}
	if r.BySetPos != 0 && (r.BySetPos < -1 || r.BySetPos > 4) {
		return ruleErr("BYSETPOS", "BYSETPOS=%d is not supported: Outlook takes 1 to 4, or -1 for the last.", r.BySetPos)
	}
	if err := r.validateByDay(); err != nil {
		return err
	}
	switch r.Freq {
	case Daily:
		if len(r.ByDay) > 0 {
			return ruleErr("BYDAY", "A daily rule cannot pick weekdays in Outlook: use FREQ=WEEKLY with BYDAY.")
		}
		return r.noMonthParts("daily")
	case Weekly:
		return r.noMonthParts("weekly")
	case Monthly:
		if r.ByMonth != 0 {
			return ruleErr("BYMONTH", "BYMONTH belongs to yearly rules only.")
		}
	case Yearly:
		if r.ByMonth == 0 && (len(r.ByDay) > 0 || len(r.ByMonthDay) > 0) {
			return ruleErr("BYMONTH", "A yearly rule with BYDAY or BYMONTHDAY needs BYMONTH (one month): Outlook repeats yearly in one month.")
		}
	}
	return r.validateMonthPattern()
}

// validateByDay checks the BYDAY entries on their own.
func (r Rule) validateByDay() error {
	seen := map[WeekdayNum]bool{}
	for _, d := range r.ByDay {
		if d.Weekday < time.Sunday || d.Weekday > time.Saturday {
			return ruleErr("BYDAY", "BYDAY holds an unknown weekday.")
		}
		if d.N != 0 && r.Freq == Weekly {
			return ruleErr("BYDAY", "A weekly rule cannot have an ordinal in BYDAY (such as 2TU): use FREQ=MONTHLY.")
		}
		if d.N != 0 && (d.N < -1 || d.N > 4) {
			return ruleErr("BYDAY", "The ordinal %d%s is not supported: Outlook takes the 1st to 4th or the last (-1).", d.N, weekdayCode(d.Weekday))
		}
		if seen[d] {
			return ruleErr("BYDAY", "BYDAY lists %s more than once.", weekdayCode(d.Weekday))
		}
		seen[d] = true
	}
	// The same weekday with different ordinals ("1MO,3MO") is left to the monthly checks,
	// whose message about several ordinals says more.
	return nil
}

// noMonthParts rejects the parts that only monthly and yearly rules may have.
func (r Rule) noMonthParts(kind string) error {
	switch {
	case len(r.ByMonthDay) > 0:
		return ruleErr("BYMONTHDAY", "A %s rule cannot have BYMONTHDAY: use FREQ=MONTHLY.", kind)
	case r.ByMonth != 0:
		return ruleErr("BYMONTH", "A %s rule cannot have BYMONTH: use FREQ=YEARLY.", kind)
	case r.BySetPos != 0:
		return ruleErr("BYSETPOS", "A %s rule cannot have BYSETPOS.", kind)
	}
	return nil
}

// validateMonthPattern checks how a monthly or yearly rule picks its day: one ordinal
// weekday, a weekday list with BYSETPOS, one month day, or Outlook's day 29-31 form.
func (r Rule) validateMonthPattern() error {
	ordinals := 0
	for _, d := range r.ByDay {
		if d.N != 0 {
			ordinals++
		}
	}
	switch {
	case len(r.ByDay) > 0 && len(r.ByMonthDay) > 0:
		return ruleErr("BYMONTHDAY", "BYDAY and BYMONTHDAY cannot be combined: Outlook repeats on a weekday or on a day of the month.")
	case ordinals > 0 && len(r.ByDay) > 1:
		return ruleErr("BYDAY", "Several ordinal weekdays are not supported: Outlook repeats on one (such as 2TU), or on a list of weekdays with BYSETPOS.")
	case ordinals == 1 && r.BySetPos != 0:
		return ruleErr("BYSETPOS", "BYSETPOS cannot be combined with an ordinal weekday such as 2TU.")
	case len(r.ByDay) > 0 && ordinals == 0 && r.BySetPos == 0:
		return ruleErr("BYDAY", "A %s rule needs an ordinal weekday (2TU, -1FR) or BYSETPOS with the weekday list: Outlook cannot repeat on every such weekday.", strings.ToLower(string(r.Freq)))
	case len(r.ByMonthDay) > 0:
		return r.validateMonthDays()
	case len(r.ByDay) == 0 && r.BySetPos != 0:
		return ruleErr("BYSETPOS", "BYSETPOS needs a list of weekdays in BYDAY, or BYMONTHDAY=28,29,30,31 for day 31.")
	}
	return nil
}

// validateMonthDays accepts one day 1..28 or Outlook's day 29-31 form with BYSETPOS=-1.
func (r Rule) validateMonthDays() error {
	days := slices.Sorted(slices.Values(r.ByMonthDay))
	for i, d := range days {
		switch {
		case d < 0:
			return ruleErr("BYMONTHDAY", "Negative days of the month (counted from its end) are not supported: for the last day use BYMONTHDAY=28,29,30,31;BYSETPOS=-1.")
		case d == 0 || d > 31:
			return ruleErr("BYMONTHDAY", "BYMONTHDAY=%d is not a day of the month.", d)
		case i > 0 && d == days[i-1]:
			return ruleErr("BYMONTHDAY", "BYMONTHDAY lists %d more than once.", d)
		}
	}
	if len(days) == 1 {
		d := days[0]
		if d > 28 {
			return ruleErr("BYMONTHDAY", "BYMONTHDAY=%d would skip the months without a day %d, which Outlook cannot represent: for day %d, or the last day of shorter months, write BYMONTHDAY=%s;BYSETPOS=-1.", d, d, d, joinInts(outlookMonthDayForms[d]))
		}
		if r.BySetPos != 0 {
			return ruleErr("BYSETPOS", "BYSETPOS cannot be combined with one day of the month.")
		}
		return nil
	}
	if outlookFormDay(days) == 0 {
		return ruleErr("BYMONTHDAY", "BYMONTHDAY takes one day from 1 to 28, or for day 29, 30 or 31 the form BYMONTHDAY=28,29,30,31;BYSETPOS=-1 (day 31), 28,29,30 (day 30) or 28,29 (day 29).")
	}
	if r.BySetPos != -1 {
		return ruleErr("BYSETPOS", "BYMONTHDAY=%s needs BYSETPOS=-1: that form means day %d or the month's last day.", joinInts(days), outlookFormDay(days))
	}
	return nil
}

func joinInts(xs []int) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.Itoa(x)
	}
	return strings.Join(parts, ",")
}
