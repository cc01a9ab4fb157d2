// Command calendar is the intranet calendar: My Calendar with repeating events, RSVPs and
// invitations, kept in step with Outlook. Run `calendar help` for the subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/oauth2"

	"intracal/app"
	"intracal/app/cli"
	"intracal/outlooksync"
	"intracal/outlooksync/contacts"
	"intracal/outlooksync/fakeoutlook"
	"intracal/outlooksync/graph"
	"intracal/outlooksync/publish"
)

const usage = `usage: calendar <command> [flags]

commands:
  serve [--demo] [--addr A] [--db D]   run the web app (SQLite is migrated automatically)
  migrate                              apply pending database migrations
  user add --email E --name N [--admin] [--password-file F] [--time-zone Z]
                                       create an account (password from F, piped stdin, or generated)
  token create --email E [--name N] [--expires-in-days D]
                                       print a new personal API token
  token list [--user E|ID]             list API tokens (never their secrets)
  token revoke ID                      revoke an API token
  property list [Q] | get N | set N V  read or change System Properties (V "-": from stdin)
  fakeoutlook [--addr A] [--demo-users a@x,b@y] [--demo] [--state F]
                                       run the fake Outlook (identity platform, Graph and
                                       its Outlook pages at /outlook/; --state keeps it in F)
  version                              print the version

Configuration comes from CALENDAR_* environment variables; see README.md.
`

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	level := new(slog.LevelVar)
	std := cli.Stdio{
		In:       os.Stdin,
		Out:      os.Stdout,
		Err:      os.Stderr,
		Env:      os.LookupEnv,
		Log:      slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level})),
		LogLevel: level,
	}

	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "serve":
		err = cli.RunServeWith(app.WithGraph(newGraph), app.WithAppMailbox(newAppMailbox), app.WithContactMailbox(newContactMailbox))(ctx, std, rest)
	case "migrate":
		err = cli.RunMigrate(ctx, std, rest)
	case "user":
		err = cli.RunUser(ctx, std, rest)
	case "token":
		err = cli.RunToken(ctx, std, rest)
	case "property":
		err = cli.RunProperty(ctx, std, rest)
	case "fakeoutlook":
		err = fakeoutlook.Main(ctx, rest, os.Stdout)
	case "version":
		fmt.Println(cli.Version())
	case "help", "-h", "-help", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "calendar: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "calendar %s: %v\n", cmd, err)
		if errors.Is(err, cli.ErrUsage) {
			return 2
		}
		return 1
	}
	return 0
}

// newGraph is the Graph client of one mailbox. Only main imports the adapter (and with it the
// Graph SDK), so the web app and its tests build without it.
func newGraph(baseURL string, ts oauth2.TokenSource, hc *http.Client) (outlooksync.Graph, error) {
	return graph.New(baseURL, ts, hc, graph.Options{})
}

// newAppMailbox is the client of a member's mailbox reached by the app signed in as itself,
// for publishing spaces. A Retry-After longer than a few seconds is not waited for: the
// publisher moves on to other mailboxes and comes back to this one then.
func newAppMailbox(baseURL string, ts oauth2.TokenSource, hc *http.Client, address string) (publish.Mailbox, error) {
	return graph.NewForUser(baseURL, ts, hc, graph.Options{MaxRetryWait: 10 * time.Second}, address)
}

// newContactMailbox is the client of a mailbox's contacts reached by the app signed in as
// itself, for contact lists.
func newContactMailbox(baseURL string, ts oauth2.TokenSource, hc *http.Client, address string) (contacts.Mailbox, error) {
	return graph.NewForUser(baseURL, ts, hc, graph.Options{MaxRetryWait: 10 * time.Second}, address)
}
