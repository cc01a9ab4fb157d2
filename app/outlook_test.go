package app

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"intracal/app/accounts"
	"intracal/app/outlook"
	"intracal/app/properties"
	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

func TestConnectToOutlookWithABearerToken(t *testing.T) {
	e := newOutlookEnv(t)
	anna, api := e.user("anna@contoso.example", "Anna Berg")
	if st := e.status(api); st.State != "disconnected" || !st.Available || st.Account != nil {
		t.Fatalf("status before: %+v", st)
	}
	authz := e.startConnect(api)
	q := authz.Query()
	want := map[string]string{
		"client_id": fakeoutlook.DemoClientID, "response_type": "code", "code_challenge_method": "S256",
		"scope": "offline_access Calendars.ReadWrite User.Read", "login_hint": "anna@contoso.example",
		"redirect_uri": outlookSite + "/oauth2/outlook/callback",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("authorize %s = %q, want %q", k, q.Get(k), v)
		}
	}
	if authz.Path != "/"+fakeoutlook.DemoTenantID+"/oauth2/v2.0/authorize" || q.Get("state") == "" || q.Get("code_challenge") == "" {
		t.Errorf("authorize URL %s: want the SAML tenant, a state and a challenge", authz)
	}

	res := api.get(e.authorize(authz))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/calendar" {
		t.Fatalf("callback: %d %s", res.StatusCode, readBody(res))
	}
	st := e.status(api)
	if st.State != "connected" || st.Account == nil || st.Account.Mail != "anna@contoso.example" || st.Account.ID == "" {
		t.Fatalf("status after: %+v", st)
	}
	conn, err := e.a.OutlookConnections().Get(t.Context(), anna.ID)
	if err != nil || conn.TenantID != fakeoutlook.DemoTenantID {
		t.Errorf("stored connection %+v, %v", conn, err)
	}
}

func TestConnectUsesOrganizationsForAMultitenantApp(t *testing.T) {
	e := newOutlookEnv(t)
	e.setProps(map[string]string{properties.PropUseSAMLTenantForMS: "false", properties.PropSAMLTenantID: ""})
	_, api := e.user("anna@contoso.example", "Anna Berg")
	authz := e.startConnect(api)
	if !strings.HasPrefix(authz.Path, "/organizations/") {
		t.Errorf("authorize path %s, want /organizations/", authz.Path)
	}
	e.connect(api)
	if st := e.status(api); st.State != "connected" {
		t.Errorf("status %+v", st)
	}
}

func TestConnectWhenNotSetUpSaysWhatTheAdministratorMustDo(t *testing.T) {
	tests := []struct {
		name  string
		props map[string]string
		want  string
	}{
		{"sync switched off", map[string]string{properties.PropEnableSync: "false"}, "turn on Enable calendar sync from 3rd party systems"},
		{"no client id", map[string]string{properties.PropOutlookClientID: ""}, "set OutlookApiClientID"},
		{"no secret", map[string]string{properties.PropOutlookSecret: ""}, "set OutlookApiClientSecret"},
		{"no tenant", map[string]string{properties.PropSAMLTenantID: ""}, "set SAMLTenantID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newOutlookEnv(t)
			e.setProps(tc.props)
			_, api := e.user("anna@contoso.example", "Anna Berg")
			res := api.get(outlook.ConnectPath)
			body := readBody(res)
			if res.StatusCode != http.StatusServiceUnavailable || !strings.Contains(body, "Ask your site administrator to") || !strings.Contains(body, tc.want) {
				t.Errorf("connect: %d, want a page naming %q:\n%s", res.StatusCode, tc.want, body)
			}
			if st := e.status(api); st.Available || st.ConnectURL != "" {
				t.Errorf("status says available: %+v", st)
			}
			b := newBrowser(t, e.a)
			b.login("anna@contoso.example", "correct horse")
			if page := readBody(b.get("/calendar")); strings.Contains(page, "Connect to Outlook") || strings.Contains(page, "outlook-panel") {
				t.Error("My Calendar shows the Outlook panel although sync is not set up")
			}
		})
	}
}

