// Package calendar is the calendar domain of the intranet: events made of ordered segments,
// per-instance overrides keyed by original start, invitations, RSVPs, scoped edits and deletes,
// bounded expansion into occurrences, and the visibility rules, with its store on gorm.
//
// An event is one piece of content that keeps its id for life: where Outlook breaks a series
// in two for a "this and all following" change, an event here gains a segment instead. A
// segment holds a schedule (first start as wall time in an IANA zone, duration, an optional
// rule that Outlook can represent) and the content fields; an override stores only the fields
// that were changed for one instance, so a later change of the whole series still reaches an
// instance whose only change was, say, its time.
//
// The package knows nothing of HTTP or Outlook; callers map its errors (ErrNotFound,
// ErrForbidden, ErrConflict, *ValidationError) to their own answers.
package calendar
