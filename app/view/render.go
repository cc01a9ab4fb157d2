package view

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"

	"github.com/labstack/echo/v4"

	"intracal/templates"
)

// layoutFile is the page frame that every page is parsed with, and partialFiles the pieces
// that pages share.
const (
	layoutFile   = "layout.html"
	partialFiles = "partials/*.html"
)

// Renderer holds one parsed template set per page, built once at start-up, and the static
// files the pages link to.
type Renderer struct {
	pages  map[string]*template.Template
	static *staticFiles
}

// NewRenderer parses every page of the embedded templates.
func NewRenderer() (*Renderer, error) {
	st, err := newStaticFiles()
	if err != nil {
		return nil, err
	}
	r := &Renderer{pages: map[string]*template.Template{}, static: st}
	funcs := template.FuncMap{"static": st.url}
	names, err := fs.Glob(templates.FS(), "*.html")
	if err != nil {
		return nil, fmt.Errorf("list templates: %w", err)
	}
	for _, name := range names {
		if name == layoutFile {
			continue
		}
		t, err := template.New(name).Funcs(funcs).ParseFS(templates.FS(), layoutFile, partialFiles, name)
		if err != nil {
			return nil, fmt.Errorf("parse template %s: %w", name, err)
		}
		r.pages[name] = t
	}
	return r, nil
}

// Render executes a page into a buffer first, so a template error becomes a clean 500 rather
// than half a page.
func (r *Renderer) Render(c echo.Context, status int, name string, data any) error {
	t, ok := r.pages[name]
	if !ok {
		return fmt.Errorf("render: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, buf.Bytes())
}

// PageNames lists the registered pages, for the test that renders each.
func (r *Renderer) PageNames() []string {
	names := make([]string, 0, len(r.pages))
	for n := range r.pages {
		names = append(names, n)
	}
	return names
}

// ServeStatic answers GET /static/* from the embedded static files.
func (r *Renderer) ServeStatic(c echo.Context) error { return r.static.serve(c) }

// StaticURL is the address of a static file with its content hash, as {{static}} writes it.
func (r *Renderer) StaticURL(name string) (string, error) { return r.static.url(name) }
