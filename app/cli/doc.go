// Package cli is the program's subcommands (serve, migrate, user, token, property, version)
// as main calls them, with the streams and environment of the process in Stdio. It sits
// above app, as main does: it opens the database, builds the app with app.New and serves it,
// or changes accounts, tokens and System Properties through the app's stores, audited as
// "command line".
package cli
