package outlooksync

import (
	"context"
	"errors"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"gorm.io/gorm"

	"intracal/config/secrets"
	"intracal/migrations/dbtest"
	"intracal/outlooksync/fakeoutlook"
)

// connFixture is a migrated database with users, the fake identity platform and a
// connection store whose refresh waits return at once.
type connFixture struct {
	t     *testing.T
	db    *gorm.DB
	box   *secrets.Box
	clock *fakeoutlook.Clock
	fake  *fakeoutlook.Server
	srv   *httptest.Server
	app   OAuthApp
	conns *Connections
	waits []time.Duration
}

func newConnFixture(t *testing.T, db *gorm.DB) *connFixture {
	t.Helper()
	key := make([]byte, secrets.KeySize)
	for i := range key {
		key[i] = byte(i + 1)
	}
	box, err := secrets.New(key)
	if err != nil {
		t.Fatal(err)
	}
	fake := fakeoutlook.New(fakeoutlook.Options{})
	srv := httptest.NewServer(fake.Handler())
	t.Cleanup(srv.Close)
	login, _ := url.Parse(srv.URL)
	f := &connFixture{t: t, db: db, box: box, clock: fakeoutlook.NewClock(time.Now().UTC()), fake: fake, srv: srv,
		app: OAuthApp{ClientID: fakeoutlook.DemoClientID, ClientSecret: fakeoutlook.DemoClientSecret,
			Tenant: "organizations", LoginURL: login, RedirectURL: "http://127.0.0.1/oauth2/outlook/callback"}}
	f.conns = f.newConns()
	return f
}

// newConns is another store on the same database, as another app instance would have.
func (f *connFixture) newConns() *Connections {
	c := NewConnections(f.db, f.box, f.clock.Now)
	c.SetSleep(func(ctx context.Context, d time.Duration) error { f.waits = append(f.waits, d); return ctx.Err() })
	return c
}

func (f *connFixture) addUser(email string) int64 {
	f.t.Helper()
	now := time.Now().UTC()
	if err := f.db.Exec("INSERT INTO users (email, name, password_hash, is_admin, time_zone, created_at, updated_at) VALUES (?, ?, '', ?, 'UTC', ?, ?)",
		email, email, false, now, now).Error; err != nil {
		f.t.Fatal(err)
	}
	var id int64
	if err := f.db.Raw("SELECT id FROM users WHERE email = ?", email).Scan(&id).Error; err != nil {
		f.t.Fatal(err)
	}
	return id
}

// signIn gets a token pair for a mailbox from the fake (password grant).
func (f *connFixture) signIn(email string) *oauth2.Token {
	f.t.Helper()
	tok, err := f.app.Config().PasswordCredentialsToken(f.t.Context(), email, "pw")
	if err != nil {
		f.t.Fatal(err)
	}
	return tok
}

func (f *connFixture) account(email string) Account {
	for _, m := range f.fake.Mailboxes() {
		if m.Email == email {
			return Account{ID: m.ID, Mail: m.Email, UserPrincipalName: m.Email, DisplayName: m.Name}
		}
	}
	f.t.Fatalf("no mailbox %s", email)
	return Account{}
}

// connect links a user to a mailbox with a fresh token pair.
func (f *connFixture) connect(userID int64, email string) *oauth2.Token {
	f.t.Helper()
	tok := f.signIn(email)
	if err := f.conns.Connect(f.t.Context(), userID, f.account(email), fakeoutlook.DemoTenantID, tok); err != nil {
		f.t.Fatal(err)
	}
	return tok
}

func (f *connFixture) row(userID int64) connectionRow {
	f.t.Helper()
	row, err := f.conns.row(f.t.Context(), f.db, userID)
	if err != nil {
		f.t.Fatal(err)
	}
	return row
}

