package calendar_test

import (
	"errors"
	"reflect"
	"testing"

	"intracal/calendar"
)

// FuzzParseRule feeds arbitrary text to the RRULE parser (seed corpus in
// testdata/fuzz/FuzzParseRule). Whatever it is given, it must not panic; what it rejects it
// rejects with a *RuleError naming a part; what it accepts must pass Validate and survive a
// round trip through String unchanged.
func FuzzParseRule(f *testing.F) {
	f.Add("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=10")
	f.Fuzz(func(t *testing.T, s string) {
		r, err := calendar.ParseRule(s)
		if err != nil {
			var re *calendar.RuleError
			if !errors.As(err, &re) || re.Part == "" || re.Message == "" {
				t.Fatalf("ParseRule(%q) failed with %#v, want a *RuleError with a part and a message", s, err)
			}
			return
		}
		if err := r.Validate(); err != nil {
			t.Fatalf("ParseRule(%q) accepted a rule that does not validate: %v", s, err)
		}
		text := r.String()
		back, err := calendar.ParseRule(text)
		if err != nil {
			t.Fatalf("ParseRule(%q) = %v, whose String %q does not parse: %v", s, r, text, err)
		}
		if !reflect.DeepEqual(back, r) {
			t.Fatalf("round trip of %q through %q: got %#v, want %#v", s, text, back, r)
		}
		if again := back.String(); again != text {
			t.Fatalf("String is not stable: %q then %q", text, again)
		}
	})
}
