// Package properties is the System Properties: the site-wide settings of Control Panel >
// System, the switch of General Settings and the key/value properties that the Outlook sync
// reads, with their audit. The Control Panel pages, the admin API and `calendar property` all
// go through Store, so validation, the write-only secret and the audit are the same whichever
// way a change arrives.
package properties
