package view

import "intracal/app/accounts"

// ProfileRow is one directory field on a profile form (the settings page's and a person's
// Control Panel page): its value, its error and whether administrators locked it.
type ProfileRow struct {
	Name, Label, Value, Error string
	Locked                    bool
}

// ProfileRows fills a profile form from the stored profile, the values sent back and their
// errors (both nil on a first showing).
func ProfileRows(p accounts.Profile, sent map[string]string, errs map[string]string) []ProfileRow {
	var out []ProfileRow
	for _, f := range accounts.ProfileFields() {
		v := p.Value(f.Name)
		if s, ok := sent[f.Name]; ok {
			v = s
		}
		out = append(out, ProfileRow{Name: f.Name, Label: f.Label, Value: v, Error: errs[f.Name], Locked: p.IsLocked(f.Name)})
	}
	return out
}