// callbackWith changes query parameters of a callback path.
func callbackWith(t *testing.T, path string, set map[string]string) string {
	t.Helper()
	u, err := url.Parse(path)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for k, v := range set {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

func TestCallbackRefusalsEndOnAClearPageAndStoreNothing(t *testing.T) {
	tests := []struct {
		name       string
		run        func(e *outlookEnv, api *browser) *http.Response
		wantStatus int
		wantText   string
	}{
		{"tampered state", func(e *outlookEnv, api *browser) *http.Response {
			cb := e.authorize(e.startConnect(api))
			return api.get(callbackWith(t, cb, map[string]string{"state": "forged-" + accounts.RandomToken()}))
		}, http.StatusBadRequest, "not one we started"},
		{"missing state", func(e *outlookEnv, api *browser) *http.Response {
			cb := e.authorize(e.startConnect(api))
			return api.get(callbackWith(t, cb, map[string]string{"state": ""}))
		}, http.StatusBadRequest, "not one we started"},
		{"expired state", func(e *outlookEnv, api *browser) *http.Response {
			cb := e.authorize(e.startConnect(api))
			e.clock.Advance(10*time.Minute + time.Second) // a sign-in lasts ten minutes, as the page says
			return api.get(cb)
		}, http.StatusBadRequest, "More than ten minutes"},
		{"state of another user", func(e *outlookEnv, api *browser) *http.Response {
			_, bob := e.user("bob@contoso.example", "Bob")
			cb := e.authorize(e.startConnect(api))
			return bob.get(cb)
		}, http.StatusForbidden, "started elsewhere"},
		{"denied consent", func(e *outlookEnv, api *browser) *http.Response {
			cb := e.authorize(e.startConnect(api))
			return api.get(callbackWith(t, cb, map[string]string{"code": "", "error": "access_denied",
				"error_description": "AADSTS65004: User declined to consent to access the app."}))
		}, http.StatusForbidden, "You did not allow access to your calendar"},
		{"admin consent required", func(e *outlookEnv, api *browser) *http.Response {
			cb := e.authorize(e.startConnect(api))
			return api.get(callbackWith(t, cb, map[string]string{"code": "", "error": "consent_required",
				"error_description": "AADSTS65001: The user or administrator has not consented to use the application."}))
		}, http.StatusForbidden, "An administrator must approve the app first"},
		{"wrong tenant reported by Microsoft", func(e *outlookEnv, api *browser) *http.Response {
			cb := e.authorize(e.startConnect(api))
			return api.get(callbackWith(t, cb, map[string]string{"code": "", "error": "invalid_request",
				"error_description": "AADSTS50020: User account from identity provider does not exist in tenant."}))
		}, http.StatusForbidden, "belongs to another organization"},
		{"wrong tenant in the token", func(e *outlookEnv, api *browser) *http.Response {
			// A code for an account of another tenant, obtained through /organizations with this
			// sign-in's own challenge, is brought to the callback with the right state.
			if _, err := e.fake.AddMailboxInTenant("0a0b0c0d-1111-2222-3333-444455556666", "eve@fabrikam.example", "Eve"); err != nil {
				t.Fatal(err)
			}
			authz := e.startConnect(api)
			q := authz.Query()
			q.Set("login_hint", "eve@fabrikam.example")
			other := *authz
			other.Path = "/organizations/oauth2/v2.0/authorize"
			other.RawQuery = q.Encode()
			return api.get(e.authorize(&other))
		}, http.StatusForbidden, "belongs to another organization"},
		{"reused code", func(e *outlookEnv, api *browser) *http.Response {
			first := e.authorize(e.startConnect(api))
			used, _ := url.Parse(first)
			second := e.authorize(e.startConnect(api))
			// Redeem the first sign-in's code elsewhere, then bring it with the second state.
			if res := api.get(first); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("first callback: %d", res.StatusCode)
			}
			if err := e.a.OutlookConnections().Disconnect(t.Context(), currentUserID(t, e, api)); err != nil {
				t.Fatal(err)
			}
			return api.get(callbackWith(t, second, map[string]string{"code": used.Query().Get("code")}))
		}, http.StatusBadRequest, "This sign-in code cannot be used"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newOutlookEnv(t)
			anna, api := e.user("anna@contoso.example", "Anna Berg")
			res := tc.run(e, api)
			body := readBody(res)
			if res.StatusCode != tc.wantStatus || !strings.Contains(body, tc.wantText) || !strings.Contains(body, "Nothing was connected") {
				t.Errorf("status %d, want %d with %q and \"Nothing was connected\":\n%s", res.StatusCode, tc.wantStatus, tc.wantText, body)
			}
			if _, err := e.a.OutlookConnections().Get(t.Context(), anna.ID); !errors.Is(err, outlooksync.ErrNotConnected) {
				t.Errorf("a refused callback stored a connection: %v", err)
			}
		})
	}
}

