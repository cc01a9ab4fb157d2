package fakeoutlook

import (
	"fmt"
	"regexp"
	"strings"
)

// eventFilter is the small part of OData $filter that a sync needs on GET
// events: finding what it created by its extended property or iCalUId.
// Anything else is refused rather than ignored, so a client never believes
// a filter applied that did not.
type eventFilter []func(*event) bool

func (f eventFilter) matches(ev *event) bool {
	for _, m := range f {
		if !m(ev) {
			return false
		}
	}
	return true
}

// parseEventFilter reads clauses joined by "and":
//
//	singleValueExtendedProperties/any(ep: ep/id eq '...' and ep/value eq '...')
//	iCalUId eq '...'   subject eq '...'   type eq '...'
func parseEventFilter(f string) (eventFilter, error) {
	if strings.TrimSpace(f) == "" {
		return nil, nil
	}
	anyRe := regexp.MustCompile(`(?i)^singleValueExtendedProperties/any\(\s*(\w+)\s*:\s*(\w+)/id\s+eq\s+'((?:[^']|'')*)'\s+and\s+(\w+)/value\s+eq\s+'((?:[^']|'')*)'\s*\)$`)
	eqRe := regexp.MustCompile(`(?i)^(iCalUId|subject|type)\s+eq\s+'((?:[^']|'')*)'$`)
	var out eventFilter
	for _, clause := range splitAnd(f) {
		clause = strings.TrimSpace(clause)
		if m := anyRe.FindStringSubmatch(clause); m != nil && strings.EqualFold(m[1], m[2]) && strings.EqualFold(m[1], m[4]) {
			id, value := unquote(m[3]), unquote(m[5])
			out = append(out, func(ev *event) bool {
				for _, p := range ev.extProps {
					if strings.EqualFold(p.ID, id) && p.Value == value {
						return true
					}
				}
				return false
			})
			continue
		}
		if m := eqRe.FindStringSubmatch(clause); m != nil {
			prop, value := strings.ToLower(m[1]), unquote(m[2])
			out = append(out, func(ev *event) bool {
				switch prop {
				case "icaluid":
					return ev.iCalUID == value
				case "subject":
					return ev.subject == value
				default:
					return seriesItem(ev).kind == value
				}
			})
			continue
		}
		return nil, &opError{status: 400, code: "ErrorInvalidUrlQueryFilter",
			msg: fmt.Sprintf("The fake Outlook does not support the filter clause '%s'.", clause)}
	}
	return out, nil
}

func unquote(s string) string { return strings.ReplaceAll(s, "''", "'") }

// splitAnd splits on " and " outside parentheses and quotes.
func splitAnd(s string) []string {
	var out []string
	depth, quoted, start := 0, false, 0
	lower := strings.ToLower(s)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\'':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && strings.HasPrefix(lower[i:], " and "):
			out = append(out, s[start:i])
			start = i + 5
			i += 4
		}
	}
	return append(out, s[start:])
}
