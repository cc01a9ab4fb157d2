package graph

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"

	"golang.org/x/oauth2/clientcredentials"

	"intracal/outlooksync"
	"intracal/outlooksync/fakeoutlook"
)

// appClient is a client for the mailbox through an app signed in as itself (client
// credentials), as publishing will use it.
func appClient(t *testing.T, srv *httptest.Server) *Client {
	t.Helper()
	cc := &clientcredentials.Config{ClientID: fakeoutlook.DemoClientID, ClientSecret: fakeoutlook.DemoClientSecret,
		TokenURL: srv.URL + "/" + fakeoutlook.DemoTenantID + "/oauth2/v2.0/token", Scopes: []string{"https://graph.microsoft.com/.default"}}
	c, err := NewForUser(srv.URL, cc.TokenSource(context.Background()), nil, Options{}, mailbox)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// Through the SDK against the fake: with the tenant's consent an app finds or creates a
// calendar named after a space in a mailbox whose user never signed in, once, and deletes it;
// without consent it is refused, and nothing is made.
func TestAppOnlyCalendarOfASpace(t *testing.T) {
	ctx := context.Background()
	fake := fakeoutlook.New(fakeoutlook.Options{})
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	if _, err := fake.AddMailbox(mailbox, "Anna Berg"); err != nil {
		t.Fatal(err)
	}

	if _, err := appClient(t, srv).EnsureCalendar(ctx, "Marketing"); !errors.Is(err, outlooksync.ErrReconnectNeeded) {
		t.Fatalf("without admin consent: %v, want the refusal", err)
	}
	if err := fake.GrantAdminConsent(fakeoutlook.DemoTenantID, fakeoutlook.DemoClientID, "Calendars.ReadWrite"); err != nil {
		t.Fatal(err)
	}
	c := appClient(t, srv)
	id, err := c.EnsureCalendar(ctx, "Marketing")
	if err != nil || id == "" {
		t.Fatalf("EnsureCalendar: %q %v", id, err)
	}
	again, err := c.EnsureCalendar(ctx, "marketing")
	if err != nil || again != id {
		t.Fatalf("EnsureCalendar again: %q %v, want the same calendar %q", again, err, id)
	}
	cals, err := c.Calendars(ctx)
	if err != nil || len(cals) != 2 || !cals[0].IsDefault || cals[1].Name != "Marketing" || cals[1].ID != id {
		t.Fatalf("Calendars: %+v %v", cals, err)
	}
	if err := c.DeleteCalendar(ctx, id); err != nil {
		t.Fatal(err)
	}
	inFake, err := fake.Calendars(mailbox)
	if err != nil || len(inFake) != 1 || !inFake[0].IsDefault {
		t.Fatalf("the fake's calendars after the delete: %+v %v", inFake, err)
	}
	if err := c.DeleteCalendar(ctx, id); !errors.Is(err, outlooksync.ErrRemoteNotFound) {
		t.Errorf("deleting it again: %v, want not found", err)
	}
}
