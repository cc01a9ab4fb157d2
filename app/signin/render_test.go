package signin

import (
	"strings"
	"testing"

	"intracal/app/internal/apptest"
	"intracal/app/view"
)

func TestEveryPageRenders(t *testing.T) {
	r, err := view.NewRenderer()
	if err != nil {
		t.Fatal(err)
	}
	evil := "<b>Berg</b>"
	samples := map[string]any{
		"signin_error.html": view.MessagePage{Page: view.Page{Title: evil}, Heading: evil, Message: evil},
	}
	apptest.EveryPageRenders(t, r, samples, func(name string) bool { return strings.HasPrefix(name, "signin_") })
}