func currentUserID(t *testing.T, e *outlookEnv, b *browser) int64 {
	t.Helper()
	var me struct {
		ID int64 `json:"id"`
	}
	res := b.get("/api/v1/me")
	if err := jsonDecode(res, &me); err != nil {
		t.Fatal(err)
	}
	return me.ID
}

func TestReplayedCallbackChangesNothing(t *testing.T) {
	e := newOutlookEnv(t)
	anna, api := e.user("anna@contoso.example", "Anna Berg")
	cb := e.authorize(e.startConnect(api))
	if res := api.get(cb); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first callback: %d", res.StatusCode)
	}
	before, _ := e.a.OutlookConnections().Get(t.Context(), anna.ID)
	tokenCalls := e.fake.RequestCount("", fakeoutlook.EndpointToken)
	res := api.get(cb)
	if body := readBody(res); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "used already") {
		t.Errorf("replayed callback: %d\n%s", res.StatusCode, body)
	}
	after, _ := e.a.OutlookConnections().Get(t.Context(), anna.ID)
	if e.fake.RequestCount("", fakeoutlook.EndpointToken) != tokenCalls || !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Error("the replay reached Microsoft or changed the connection")
	}
}

func TestOneOutlookAccountLinksToOneUser(t *testing.T) {
	e := newOutlookEnv(t)
	_, anna := e.user("anna@contoso.example", "Anna Berg")
	bob, bobAPI := e.user("bob@contoso.example", "Bob")
	e.connect(anna)
	// Bob signs in to Microsoft as Anna.
	authz := e.startConnect(bobAPI)
	q := authz.Query()
	q.Set("login_hint", "anna@contoso.example")
	authz.RawQuery = q.Encode()
	res := bobAPI.get(e.authorize(authz))
	if body := readBody(res); res.StatusCode != http.StatusConflict || !strings.Contains(body, "connected to another person") {
		t.Errorf("linking a taken account: %d\n%s", res.StatusCode, body)
	}
	if _, err := e.a.OutlookConnections().Get(t.Context(), bob.ID); !errors.Is(err, outlooksync.ErrNotConnected) {
		t.Errorf("bob: %v", err)
	}
}

