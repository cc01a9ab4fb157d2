package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"intracal/app"
	"intracal/app/accounts"
	"intracal/calendar"
)

const tokenUsage = "calendar token create --email E [--name N] [--expires-in-days D] | list [--user E|ID] | revoke ID"

// RunToken is `calendar token create|list|revoke`: an administrator's view of personal API
// tokens. Changes are audited as made by "command line".
func RunToken(ctx context.Context, s Stdio, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", ErrUsage, tokenUsage)
	}
	switch args[0] {
	case "create":
		return runTokenCreate(ctx, s, args[1:])
	case "list":
		return runTokenList(ctx, s, args[1:])
	case "revoke":
		return runTokenRevoke(ctx, s, args[1:])
	}
	return fmt.Errorf("%w: %s", ErrUsage, tokenUsage)
}

// runTokenCreate prints a new personal API token on one line of standard output and nothing
// else, so scripts can capture it.
func runTokenCreate(ctx context.Context, s Stdio, args []string) error {
	fs := newFlags("token create", s)
	email := fs.String("email", "", "e-mail address of the token's owner (required)")
	name := fs.String("name", "cli", "a name to recognise the token by")
	days := fs.Int("expires-in-days", 0, "days until the token expires (0: never)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *email == "" {
		return fmt.Errorf("%w: --email is required", ErrUsage)
	}
	if *days < 0 {
		return fmt.Errorf("%w: --expires-in-days must be 0 (never) or more", ErrUsage)
	}
	return withApp(ctx, s, func(a *app.App) error {
		u, err := a.Users().ByEmail(ctx, *email)
		if err != nil || u.DeletedAt != nil {
			return fmt.Errorf("no account with e-mail address %s", accounts.NormalizeEmail(*email))
		}
		token, _, err := a.Accounts().CreateToken(ctx, accounts.Viewer{}, u, *name, *days)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintln(s.Out, token)
		return nil
	})
}

// runTokenList prints every token, or one account's (--user: address or id), newest first:
// id, owner, name, prefix, created, last used and expiry; never a secret.
func runTokenList(ctx context.Context, s Stdio, args []string) error {
	fs := newFlags("token list", s)
	user := fs.String("user", "", "only the tokens of this account (e-mail address or id)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return withApp(ctx, s, func(a *app.App) error {
		var owner int64
		if *user != "" {
			u, err := liveUser(ctx, a, *user)
			if err != nil {
				return err
			}
			owner = u.ID
		}
		rows, err := a.Tokens().List(ctx, owner)
		if err != nil {
			return err
		}
		emails := map[int64]string{}
		for _, r := range rows {
			emails[r.UserID] = ""
		}
		ids := make([]int64, 0, len(emails))
		for id := range emails {
			ids = append(ids, id)
		}
		us, err := a.Users().ListByIDs(ctx, ids)
		if err != nil {
			return err
		}
		for _, u := range us {
			emails[u.ID] = u.Email
		}
		w := tabwriter.NewWriter(s.Out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tUSER\tNAME\tTOKEN\tCREATED\tLAST USED\tEXPIRES")
		now := time.Now().UTC()
		for _, r := range rows {
			expires := "never"
			if r.ExpiresAt != nil {
				expires = r.ExpiresAt.UTC().Format(time.RFC3339)
				if r.Expired(now) {
					expires += " (expired)"
				}
			}
			fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", r.ID, emails[r.UserID], oneLine(r.Name), r.Shown(),
				r.CreatedAt.UTC().Format(time.RFC3339), timeOrNever(r.LastUsedAt), expires)
		}
		return w.Flush()
	})
}

// runTokenRevoke revokes one token by the id that `token list` shows.
func runTokenRevoke(ctx context.Context, s Stdio, args []string) error {
	fs := newFlags("token revoke", s)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", ErrUsage, err)
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("%w: calendar token revoke ID (the id that token list shows)", ErrUsage)
	}
	id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil || id <= 0 {
		return fmt.Errorf("%w: %q is not a token id (token list shows them)", ErrUsage, fs.Arg(0))
	}
	return withApp(ctx, s, func(a *app.App) error {
		row, err := a.Tokens().ByID(ctx, id)
		if errors.Is(err, accounts.ErrNoToken) {
			return fmt.Errorf("there is no API token with id %d", id)
		}
		if err != nil {
			return err
		}
		if err := a.Accounts().RevokeToken(ctx, accounts.Viewer{}, row); err != nil {
			return err
		}
		fmt.Fprintf(s.Err, "Revoked API token %d (%s) of user %d.\n", row.ID, oneLine(row.Name), row.UserID)
		return nil
	})
}

// liveUser finds a live account by e-mail address or id.
func liveUser(ctx context.Context, a *app.App, ref string) (accounts.User, error) {
	var u accounts.User
	var err error
	if id, perr := strconv.ParseInt(ref, 10, 64); perr == nil {
		u, err = a.Accounts().Live(ctx, id)
	} else {
		u, err = a.Users().ByEmail(ctx, ref)
		if err == nil && u.DeletedAt != nil {
			err = calendar.ErrNotFound
		}
	}
	if errors.Is(err, calendar.ErrNotFound) {
		return accounts.User{}, fmt.Errorf("no account %s", strings.TrimSpace(ref))
	}
	return u, err
}

func timeOrNever(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}

// oneLine keeps a name that someone typed from breaking the table.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}
