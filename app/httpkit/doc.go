// Package httpkit is the web app's small HTTP toolkit, shared by every audience's handlers:
// the error type with a status, a code and a message safe to show, and the mapping of the
// calendar's errors onto it (Classify); the middleware that needs nothing of the app (body
// limit, security headers); strict JSON decoding; request parameters such as PathID; and
// what the event API and the event pages share about an edit (WallInput, RuleInput,
// ChangeAdjustments). It imports the calendar and Echo, nothing of the app.
package httpkit
