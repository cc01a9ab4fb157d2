package feeds

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"intracal/app/accounts"
	"intracal/app/httpkit"
)

// TestImportsAtOnceAreBounded: while as many imports run as the process allows, another is
// answered 503 at once, before its file is read.
func TestImportsAtOnceAreBounded(t *testing.T) {
	h := &Handlers{imports: make(chan struct{}, maxImportsAtOnce)}
	for range maxImportsAtOnce {
		h.imports <- struct{}{}
	}
	_, err := h.importFile(context.Background(), accounts.Viewer{UserID: 1}, 1, strings.NewReader("BEGIN:VCALENDAR"))
	var he *httpkit.Error
	if !errors.As(err, &he) || he.Status != http.StatusServiceUnavailable {
		t.Fatalf("a third import: %v", err)
	}
}
