package signin

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"golang.org/x/oauth2"

	"intracal/outlooksync"
)

// refusedByMicrosoft explains an error Microsoft sent back instead of a code.
func (h *Handlers) refusedByMicrosoft(c echo.Context, code, description string) error {
	aadsts := outlooksync.AADSTS(description)
	h.log.Info("microsoft sign-in: microsoft refused", "error", code, "aadsts", aadsts)
	switch {
	case outlooksync.WrongTenant(code, aadsts):
		return h.message(c, http.StatusForbidden, "That account belongs to another organization",
			"Microsoft did not let this account use the site's app: the account belongs to another Microsoft 365 organization (tenant) than this site's. Sign in with your work account of this organization."+again)
	case aadsts == "50057" || aadsts == "50053":
		return h.message(c, http.StatusForbidden, "Your Microsoft account cannot sign in",
			"Microsoft says your work account is disabled or locked. Ask your IT department."+again)
	case aadsts == "65001" || aadsts == "90094" || aadsts == "90095":
		return h.message(c, http.StatusForbidden, "An administrator must approve the app first",
			"Your organization lets only administrators allow this site's app. Ask your Microsoft 365 administrator to grant admin consent for it (docs/outlook-setup.md)."+again)
	case code == "access_denied" || code == "consent_required":
		return h.message(c, http.StatusForbidden, "You cancelled the sign-in",
			"Microsoft says you cancelled the sign-in or did not allow the site to read your profile."+again)
	}
	msg := "Microsoft could not sign you in (" + code
	if aadsts != "" {
		msg += ", AADSTS" + aadsts
	}
	return h.message(c, http.StatusBadGateway, "Microsoft could not sign you in", msg+")."+again)
}

// exchangeFailed explains why redeeming the code failed.
func (h *Handlers) exchangeFailed(c echo.Context, err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		switch re.ErrorCode {
		case "invalid_grant":
			return h.message(c, http.StatusBadRequest, "This sign-in code cannot be used",
				"Microsoft refused the sign-in code: it was used already or has expired."+again)
		case "invalid_client", "unauthorized_client":
			h.log.Error("microsoft sign-in: Microsoft refused the site's app credentials", "error", re.ErrorCode)
			return h.message(c, http.StatusBadGateway, "The site's app was refused",
				"Microsoft refused the site's app registration. Ask a site administrator to check OutlookApiClientID and OutlookApiClientSecret (the secret may have expired)."+again)
		}
	}
	h.log.Warn("microsoft sign-in: redeeming the code failed", "err", err)
	return h.message(c, http.StatusBadGateway, "Microsoft could not complete the sign-in",
		"The site could not finish the sign-in with Microsoft. Try again in a few minutes."+again)
}
