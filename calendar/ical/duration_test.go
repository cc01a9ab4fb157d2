package ical

import (
	"strings"
	"testing"
	"time"
)

func TestDurationValues(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"PT15M": 15 * time.Minute, "P1D": 24 * time.Hour, "P1W": 7 * 24 * time.Hour, "P1DT2H30M": 26*time.Hour + 30*time.Minute,
		"-PT5M": -5 * time.Minute, "+PT1H0M10S": time.Hour + 10*time.Second, "pt2h": 2 * time.Hour,
	} {
		if got, err := duration(in); err != nil || got != want {
			t.Errorf("%s: %v %v, want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "P", "PT", "15M", "P1X", "PT1D", "P1H", "P12345678D", "PT5", "P" + strings.Repeat("9", 100000) + "D"} {
		if _, err := duration(in); err == nil {
			t.Errorf("%q read as a duration", in)
		}
	}
}