func TestDisconnectRemovesTokensAndKeepsEvents(t *testing.T) {
	e := newOutlookEnv(t)
	anna, api := e.user("anna@contoso.example", "Anna Berg")
	start := time.Now().Add(24 * time.Hour).Truncate(time.Hour)
	if _, err := e.fake.CreateEvent("anna@contoso.example", fakeoutlook.EventSpec{Subject: "Dentist", Start: start, End: start.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	e.connect(api)
	if err := e.a.OutlookConnections().SetDeltaLink(t.Context(), anna.ID, "https://graph/delta?$deltatoken=x"); err != nil {
		t.Fatal(err)
	}
	syncState := outlooksync.NewStore(e.a.db)
	if err := syncState.SaveCursor(t.Context(), anna.ID, outlooksync.Cursor{DeltaLink: "https://graph/delta?$deltatoken=y"}); err != nil {
		t.Fatal(err)
	}
	if err := syncState.SaveLink(t.Context(), anna.ID, outlooksync.Link{EventID: 1, SegmentUID: "seg1", RemoteID: "AAMk1"}); err != nil {
		t.Fatal(err)
	}
	res := api.do(http.MethodPost, "/api/v1/outlook/disconnect", nil, nil)
	if res.StatusCode != http.StatusOK || !strings.Contains(readBody(res), `"state":"disconnected"`) {
		t.Fatalf("disconnect: %d", res.StatusCode)
	}
	if st := e.status(api); st.State != "disconnected" || st.Account != nil {
		t.Errorf("status after disconnect: %+v", st)
	}
	var rows int64
	e.a.db.Table("outlook_connections").Where("user_id = ?", anna.ID).Count(&rows)
	if rows != 0 {
		t.Error("the tokens are still stored")
	}
	if cur, _ := syncState.Cursor(t.Context(), anna.ID); cur.DeltaLink != "" {
		t.Error("the sync's delta state survived the disconnect")
	}
	if links, _ := syncState.Links(t.Context(), anna.ID); len(links) != 1 {
		t.Errorf("links after disconnect: %d, want them kept for a reconnect of the same mailbox", len(links))
	}
	if ev, err := e.fake.FindEvent("anna@contoso.example", "Dentist"); err != nil || ev.IsCancelled {
		t.Errorf("the Outlook event is gone after disconnect: %v", err)
	}
	// Disconnecting twice is fine; the panel's form does the same with a session.
	if res := api.do(http.MethodPost, "/api/v1/outlook/disconnect", nil, nil); res.StatusCode != http.StatusOK {
		t.Errorf("second disconnect: %d", res.StatusCode)
	}
}

func TestRevokedGrantShowsReconnect(t *testing.T) {
	e := newOutlookEnv(t)
	anna, api := e.user("anna@contoso.example", "Anna Berg")
	e.connect(api)
	if err := e.fake.RevokeGrant("anna@contoso.example"); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(2 * time.Hour) // the access token has expired: the next use refreshes
	g, err := e.a.OutlookGraph(t.Context(), anna.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := g.Me(t.Context()); !errors.Is(err, outlooksync.ErrReconnectNeeded) {
		t.Fatalf("Me with a revoked grant: %v, want ErrReconnectNeeded", err)
	}
	if st := e.status(api); st.State != "needs_reconnect" || st.LastError == nil || st.Account == nil {
		t.Errorf("status: %+v", st)
	}
	b := newBrowser(t, e.a)
	b.login("anna@contoso.example", "correct horse")
	page := readBody(b.get("/calendar"))
	if !strings.Contains(page, "Your Outlook connection needs to be renewed") || !strings.Contains(page, `href="/outlook/connect">Reconnect`) {
		t.Errorf("My Calendar has no reconnect banner:\n%s", page)
	}
	admin := newBrowser(t, e.a)
	admin.login("root@example.com", "correct horse")
	cp := readBody(admin.get("/cp/connections"))
	if !strings.Contains(cp, "Needs reconnect") || !strings.Contains(cp, "anna@contoso.example") {
		t.Errorf("Control Panel does not list the failing connection:\n%s", cp)
	}
	// Reconnecting restores it.
	e.connect(api)
	if st := e.status(api); st.State != "connected" || st.LastError != nil {
		t.Errorf("after reconnecting: %+v", st)
	}
}

func TestConnectionsListFailingFirstForAdminsOnly(t *testing.T) {
	e := newOutlookEnv(t)
	anna, annaAPI := e.user("anna@contoso.example", "Anna Berg")
	bob, bobAPI := e.user("bob@contoso.example", "Bob Stone")
	e.connect(annaAPI)
	e.connect(bobAPI)
	if err := e.a.OutlookConnections().RecordSync(t.Context(), anna.ID, time.Now(), nil); err != nil {
		t.Fatal(err)
	}
	if err := e.a.OutlookConnections().RecordSync(t.Context(), bob.ID, time.Now(), errors.New("Outlook answered 503")); err != nil {
		t.Fatal(err)
	}
	admin := apiClient(t, e.a, e.admin)
	res := admin.get("/api/v1/admin/outlook/connections")
	var list struct {
		Connections []struct {
			UserEmail string  `json:"userEmail"`
			LastError *string `json:"lastError"`
		} `json:"connections"`
	}
	if err := jsonDecode(res, &list); err != nil || len(list.Connections) != 2 {
		t.Fatalf("admin list: %+v, %v", list, err)
	}
	if list.Connections[0].UserEmail != "bob@contoso.example" || list.Connections[0].LastError == nil || list.Connections[1].LastError != nil {
		t.Errorf("the failing connection is not first: %+v", list.Connections)
	}
	for _, path := range []string{"/api/v1/admin/outlook/connections", "/cp/connections"} {
		if res := annaAPI.get(path); res.StatusCode != http.StatusForbidden {
			t.Errorf("member GET %s: %d, want 403", path, res.StatusCode)
		}
	}
	b := newBrowser(t, e.a)
	b.login("root@example.com", "correct horse")
	page := readBody(b.get("/cp/connections"))
	if i, j := strings.Index(page, "bob@contoso.example"), strings.Index(page, "anna@contoso.example"); i < 0 || j < 0 || i > j || !strings.Contains(page, "Outlook answered 503") {
		t.Errorf("Control Panel list (bob, failing, first):\n%s", page)
	}
}

func TestSyncNowWithoutTheSyncAnswers501(t *testing.T) {
	e := newOutlookEnv(t)
	_, api := e.user("anna@contoso.example", "Anna Berg")
	e.connect(api)
	e.a.SetSyncNow(nil)
	res := api.do(http.MethodPost, "/api/v1/outlook/sync", nil, nil)
	if body := readBody(res); res.StatusCode != http.StatusNotImplemented || !strings.Contains(body, "runs without the Outlook sync") {
		t.Errorf("sync now: %d %s", res.StatusCode, body)
	}
	var synced []int64
	e.a.SetSyncNow(func(_ context.Context, uid int64) error { synced = append(synced, uid); return nil })
	if res := api.do(http.MethodPost, "/api/v1/outlook/sync", nil, nil); res.StatusCode != http.StatusOK || len(synced) != 1 {
		t.Errorf("sync now with the sync wired: %d, ran %v", res.StatusCode, synced)
	}
	e.a.SetSyncNow(func(context.Context, int64) error { return errors.New("read Outlook changes: boom") })
	res = api.do(http.MethodPost, "/api/v1/outlook/sync", nil, nil)
	if body := readBody(res); res.StatusCode != http.StatusBadGateway || !strings.Contains(body, "sync_failed") {
		t.Errorf("a failed sync: %d %s, want 502 sync_failed", res.StatusCode, body)
	}
}

func TestTokensAndSecretNeverShown(t *testing.T) {
	e := newOutlookEnv(t)
	anna, api := e.user("anna@contoso.example", "Anna Berg")
	e.connect(api)
	tok := e.tokens(anna.ID)
	secrets := []string{tok.AccessToken, tok.RefreshToken, fakeoutlook.DemoClientSecret}

	member := newBrowser(t, e.a)
	member.login("anna@contoso.example", "correct horse")
	admin := newBrowser(t, e.a)
	admin.login("root@example.com", "correct horse")
	adminAPI := apiClient(t, e.a, e.admin)
	answers := map[string]string{
		"status API":          readBody(api.get("/api/v1/outlook/status")),
		"My Calendar":         readBody(member.get("/calendar")),
		"connections page":    readBody(admin.get("/cp/connections")),
		"properties page":     readBody(admin.get("/cp/properties?q=outlook")),
		"connections API":     readBody(adminAPI.get("/api/v1/admin/outlook/connections")),
		"properties API":      readBody(adminAPI.get("/api/v1/admin/properties")),
		"connect redirect":    api.get(outlook.ConnectPath).Header.Get("Location"),
		"the log of all this": e.logs.String(),
	}
	for where, text := range answers {
		for _, s := range secrets {
			if s != "" && strings.Contains(text, s) {
				t.Errorf("%s shows a token or the client secret", where)
			}
		}
	}
	if !strings.Contains(answers["My Calendar"], "anna@contoso.example") || !strings.Contains(answers["My Calendar"], "Sync now") {
		t.Errorf("My Calendar has no connected panel:\n%s", answers["My Calendar"])
	}
}
