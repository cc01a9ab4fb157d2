package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gorm.io/gorm"

	"intracal/app/properties"
	"intracal/migrations/dbtest"
)

func TestSystemPropertiesSearchEditAndAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newPageHarness(t, db)
		admin := h.as("admin@example.com")

		_, body := admin.page("/cp/properties?q=outlook")
		for _, name := range []string{properties.PropOutlookClientID, properties.PropOutlookSecret, properties.PropUseSAMLTenantForMS} {
			if !strings.Contains(body, `action="/cp/properties/`+name+`"`) {
				t.Errorf("searching outlook does not list %s", name)
			}
		}
		if strings.Contains(body, `action="/cp/properties/`+properties.PropSAMLTenantID+`"`) {
			t.Error("searching outlook lists SAMLTenantID")
		}

		// A bad GUID comes back next to its field with what was typed.
		res, body := admin.submit("/cp/properties/"+properties.PropOutlookClientID, url.Values{"value": {"not-a-guid"}, "q": {"outlook"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="e-OutlookApiClientID" role="alert">OutlookApiClientID must be a GUID like 00000000-0000-0000-0000-000000000000.`) ||
			!strings.Contains(body, `value="not-a-guid"`) {
			t.Fatalf("bad GUID: status %d, want 422 with the message next to the field", res.StatusCode)
		}

		guid := "0f8fad5b-d9cb-469f-a165-70867728950e"
		res, _ = admin.submit("/cp/properties/"+properties.PropOutlookClientID, url.Values{"value": {guid}, "q": {"outlook"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/cp/properties?q=outlook#prop-OutlookApiClientID" {
			t.Fatalf("save: status %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		res, _ = admin.submit("/cp/properties/"+properties.PropUseSAMLTenantForMS, url.Values{"value": {"false"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save bool: status %d", res.StatusCode)
		}

		// The secret is write-only: the page says it is set, and when, never what it is.
		secret := "s3cr3t~Value.With-Odd_Chars"
		if res, _ = admin.submit("/cp/properties/"+properties.PropOutlookSecret, url.Values{"value": {secret}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save secret: status %d", res.StatusCode)
		}
		for _, path := range []string{"/cp/properties", "/cp/properties?q=secret", "/cp/general", "/calendar"} {
			_, body = admin.page(path)
			if strings.Contains(body, secret) {
				t.Fatalf("%s shows the secret", path)
			}
		}
		_, body = admin.page("/cp/properties")
		if !strings.Contains(body, `<span class="badge b-ok">Set</span>`) || !strings.Contains(body, "The value is write-only") {
			t.Error("the page does not say the secret is set")
		}
		if !strings.Contains(body, `value="`+guid+`"`) || !strings.Contains(body, `<option value="false" selected>`) {
			t.Error("the page does not show the saved values")
		}
		for _, w := range []string{"set to <code>" + guid + "</code>", "set (value not recorded)", "Ada Admin"} {
			if !strings.Contains(body, w) {
				t.Errorf("the audit list lacks %q", w)
			}
		}

		// An invalid secret's message never echoes it back.
		res, body = admin.submit("/cp/properties/"+properties.PropOutlookSecret, url.Values{"value": {"two\nlines"}})
		if res.StatusCode != http.StatusUnprocessableEntity || strings.Contains(body, "two\nlines") || strings.Contains(body, "two&#10;lines") {
			t.Errorf("bad secret: status %d or echoed", res.StatusCode)
		}
		// Remove clears it.
		if res, _ = admin.submit("/cp/properties/"+properties.PropOutlookSecret, url.Values{"value": {""}, "clear": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("clear secret: status %d", res.StatusCode)
		}
		if p, _ := h.app.props.Get(t.Context(), properties.PropOutlookSecret); p.Set {
			t.Error("the secret is still set after Remove")
		}
		if res, _ = admin.submit("/cp/properties/NoSuchProperty", url.Values{"value": {"x"}}); res.StatusCode != http.StatusNotFound {
			t.Errorf("unknown property: status %d, want 404", res.StatusCode)
		}
	})
}
