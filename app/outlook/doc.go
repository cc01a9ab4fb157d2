// Package outlook is the web app's side of Connect to Outlook and the sync: the wiring
// (Outlook: the connection store, the sign-ins under way, the site's app registration, the
// Graph adapter main passes in, the scheduler's targets, the panel on My Calendar), the
// OAuth2 sign-in pages (PKCE, a state bound to the session), the Outlook JSON API, the sync
// with its scheduler, sync page and Prometheus metrics (Sync). It never imports the Graph
// SDK: main passes the adapter's constructor in, so this package and its tests never build it.
package outlook

import ()
