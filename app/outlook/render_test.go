package outlook

import (
	"testing"
	"time"

	"intracal/app/accounts"
	"intracal/app/internal/apptest"
	"intracal/app/view"
)

// pageSamples holds sample data for the Outlook pages (the error page they end a sign-in on
// is app's). Text fields carry markup, which must come out escaped.
func pageSamples() map[string]any {
	v := &accounts.Viewer{UserID: 1, Email: "anna@example.com", Name: "Anna <b>Berg</b>", TimeZone: "Europe/Berlin", IsAdmin: true}
	signedIn := view.Page{Title: "T", Viewer: v, CSRFToken: "tok", Flash: "Saved."}
	evil := "<b>Berg</b>"
	return map[string]any{
		"sync.html": syncPage{Page: signedIn, Zone: time.UTC, Status: syncStatusJSON{Running: true, ItemsRead: 40, LastCycleAt: &time.Time{},
			LastSummary: evil, LastError: evil, FromOutlook: 1, History: []syncHistoryJSON{{EventID: 1, Direction: "conflict", Summary: evil, Detail: evil}}}},
	}
}

func TestEveryPageRenders(t *testing.T) {
	r, err := view.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	apptest.EveryPageRenders(t, r, pageSamples(), func(name string) bool { return name == "sync.html" })
}
