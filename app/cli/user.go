package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"intracal/app"
	"intracal/app/accounts"
)

// RunUser is `calendar user add --email E --name N [--admin] [--password-file F] [--time-zone Z]`.
// The password comes from the file, else from standard input when that is not a terminal,
// else it is generated and printed once.
func RunUser(ctx context.Context, s Stdio, args []string) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("%w: calendar user add --email E --name N [--admin] [--password-file F]", ErrUsage)
	}
	fs := newFlags("user add", s)
	email := fs.String("email", "", "e-mail address (required)")
	name := fs.String("name", "", "display name (required)")
	admin := fs.Bool("admin", false, "make the user a site administrator")
	pwFile := fs.String("password-file", "", "read the password from this file")
	zone := fs.String("time-zone", "UTC", "IANA time zone of the user's profile")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *email == "" || *name == "" {
		return fmt.Errorf("%w: --email and --name are required", ErrUsage)
	}
	password, generated, err := readPassword(s.In, *pwFile)
	if err != nil {
		return err
	}
	return withApp(ctx, s, func(a *app.App) error {
		u, err := a.Users().Create(ctx, accounts.NewUser{Email: *email, Name: *name, Password: password, IsAdmin: *admin, TimeZone: *zone})
		if err != nil {
			return describe(err)
		}
		role := "member"
		if u.IsAdmin {
			role = "administrator"
		}
		fmt.Fprintf(s.Err, "Created %s %s (%s), id %d.\n", role, u.Email, u.Name, u.ID)
		if generated {
			fmt.Fprintf(s.Out, "Password for %s: %s\n", u.Email, password)
		}
		return nil
	})
}

// readPassword takes the password from a file, from piped standard input, or generates one.
func readPassword(in io.Reader, file string) (password string, generated bool, err error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return "", false, fmt.Errorf("--password-file: %w", err)
		}
		return strings.TrimRight(string(b), "\r\n"), false, nil
	}
	if in != nil && !isTerminal(in) {
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", false, fmt.Errorf("read password from standard input: %w", err)
		}
		if pw := strings.TrimRight(line, "\r\n"); pw != "" {
			return pw, false, nil
		}
	}
	return accounts.RandomToken()[:20], true, nil
}

// isTerminal reports whether r is an interactive terminal (a character device).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
