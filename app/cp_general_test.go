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

func TestGeneralSettingsSwitchesThirdPartySync(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		h := newPageHarness(t, db)
		admin := h.as("admin@example.com")
		if res := admin.get("/cp"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/cp/general" {
			t.Fatalf("/cp: status %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		status, body := admin.page("/cp/general")
		if status != http.StatusOK || !strings.Contains(body, "Advanced Settings") ||
			!strings.Contains(body, "Enable calendar sync from 3rd party systems") || !strings.Contains(body, "Save System Settings") ||
			!strings.Contains(body, `id="sync-no" name="enableThirdPartySync" value="no" checked`) {
			t.Fatalf("General Settings (status %d) lacks the switch set to No", status)
		}
		for _, tt := range []struct{ choice, want string }{{"yes", "true"}, {"no", "false"}, {"yes", "true"}} {
			res, _ := admin.submit("/cp/general", url.Values{"enableThirdPartySync": {tt.choice}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("save %s: status %d", tt.choice, res.StatusCode)
			}
			p, err := h.app.props.Get(t.Context(), properties.PropEnableSync)
			if err != nil || p.Value != tt.want {
				t.Fatalf("after %s the property is %q (%v), want %s", tt.choice, p.Value, err, tt.want)
			}
		}
		_, body = admin.page("/cp/general")
		if !strings.Contains(body, `value="yes" checked`) || !strings.Contains(body, "System settings saved.") || !strings.Contains(body, "by Ada Admin") {
			t.Error("the page does not show the saved choice, the flash and who changed it")
		}
		audit, err := h.app.props.Audit(t.Context(), 10)
		if err != nil || len(audit) != 3 || audit[0].Property != properties.PropEnableSync || !strings.Contains(audit[0].Actor, "Ada Admin") {
			t.Errorf("audit %+v (%v), want three changes by Ada", audit, err)
		}
		if res, _ := admin.submit("/cp/general", url.Values{"enableThirdPartySync": {"maybe"}}); res.StatusCode != http.StatusBadRequest {
			t.Errorf("an unknown choice: status %d, want 400", res.StatusCode)
		}
	})
}
