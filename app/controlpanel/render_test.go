package controlpanel

import (
	"strings"
	"testing"

	"intracal/app/accounts"
	"intracal/app/internal/apptest"
	"intracal/app/view"
)

// pageSamples holds sample data for every Control Panel page. Text fields carry markup, which
// must come out escaped.
func pageSamples() map[string]any {
	v := &accounts.Viewer{UserID: 1, Email: "anna@example.com", Name: "Anna <b>Berg</b>", TimeZone: "Europe/Berlin", IsAdmin: true}
	signedIn := view.Page{Title: "T", Viewer: v, CSRFToken: "tok", Flash: "Saved."}
	evil := "<b>Berg</b>"
	tokens := []view.TokenRow{{ID: 7, Name: evil, Prefix: "cal_abcdefgh…", Created: "now", LastUsed: "never", Expires: "never"},
		{ID: 8, Name: evil, Prefix: "cal_…", Created: "now", LastUsed: "now", Expires: "then", Expired: true}}
	person := personRow{ID: 2, Name: evil, Email: evil, Disabled: true, Tokens: 2, URL: "/cp/people/2"}
	frame := page{Page: signedIn, Section: "/cp/general", Nav: []navItem{{Group: "System", Label: "General Settings", URL: "/cp/general", Current: true}}}
	return map[string]any{
		"cp_people.html": peoplePage{page: frame, Query: evil, Truncated: true, People: []personRow{person, {ID: 3, Name: evil, Email: evil, Admin: true, URL: "/cp/people/3"}},
			Audit: []accountChange{{When: "now", Actor: evil, Subject: evil, Action: "account disabled", Detail: evil}}},
		"cp_people.html#empty": peoplePage{page: frame, Query: evil},
		"cp_person.html": personPage{page: frame, Person: person, Created: "1 March 2026", DisabledSince: "2 March 2026", Tokens: tokens,
			GeneratedPassword: evil, Errors: map[string]string{"password": evil, "confirm": evil, "delete": evil},
			Audit: []accountChange{{When: "now", Actor: evil, Subject: evil, Action: evil, Detail: evil}}},
		"cp_person.html#self": personPage{page: frame, Person: personRow{ID: 1, Name: evil, Email: evil, Admin: true, URL: "/cp/people/1"}, Self: true, Microsoft: evil,
			Profile: []view.ProfileRow{{Name: "department", Label: evil, Value: evil, Error: evil, Locked: true}}},
		"cp_general.html": generalPage{page: frame, SyncEnabled: true, UpdatedAt: evil},
		"cp_contacts.html": contactListsPage{page: frame, Setup: []string{evil}, NoSync: true,
			Lists: []contactListRow{{Name: evil, URL: "/cp/contacts/1", Source: evil, Targets: evil, Folder: evil, LastRun: evil, Mailboxes: 2, Failing: 1, RunURL: "/cp/contacts/1/run"}}},
		"cp_contacts.html#none": contactListsPage{page: frame},
		"cp_contact_list.html": contactListPage{page: frame, New: true, Action: "/cp/contacts/new", Errors: map[string]string{"name": evil, "source": evil},
			Form:        contactListForm{Name: evil, SourceKind: "department", SourceDepartment: evil, TargetKind: "space", TargetSpace: "3", Folder: "list", Added: evil},
			Departments: []string{evil}, Spaces: []option{{Value: "3", Label: evil}}, Fields: []fieldRow{{Name: "jobTitle", Label: evil, Write: true}},
			Intervals: []option{{Value: "60", Label: evil, Selected: true}}},
		"cp_contact_list.html#existing": contactListPage{page: frame, Action: "/cp/contacts/1", RunURL: "/cp/contacts/1/run", Delete: "/cp/contacts/1/delete",
			Form:    contactListForm{Name: evil, SourceKind: "everyone", TargetKind: "everyone", Folder: "default", FolderFixed: true},
			Targets: []contactTargetRow{{Mailbox: evil, LastRun: evil, LastError: evil, Leaving: true}},
			Runs:    []contactRunRow{{When: evil, Kind: evil, Detail: evil, Created: 3}}},
		"cp_signin.html": signInPage{page: frame, Missing: []string{evil}, RedirectURI: evil, Multitenant: true, SAMLTenant: evil,
			BreakGlass: evil, Tenants: evil, Error: evil},
		"cp_signin.html#ready": signInPage{page: frame, Ready: true, RedirectURI: evil, Microsoft: true, Password: true},
		"cp_properties.html": propertiesPage{page: frame, Query: evil, Properties: []propertyRow{{Name: "OutlookApiClientSecret", Kind: "secret", Set: true, Changed: evil, Error: evil},
			{Name: "SAMLTenantID", Kind: "guid", Value: evil}, {Name: "UseSAMLtenantIDForOutlook", Kind: "bool", Value: "true"}},
			Audit: []auditRow{{When: "now", Actor: evil, Property: "SAMLTenantID", Action: "set", Value: evil}}},
		"cp_spaces.html": spacesPage{page: frame, Setup: &publishSetup{Missing: []string{evil}, ConsentMissing: true},
			Spaces: []spaceRow{{Name: evil, URL: "/cp/spaces/4", Private: true, Members: 3, Published: true, MembersPublished: 1, Failing: 2, ConsentMissing: true},
				{Name: evil, URL: "/cp/spaces/5", Members: 1}}},
		"cp_spaces.html#empty": spacesPage{page: frame},
		"cp_space.html": spacePage{page: frame, Setup: &publishSetup{ConsentMissing: true},
			Space:   spaceRow{Name: evil, URL: "/cp/spaces/4", Members: 2, Published: true, MembersPublished: 1, Failing: 1, ConsentMissing: true},
			Members: []view.PublishRow{{Name: evil, Email: evil, State: "consent missing", StateText: "Consent missing", Failing: true, LastPublished: "never", LastRun: "now", Failures: 1, Reason: evil}},
			History: []publishLine{{When: "now", Member: evil, Summary: evil, Detail: evil, EventURL: "/events/3"}}, PublishNowURL: "/cp/spaces/4/publish-now"},
		"cp_space.html#withheld": spacePage{page: frame, Space: spaceRow{Name: evil, URL: "/cp/spaces/4", Private: true}, Withheld: true,
			History: []publishLine{{When: "now", Member: evil, Summary: evil}}},
		"cp_connections.html": connectionsPage{page: frame, Missing: []string{evil}, Failing: 1, Connections: []connectionRow{
			{User: evil, Account: evil, State: "needs_reconnect", StateText: "Needs reconnect", LastSync: "never", LastError: evil}}},
	}
}

func TestEveryPageRenders(t *testing.T) {
	r, err := view.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	apptest.EveryPageRenders(t, r, pageSamples(), func(name string) bool { return strings.HasPrefix(name, "cp_") })
}
