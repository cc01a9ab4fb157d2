// Package graph implements outlooksync.Graph with Microsoft's Graph SDK for Go: the only
// package of the program that imports it.
//
// It imports only the SDK's users and models packages and msgraph-sdk-go-core, never the
// SDK's root package, whose generated service client alone doubles a cold build. Without the
// root package two things it would do must be done here: the JSON and text serializers are
// registered in kiota's default registries, and the request adapter gets the Graph base URL
// and the core's middleware (URL rewriting of /users/me-token-to-replace to /me, retries that
// honour Retry-After, compression).
//
// A Client works for one mailbox, with that mailbox's token source. Every request it sends
// carries Prefer: IdType="ImmutableId", so ids survive moves between folders; at most four
// requests for the mailbox are at Outlook at once (a $batch counts as the number of its
// requests that Graph runs in parallel). The base URL, the token source and the HTTP client
// come from the caller, so tests and the demo point it at the fake Outlook.
package graph
