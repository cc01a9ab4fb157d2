package feeds

import (
	"testing"

	"intracal/app/accounts"
	"intracal/app/internal/apptest"
	"intracal/app/view"
)

// TestEveryPageRenders renders the import page, empty and with a summary whose texts carry
// markup, which must come out escaped.
func TestEveryPageRenders(t *testing.T) {
	r, err := view.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	v := &accounts.Viewer{UserID: 1, Email: "anna@example.com", Name: "Anna <b>Berg</b>", TimeZone: "Europe/Berlin"}
	signedIn := view.Page{Title: "T", Viewer: v, CSRFToken: "tok", Flash: "Saved."}
	evil := "<b>Berg</b>"
	apptest.EveryPageRenders(t, r, map[string]any{
		"import.html": importPage{Page: signedIn, Calendars: []importTarget{{ID: 1, Name: evil, Selected: true}}, Error: evil},
		"import.html#summary": importPage{Page: signedIn, Calendars: []importTarget{{ID: 1, Name: "My Calendar"}}, Took: "1s",
			Summary: &ImportSummary{Imported: 3, Refused: []RefusedItem{{UID: evil, Title: evil, Reason: evil}}}},
	}, func(name string) bool { return name == "import.html" })
}