func TestConnectSealsTokensAndLinksEachAccountToOneUser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newConnFixture(t, db)
		ctx := t.Context()
		anna, bob := f.addUser("anna@example.com"), f.addUser("bob@example.com")
		var dropped []int64
		var changed []bool
		f.conns.OnDisconnect = func(_ context.Context, uid int64, mailboxChanged bool) error {
			dropped, changed = append(dropped, uid), append(changed, mailboxChanged)
			return nil
		}

		tok := f.connect(anna, "anna@contoso.example")
		row := f.row(anna)
		for _, secret := range []string{tok.AccessToken, tok.RefreshToken} {
			if strings.Contains(row.AccessToken, secret) || strings.Contains(row.RefreshToken, secret) || secret == "" {
				t.Fatal("a token is stored in the clear")
			}
		}
		got, err := f.conns.Get(ctx, anna)
		if err != nil || got.State != StateConnected || got.Account.Mail != "anna@contoso.example" || got.TenantID != fakeoutlook.DemoTenantID {
			t.Fatalf("Get after connect: %+v, %v", got, err)
		}

		// Bob cannot link Anna's mailbox, and nothing is stored for him.
		if err := f.conns.Connect(ctx, bob, f.account("anna@contoso.example"), fakeoutlook.DemoTenantID, f.signIn("anna@contoso.example")); !errors.Is(err, ErrAccountTaken) {
			t.Errorf("linking a taken account: %v, want ErrAccountTaken", err)
		}
		if _, err := f.conns.Get(ctx, bob); !errors.Is(err, ErrNotConnected) {
			t.Errorf("bob after the refused link: %v, want ErrNotConnected", err)
		}

		// Reconnecting the same mailbox keeps the sync state; another mailbox drops it.
		if err := f.conns.SetDeltaLink(ctx, anna, "https://graph.example/delta?$deltatoken=1"); err != nil {
			t.Fatal(err)
		}
		f.connect(anna, "anna@contoso.example")
		if got, _ := f.conns.Get(ctx, anna); got.DeltaLink == "" || len(dropped) != 0 {
			t.Errorf("reconnecting the same mailbox lost the delta link (%q) or dropped state %v", got.DeltaLink, dropped)
		}
		f.connect(anna, "anna.private@contoso.example")
		if got, _ := f.conns.Get(ctx, anna); got.DeltaLink != "" || got.Account.Mail != "anna.private@contoso.example" || len(dropped) != 1 {
			t.Errorf("linking another mailbox: %+v, dropped %v", got, dropped)
		}

		if err := f.conns.Disconnect(ctx, anna); err != nil {
			t.Fatal(err)
		}
		if _, err := f.conns.Get(ctx, anna); !errors.Is(err, ErrNotConnected) {
			t.Errorf("after disconnect: %v", err)
		}
		if len(dropped) != 2 || dropped[1] != anna || !changed[0] || changed[1] {
			t.Errorf("sync state dropped for %v (mailbox changed %v); want the new mailbox, then the disconnect", dropped, changed)
		}
		// The mailbox is free again.
		f.connect(bob, "anna@contoso.example")
	})
}

func TestListPutsFailingConnectionsFirst(t *testing.T) {
	f := newConnFixture(t, dbtest.SQLite(t))
	ctx := t.Context()
	ok, broken, failing := f.addUser("ok@example.com"), f.addUser("broken@example.com"), f.addUser("failing@example.com")
	f.connect(broken, "broken@contoso.example")
	f.clock.Advance(time.Second)
	f.connect(failing, "failing@contoso.example")
	f.clock.Advance(time.Second)
	f.connect(ok, "ok@contoso.example")
	f.clock.Advance(time.Second)
	if err := f.conns.MarkNeedsReconnect(ctx, broken, "revoked"); err != nil {
		t.Fatal(err)
	}
	if err := f.conns.RecordSync(ctx, failing, f.clock.Now(), errors.New("Outlook said 500")); err != nil {
		t.Fatal(err)
	}
	if err := f.conns.RecordSync(ctx, ok, f.clock.Now(), nil); err != nil {
		t.Fatal(err)
	}
	list, err := f.conns.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var order []int64
	for _, c := range list {
		order = append(order, c.UserID)
	}
	if len(order) != 3 || order[0] != broken || order[1] != failing || order[2] != ok {
		t.Errorf("list order %v, want needs_reconnect %d, failing %d, then fine %d", order, broken, failing, ok)
	}
	connected, err := f.conns.Connected(ctx)
	if err != nil || len(connected) != 2 {
		t.Errorf("connected: %d, %v; want the two that are not needs_reconnect", len(connected), err)
	}
}
