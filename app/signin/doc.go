// Package signin is Sign in with Microsoft: people sign in with their work account through
// the site's app registration (the System Properties Connect to Outlook uses), by OpenID
// Connect's authorization code flow with PKCE.
//
// GET /login/microsoft starts a sign-in: a state and a nonce, random and used once, bound to
// a cookie of the browser that started it, are kept ten minutes (signin_states, the PKCE
// verifier sealed). Microsoft sends the browser back to /oauth2/signin/callback, which
// redeems the code and validates the ID token with go-oidc (signature through the tenant's
// published keys, issuer, audience, expiry) and checks its nonce and tenant. The person is
// found by the account's immutable object id within its tenant (oid with tid, in
// user_identities), at the first sign-in by e-mail address to an existing account, or else
// given a new account (unless the Control Panel turned that off). A disabled account does
// not sign in. Every refusal ends on a page that says why, with nothing stored.
//
// See docs/accounts.md and docs/outlook-setup.md.
package signin
