package outlook

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"intracal/app/accounts"
	"intracal/app/properties"
	"intracal/app/view"
	"intracal/outlooksync"
)

// message ends a Connect attempt on a page that says what happened and what to do.
// Nothing of the attempt is stored when it ends here.
func (h *Pages) message(c echo.Context, status int, heading, message string) error {
	return h.pages.Render(c, status, "error.html", view.MessagePage{
		Page: h.view.Page(c, heading), Heading: heading, Message: message,
	})
}

// notSetUpMessage tells an employee (or an administrator) what must happen before anyone can
// connect.
func notSetUpMessage(s properties.OutlookSettings, v accounts.Viewer) string {
	who := "Ask your site administrator to "
	if v.IsAdmin {
		who = "As an administrator, "
	}
	return who + strings.Join(s.Missing(), "; then ") + ". The guide for administrators is docs/outlook-setup.md."
}

// Connect is GET /outlook/connect: it sends the user to Microsoft's sign-in with PKCE
// and a state bound to their session. Scripts may call it with a personal API token.
func (h *Pages) Connect(c echo.Context) error {
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	settings, err := h.o.props.OutlookSettings(ctx)
	if err != nil {
		return err
	}
	if !settings.Ready() {
		return h.message(c, http.StatusServiceUnavailable, "Outlook calendar sync is not set up yet",
			"You cannot connect My Calendar to Outlook until this site is set up for it. "+notSetUpMessage(settings, v))
	}
	if h.o.newGraph == nil {
		return errNoGraph
	}
	tenant, hint, err := h.o.signInHint(ctx, settings, v)
	if err != nil {
		return err
	}
	state, verifier, err := h.o.states.create(ctx, v.UserID, bindingOf(c), tenant)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusFound, h.o.oauthApp(settings, tenant).AuthCodeURL(state, verifier, hint))
}

// Callback is GET /oauth2/outlook/callback: it checks the state, redeems the code,
// reads the mailbox's identity and stores the connection. Every failure ends on a page that
// says what happened, and stores nothing.
func (h *Pages) Callback(c echo.Context) error {
	ctx := c.Request().Context()
	v := accounts.CurrentViewer(c)
	q := c.QueryParams()
	const again = " Nothing was connected. Start again with Connect to Outlook on My Calendar."

	row, verifier, err := h.o.states.consume(ctx, q.Get("state"))
	switch {
	case errors.Is(err, errStateUsed):
		return h.message(c, http.StatusBadRequest, "This sign-in was used already",
			"The answer from Microsoft was opened a second time, for example by going back or reloading the page."+again)
	case errors.Is(err, errStateExpired):
		return h.message(c, http.StatusBadRequest, "This sign-in has expired",
			"More than ten minutes passed between Connect to Outlook and the answer from Microsoft."+again)
	case errors.Is(err, errStateUnknown):
		return h.message(c, http.StatusBadRequest, "This sign-in is not one we started",
			"The answer from Microsoft does not match a Connect to Outlook started on this site; it may have been changed on the way."+again)
	case err != nil:
		return err
	}
	if row.UserID != v.UserID || row.Binding != bindingOf(c) {
		h.o.log.Warn("outlook callback from another session than the one that started it", "user", v.UserID, "started_by", row.UserID)
		return h.message(c, http.StatusForbidden, "This sign-in was started elsewhere",
			"The answer from Microsoft belongs to a Connect to Outlook started by another person or in another browser session."+again)
	}

	if code := q.Get("error"); code != "" {
		return h.refused(c, code, q.Get("error_description"), again)
	}
	code := q.Get("code")
	if code == "" {
		return h.message(c, http.StatusBadRequest, "Microsoft sent no sign-in code", "The answer from Microsoft was incomplete."+again)
	}

	settings, err := h.o.props.OutlookSettings(ctx)
	if err != nil {
		return err
	}
	if !settings.Ready() {
		return h.message(c, http.StatusServiceUnavailable, "Outlook calendar sync is not set up",
			"The site's Outlook settings changed during your sign-in. "+notSetUpMessage(settings, v))
	}
	oauthApp := h.o.oauthApp(settings, row.Tenant)
	tok, err := oauthApp.Exchange(ctx, h.o.http, code, verifier)
	if err != nil {
		return h.exchangeFailed(c, err, again)
	}
	if isTenantID(row.Tenant) {
		if tid := outlooksync.TokenTenant(tok); tid != "" && tid != strings.ToLower(row.Tenant) {
			return h.message(c, http.StatusForbidden, "That account belongs to another organization",
				"You signed in with an account of another Microsoft 365 organization (tenant) than the one this site is set up for. Sign in with your work account of this organization."+again)
		}
	}
	acct, err := h.o.connectWithToken(ctx, v.UserID, tok, row.Tenant)
	var unreadable *errMailboxUnreadable
	switch {
	case errors.As(err, &unreadable):
		return h.message(c, http.StatusBadGateway, "Your Outlook account could not be read",
			"Microsoft signed you in, but reading your mailbox's profile failed. Try again in a few minutes; if it keeps failing, tell your site administrator."+again)
	case errors.Is(err, outlooksync.ErrAccountTaken):
		return h.message(c, http.StatusConflict, "This Outlook account is connected to someone else",
			"The Outlook account "+acct.Label()+" is already connected to another person's My Calendar on this site. Each Outlook account can be connected to one person only."+again)
	case err != nil:
		return err
	}
	h.view.Flash.Set(c, "My Calendar is now connected to Outlook ("+acct.Label()+").")
	return c.Redirect(http.StatusSeeOther, "/calendar")
}

