package pages

import (
	"context"
	"net/mail"
	"strconv"
	"strings"

	"intracal/app/accounts"
)

// maxFormInvitees is how many people the new-event form invites at once; the details page's
// invite panel, or the API, invites more.
const maxFormInvitees = 200

// inviteeMatches is how many people a name is looked up among: enough to tell one match
// from several.
const inviteeMatches = 5

// splitInvitees splits the "Invite people" field into its entries: addresses or names
// separated by commas, semicolons or new lines, each once (ignoring case).
func splitInvitees(text string) []string {
	parts := strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' })
	seen := map[string]bool{}
	var out []string
	for _, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" || seen[strings.ToLower(p)] {
			continue
		}
		seen[strings.ToLower(p)] = true
		out = append(out, p)
	}
	return out
}

// resolveInvitees finds the people the "Invite people" field names: an entry with an @ is
// an e-mail address ("Bob Baker <bob@example.com>" too), any other a name that must fit one
// colleague alone, as the invite panel's search finds them (a name, a word of it, or the
// start of an address). It returns the people in the field's order, or a message naming
// every entry that fits nobody or more than one person.
func (h *Events) resolveInvitees(ctx context.Context, text string) ([]accounts.Person, string, error) {
	return resolvePeople(ctx, h.people, h.users, text)
}

// resolvePeople is resolveInvitees on the directory and the accounts (the space members
// form reads people the same way).
func resolvePeople(ctx context.Context, people *accounts.Directory, users *accounts.Users, text string) ([]accounts.Person, string, error) {
	entries := splitInvitees(text)
	if len(entries) == 0 {
		return nil, "", nil
	}
	if len(entries) > maxFormInvitees {
		return nil, "Invite at most " + strconv.Itoa(maxFormInvitees) + " people here; invite more from the event's page once it is created.", nil
	}
	addrs := make([]string, len(entries))
	var emails []string
	for i, en := range entries {
		if !strings.Contains(en, "@") {
			continue
		}
		addrs[i] = en
		if a, err := mail.ParseAddress(en); err == nil {
			addrs[i] = a.Address
		}
		emails = append(emails, addrs[i])
	}
	byEmail, err := people.UserIDs(ctx, emails)
	if err != nil {
		return nil, "", err
	}
	var ids []int64
	var unknown, unsure []string
	for i, en := range entries {
		if addrs[i] != "" {
			id, ok := byEmail[accounts.NormalizeEmail(addrs[i])]
			if !ok {
				unknown = append(unknown, "“"+en+"”")
				continue
			}
			ids = append(ids, id)
			continue
		}
		found, err := users.Search(ctx, en, inviteeMatches)
		if err != nil {
			return nil, "", err
		}
		u, ok := oneByName(found, en)
		switch {
		case ok:
			ids = append(ids, u.ID)
		case len(found) == 0:
			unknown = append(unknown, "“"+en+"”")
		default:
			var who []string
			for _, f := range found {
				who = append(who, f.Name+" ("+f.Email+")")
			}
			unsure = append(unsure, "“"+en+"” could be "+strings.Join(who, " or ")+": write the e-mail address.")
		}
	}
	var msg []string
	if len(unknown) > 0 {
		msg = append(msg, "Nobody on this site has the name or address "+joinWords(unknown)+".")
	}
	msg = append(msg, unsure...)
	if len(msg) > 0 {
		return nil, strings.Join(msg, " "), nil
	}
	byID, err := people.ByIDs(ctx, ids)
	if err != nil {
		return nil, "", err
	}
	out := make([]accounts.Person, 0, len(ids))
	seen := map[int64]bool{}
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, byID[id])
		}
	}
	return out, "", nil
}

// oneByName is the one person a name names among those the search found: the only one
// found, or the only one whose whole name it is (ignoring case).
func oneByName(found []accounts.User, name string) (accounts.User, bool) {
	if len(found) == 1 {
		return found[0], true
	}
	var exact []accounts.User
	for _, u := range found {
		if strings.EqualFold(strings.TrimSpace(u.Name), name) {
			exact = append(exact, u)
		}
	}
	if len(exact) == 1 {
		return exact[0], true
	}
	return accounts.User{}, false
}

// namesInBrief names a few people and counts the others, so that a flash stays one line.
func namesInBrief(names []string) string {
	const shown = 4
	if len(names) <= shown+1 {
		return joinWords(names)
	}
	return strings.Join(names[:shown], ", ") + " and " + strconv.Itoa(len(names)-shown) + " others"
}
