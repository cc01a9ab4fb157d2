package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/internal/apptest"
	"intracal/app/view"
)

// pageSamples holds sample data for the pages app still holds. A page without a sample fails
// the test, so a new template cannot ship without being rendered once. Text fields carry
// markup, which must come out escaped.
func pageSamples() map[string]any {
	v := &accounts.Viewer{UserID: 1, Email: "anna@example.com", Name: "Anna <b>Berg</b>", TimeZone: "Europe/Berlin", IsAdmin: true}
	signedIn := view.Page{Title: "T", Viewer: v, CSRFToken: "tok", Flash: "Saved."}
	return map[string]any{
		"error.html": view.MessagePage{Page: signedIn, Heading: "Not Found", Message: "Not found."},
	}
}

func TestEveryPageRenders(t *testing.T) {
	r, err := view.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	// The other pages render in the tests of the packages that hold them.
	apptest.EveryPageRenders(t, r, pageSamples(), func(name string) bool { return name == "error.html" })
}

func TestStaticFilesAreServedWithLongCaching(t *testing.T) {
	r, err := view.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	u, err := r.StaticURL("style.css")
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.GET("/static/*", r.ServeStatic)
	tests := []struct {
		path, cache string
		status      int
	}{
		{u, "public, max-age=31536000, immutable", http.StatusOK},
		{"/static/style.css", "no-cache", http.StatusOK},
		{"/static/style.css?v=stale", "no-cache", http.StatusOK},
		{"/static/missing.css", "", http.StatusNotFound},
		{"/static/../templates.go", "", http.StatusNotFound},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		e.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
		if rec.Code != tt.status || rec.Header().Get("Cache-Control") != tt.cache {
			t.Errorf("%s: %d %q, want %d %q", tt.path, rec.Code, rec.Header().Get("Cache-Control"), tt.status, tt.cache)
		}
		if tt.status == http.StatusOK && !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/css") {
			t.Errorf("%s: content type %q", tt.path, rec.Header().Get("Content-Type"))
		}
	}
}
