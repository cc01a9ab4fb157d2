package app

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// pageSamples holds sample data for every page. A page without a sample fails the test, so a
// new template cannot ship without being rendered once.
func pageSamples() map[string]any {
	v := &Viewer{UserID: 1, Email: "anna@example.com", Name: "Anna <b>Berg</b>", TimeZone: "Europe/Berlin"}
	signedIn := Page{Title: "T", Viewer: v, CSRFToken: "tok", Flash: "Saved."}
	return map[string]any{
		"login.html": loginPage{Page: Page{Title: "Sign in"}, Email: "a@example.com", Next: "/x", Error: "Wrong."},
		"home.html":  homePage{Page: signedIn},
		"error.html": errorPage{Page: signedIn, Heading: "Not Found", Message: "Not found."},
	}
}

func TestEveryPageRenders(t *testing.T) {
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	samples := pageSamples()
	for _, name := range r.pageNames() {
		t.Run(name, func(t *testing.T) {
			data, ok := samples[name]
			if !ok {
				t.Fatalf("no sample data for %s: add it to pageSamples", name)
			}
			rec := httptest.NewRecorder()
			c := echo.New().NewContext(httptest.NewRequest(http.MethodGet, "/", nil), rec)
			if err := r.render(c, http.StatusOK, name, data); err != nil {
				t.Fatal(err)
			}
			body := rec.Body.String()
			if !strings.HasPrefix(body, "<!doctype html>") || !strings.Contains(body, "</html>") {
				t.Errorf("%s is not a whole page:\n%s", name, body)
			}
			if strings.Contains(body, "<b>Berg</b>") {
				t.Errorf("%s does not escape the viewer's name", name)
			}
			if !strings.Contains(body, "/static/style.css?v=") {
				t.Errorf("%s does not link the stylesheet", name)
			}
		})
	}
}

func TestStaticFilesAreServedWithLongCaching(t *testing.T) {
	r, err := newRenderer()
	if err != nil {
		t.Fatal(err)
	}
	u, err := r.static.url("style.css")
	if err != nil {
		t.Fatal(err)
	}
	e := echo.New()
	e.GET("/static/*", r.static.serve)
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
