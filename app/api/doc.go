// Package api is the JSON API of the web app (docs/api.md): the events and their occurrence
// listing (Events), spaces and their members (Spaces), a space's publication into its
// members' Outlook (SpaceOutlook), the caller's personal API tokens (Tokens), the admin API
// of System Properties and audits (Admin), and who the caller is (Me). Each handler struct
// holds only the stores it uses and is built by app's route table, which also applies the
// permissions.
// The JSON shapes and the request parameters that are the API's own (scope, instants,
// listing bounds) live here; what the pages share with it comes from httpkit.
package api
