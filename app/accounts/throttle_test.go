package accounts

import (
	"testing"
	"time"
)

func TestLockFor(t *testing.T) {
	tests := []struct {
		failures int
		want     time.Duration
	}{
		{1, 0}, {4, 0}, {5, 30 * time.Second}, {6, time.Minute}, {7, 2 * time.Minute},
		{9, 8 * time.Minute}, {10, 15 * time.Minute}, {50, 15 * time.Minute},
	}
	for _, tt := range tests {
		if got := lockFor(tt.failures); got != tt.want {
			t.Errorf("lockFor(%d) = %s, want %s", tt.failures, got, tt.want)
		}
	}
}