// refused explains an error that Microsoft sent back instead of a code.
func (h *Pages) refused(c echo.Context, code, description, again string) error {
	aadsts := outlooksync.AADSTS(description)
	switch {
	case outlooksync.WrongTenant(code, aadsts):
		return h.message(c, http.StatusForbidden, "That account belongs to another organization",
			"Microsoft did not let this account use the site's app: the account or the app belongs to another Microsoft 365 organization (tenant) than the one signed in to. Sign in with your work account; if you did, your administrator must check SAMLTenantID and UseSAMLtenantIDForOutlook."+again)
	case aadsts == "65001" || aadsts == "90094" || aadsts == "90095":
		return h.message(c, http.StatusForbidden, "An administrator must approve the app first",
			"Your organization lets only administrators grant this app access to calendars. Ask your Microsoft 365 administrator to grant admin consent for the app (see docs/outlook-setup.md)."+again)
	case code == "access_denied" || code == "consent_required":
		return h.message(c, http.StatusForbidden, "You did not allow access to your calendar",
			"My Calendar can sync with Outlook only if you allow it to read and write your calendar. If you change your mind, click Connect to Outlook again."+again)
	}
	msg := "Microsoft could not sign you in (" + code
	if aadsts != "" {
		msg += ", AADSTS" + aadsts
	}
	return h.message(c, http.StatusBadGateway, "Microsoft could not sign you in", msg+")."+again)
}

// exchangeFailed explains why redeeming the code failed.
func (h *Pages) exchangeFailed(c echo.Context, err error, again string) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		switch re.ErrorCode {
		case "invalid_grant":
			return h.message(c, http.StatusBadRequest, "This sign-in code cannot be used",
				"Microsoft refused the sign-in code: it was used already or has expired."+again)
		case "invalid_client", "unauthorized_client":
			h.o.log.Error("outlook: Microsoft refused the site's app credentials", "error", re.ErrorCode)
			return h.message(c, http.StatusBadGateway, "The site's Outlook app was refused",
				"Microsoft refused the site's app registration. Ask your site administrator to check OutlookApiClientID and OutlookApiClientSecret in System Properties (the secret may have expired)."+again)
		}
	}
	h.o.log.Warn("outlook: redeeming the sign-in code failed", "err", err)
	return h.message(c, http.StatusBadGateway, "Microsoft could not complete the sign-in",
		"The site could not finish the sign-in with Microsoft. Try again in a few minutes."+again)
}

func isTenantID(t string) bool { return properties.IsGUID(t) }
