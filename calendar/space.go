package calendar

import (
	"strings"
	"time"
	"unicode/utf8"
)

// A Space is a team's or project's calendar with members: a calendars row of kind "space"
// with a name, a description and a visibility. A public space's events are seen as any public
// event is, and everyone may join it; a private space's events are seen by its members only,
// whatever the event's own privacy says, and people join it only when a space administrator
// adds them. The store applies this in every query that lists or loads events
// (store_space_visibility.go: visibleCalendars, calendarHidden).
type Space struct {
	ID          int64
	CalendarID  int64
	Name        string
	Description string
	Visibility  SpaceVisibility
	CreatedBy   int64
	CreatedAt   time.Time
	// Members counts the members.
	Members int
	// Role is the viewer's, "" when they are not a member; ShowInCalendar says whether the
	// space's events show in the viewer's My Calendar.
	Role           SpaceRole
	ShowInCalendar bool
}

// SpaceVisibility says who sees a space.
type SpaceVisibility string

const (
	SpacePublic  SpaceVisibility = "public"
	SpacePrivate SpaceVisibility = "private"
)

// SpaceRole is a member's role in a space.
type SpaceRole string

const (
	RoleAdmin  SpaceRole = "admin"  // manages the space's settings and members
	RoleMember SpaceRole = "member" // sees the space and adds events to its calendar
)

// SpaceMember is one member of a space.
type SpaceMember struct {
	UserID         int64
	Role           SpaceRole
	ShowInCalendar bool
	Since          time.Time
}

// SpaceInput is what a space is created or changed with.
type SpaceInput struct {
	Name        string
	Description string
	Visibility  SpaceVisibility
}

// MaxSpaceDescription is the longest description of a space, in bytes.
const MaxSpaceDescription = 64 << 10

// validate checks the input, trimming the name.
func (in *SpaceInput) validate() error {
	var ve ValidationError
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case in.Name == "":
		ve.Add("name", "A space needs a name.")
	case utf8.RuneCountInString(in.Name) > 255:
		ve.Add("name", "A space's name can have at most 255 characters.")
	case !utf8.ValidString(in.Name) || strings.ContainsAny(in.Name, "\r\n"):
		ve.Add("name", "A space's name must be one line of text.")
	}
	if len(in.Description) > MaxSpaceDescription || !utf8.ValidString(in.Description) {
		ve.Add("description", "The description must be text of at most 64 KiB.")
	}
	if in.Visibility != SpacePublic && in.Visibility != SpacePrivate {
		ve.Add("visibility", "Visibility must be public or private.")
	}
	return ve.Err()
}

// ParseSpaceRole reads a role as forms and the API send it; "" is a member.
func ParseSpaceRole(s string) (SpaceRole, error) {
	switch SpaceRole(s) {
	case "", RoleMember:
		return RoleMember, nil
	case RoleAdmin:
		return RoleAdmin, nil
	}
	return "", invalid("role", "Role must be member or admin.")
}

// CanManage reports whether the viewer may change the space's settings and members: its
// administrators, and site administrators (so that a space whose administrators' accounts
// were deleted can still be looked after).
func (sp Space) CanManage(v Viewer) bool { return sp.Role == RoleAdmin || v.IsAdmin }

// SpaceConflictError is ErrConflict for a change of members that would leave a space without
// an administrator, with a message for the person.
type SpaceConflictError struct{ Message string }

func (e *SpaceConflictError) Error() string { return e.Message }

// Is makes errors.Is(err, ErrConflict) true.
func (e *SpaceConflictError) Is(target error) bool { return target == ErrConflict }
