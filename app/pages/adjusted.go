package pages

import (
	"strings"

	"intracal/calendar"
)

// withAdjustments appends the adjustments' messages to a flash message.
func withAdjustments(msg string, adj []calendar.Adjustment) string {
	parts := []string{msg}
	for _, a := range adj {
		parts = append(parts, a.Message)
	}
	return strings.Join(parts, " ")
}
