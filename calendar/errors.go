package calendar

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Errors the calendar returns; the web layer maps them to status codes and safe messages.
var (
	// ErrNotFound: the event, instance or calendar does not exist or the viewer may not see it.
	// A private event that the viewer cannot see is reported as not found, never as forbidden,
	// so its existence does not leak.
	ErrNotFound = errors.New("not found")
	// ErrForbidden: the viewer can see the item but may not do this to it.
	ErrForbidden = errors.New("forbidden")
	// ErrConflict: the event changed since the version the caller based its change on.
	ErrConflict = errors.New("conflict")
)

// ConflictError carries the version the event has now, so the caller can reload and retry.
type ConflictError struct {
	CurrentVersion int
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("the event was changed by someone else (now at version %d)", e.CurrentVersion)
}

// Is makes errors.Is(err, ErrConflict) true for a *ConflictError.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

// ValidationError lists the fields of a request that are not acceptable, each with a message
// meant for the person who filled them in.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+e.Fields[k])
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// Add records a message for field; the first message for a field wins.
func (e *ValidationError) Add(field, msg string) {
	if e.Fields == nil {
		e.Fields = map[string]string{}
	}
	if _, ok := e.Fields[field]; !ok {
		e.Fields[field] = msg
	}
}

// Err returns e when it holds at least one field, nil otherwise.
func (e *ValidationError) Err() error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

// invalid returns a ValidationError for one field.
func invalid(field, msg string) error {
	return &ValidationError{Fields: map[string]string{field: msg}}
}
