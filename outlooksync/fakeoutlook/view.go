package fakeoutlook

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// A request's rendering options: Prefer headers, $select and $expand.

// view is how a request wants events rendered: time zone, $select and
// $expand.
type view struct {
	outLoc           *time.Location
	outTZ            string
	textBody         bool
	sel              map[string]bool // lower-case names; nil means all
	expandExt        bool
	extIDs           []string // $filter of the expand; nil means all
	expandExceptions bool
	graphBase        string // e.g. http://127.0.0.1:9090/v1.0
	userID           string
	applied          []string // Preference-Applied values
	// getByID is set for GET events/{id}: Graph returns cancelledOccurrences only
	// there ("only on $select in a Get operation which specifies the ID of a series
	// master", msgraph-sdk-go v1.89.0 model comment).
	getByID bool
}

// preferences are the values of the Prefer headers a request sent.
type preferences struct {
	timeZone    string
	maxPageSize int
	textBody    bool
	immutableID bool
}

// parsePrefer reads every Prefer header, whose values are comma-separated
// key=value pairs with optional quotes.
func parsePrefer(h http.Header) preferences {
	var p preferences
	for _, line := range h.Values("Prefer") {
		for _, part := range splitOutsideQuotes(line) {
			k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
			v = strings.Trim(strings.TrimSpace(v), `"`)
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "outlook.timezone":
				p.timeZone = v
			case "odata.maxpagesize":
				if n, err := strconv.Atoi(v); err == nil && n > 0 {
					p.maxPageSize = n
				}
			case "outlook.body-content-type":
				p.textBody = strings.EqualFold(v, "text")
			case "idtype":
				p.immutableID = strings.EqualFold(v, "ImmutableId")
			}
		}
	}
	return p
}

func splitOutsideQuotes(s string) []string {
	var out []string
	quoted, start := false, 0
	for i, r := range s {
		switch {
		case r == '"':
			quoted = !quoted
		case r == ',' && !quoted:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// eventPropertyNames are the event properties $select may name.
func eventPropertyNames() []string {
	return []string{"id", "createdDateTime", "lastModifiedDateTime", "changeKey", "categories",
		"transactionId", "originalStartTimeZone", "originalEndTimeZone", "iCalUId",
		"reminderMinutesBeforeStart", "isReminderOn", "hasAttachments", "subject", "bodyPreview",
		"importance", "sensitivity", "originalStart", "isAllDay", "isCancelled", "isOrganizer",
		"responseRequested", "seriesMasterId", "showAs", "type", "webLink", "onlineMeetingUrl",
		"isOnlineMeeting", "onlineMeetingProvider", "allowNewTimeProposals", "isDraft",
		"hideAttendees", "responseStatus", "body", "start", "end", "location", "locations",
		"recurrence", "attendees", "organizer", "onlineMeeting", "cancelledOccurrences"}
}

// parseIDClauses reads the $filter of an extended-property expand:
// id eq '...' [or id eq '...'].
func parseIDClauses(f string) ([]string, bool) {
	clause := regexp.MustCompile(`(?i)^\s*id\s+eq\s+'([^']*)'\s*$`)
	ids := []string{}
	for _, c := range regexp.MustCompile(`(?i)\s+or\s+`).Split(f, -1) {
		m := clause.FindStringSubmatch(c)
		if m == nil {
			return nil, false
		}
		ids = append(ids, m[1])
	}
	return ids, true
}

// newView reads the rendering options of a request.
func (s *Server) newView(q url.Values, h http.Header, graphBase string, mb *mailbox) (view, error) {
	v := view{outLoc: time.UTC, outTZ: "UTC", graphBase: graphBase, userID: mb.id}
	prefs := parsePrefer(h)
	if prefs.timeZone != "" {
		// A zone Graph does not know is refused, not ignored: 400
		// TimeZoneNotSupportedException (jasonjoh in microsoft-graph-docs #6870).
		loc, _, err := s.zones.accept(prefs.timeZone)
		if err != nil {
			return v, err
		}
		v.outLoc, v.outTZ = loc, prefs.timeZone
		v.applied = append(v.applied, fmt.Sprintf("outlook.timezone=%q", prefs.timeZone))
	}
	if prefs.textBody {
		v.textBody = true
		v.applied = append(v.applied, `outlook.body-content-type="text"`)
	}
	if prefs.immutableID {
		v.applied = append(v.applied, `IdType="ImmutableId"`)
	}
	if sel := q.Get("$select"); sel != "" {
		known := map[string]bool{}
		for _, n := range eventPropertyNames() {
			known[strings.ToLower(n)] = true
		}
		v.sel = map[string]bool{}
		for _, n := range strings.Split(sel, ",") {
			n = strings.ToLower(strings.TrimSpace(n))
			if !known[n] {
				return v, &opError{status: http.StatusBadRequest, code: "RequestBroker--ParseUri",
					msg: fmt.Sprintf("Could not find a property named '%s' on type 'microsoft.graph.event'.", strings.TrimSpace(n))}
			}
			v.sel[n] = true
		}
	}
	if exp := q.Get("$expand"); exp != "" {
		for _, item := range splitOutsideParens(exp) {
			name, inner, _ := strings.Cut(strings.TrimSpace(item), "(")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "singlevalueextendedproperties":
				v.expandExt = true
				inner = strings.TrimSuffix(strings.TrimSpace(inner), ")")
				if inner == "" {
					continue
				}
				f, ok := strings.CutPrefix(strings.TrimSpace(inner), "$filter=")
				if !ok {
					return v, badQuery("Only $filter is supported inside $expand=singleValueExtendedProperties(...).")
				}
				ids, ok := parseIDClauses(f)
				if !ok {
					return v, badQuery("The $filter of singleValueExtendedProperties must be id eq '...' clauses joined by or.")
				}
				v.extIDs = ids
			case "exceptionoccurrences":
				v.expandExceptions = true
			default:
				return v, badQuery(fmt.Sprintf("Parsing OData Select and Expand failed: Could not find a property named '%s' on type 'microsoft.graph.event'.", name))
			}
		}
	}
	return v, nil
}

func badQuery(msg string) *opError {
	return &opError{status: http.StatusBadRequest, code: "BadRequest", msg: msg}
}

func splitOutsideParens(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, r := range s {
		switch r {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}
