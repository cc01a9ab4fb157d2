package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"intracal/app"
	"intracal/app/accounts"
	"intracal/app/properties"
)

const propertyUsage = "calendar property list [QUERY] | get NAME | set NAME VALUE (VALUE - reads it from standard input)"

// RunProperty is `calendar property list [QUERY] | get NAME | set NAME VALUE`: the System
// Properties for deployment scripts. Changes are audited as made by "command line"; the
// secret is write-only here as everywhere (get prints only whether it is set).
func RunProperty(ctx context.Context, s Stdio, args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("%w: %s", ErrUsage, propertyUsage)
	}
	sub, rest := args[0], args[1:]
	switch {
	case sub == "list" && len(rest) <= 1:
		query := ""
		if len(rest) == 1 {
			query = rest[0]
		}
		return withApp(ctx, s, func(a *app.App) error {
			list, err := a.Properties().List(ctx, query)
			if err != nil {
				return err
			}
			return printProperties(s.Out, list)
		})
	case sub == "get" && len(rest) == 1:
		return withApp(ctx, s, func(a *app.App) error {
			p, err := a.Properties().Get(ctx, rest[0])
			if err != nil {
				return describe(err)
			}
			if p.IsSecret() {
				fmt.Fprintln(s.Out, secretState(p))
				return nil
			}
			fmt.Fprintln(s.Out, p.Value)
			return nil
		})
	case sub == "set" && len(rest) == 2:
		value := rest[1]
		if value == "-" {
			v, err := readValue(s.In)
			if err != nil {
				return err
			}
			value = v
		}
		return withApp(ctx, s, func(a *app.App) error {
			if err := a.Properties().Set(ctx, accounts.Viewer{}, rest[0], value); err != nil {
				return describe(err)
			}
			p, err := a.Properties().Get(ctx, rest[0])
			if err != nil {
				return err
			}
			if p.IsSecret() {
				fmt.Fprintf(s.Err, "%s: %s.\n", p.Name, secretState(p))
			} else {
				fmt.Fprintf(s.Err, "%s = %s\n", p.Name, p.Value)
			}
			return nil
		})
	}
	return fmt.Errorf("%w: %s", ErrUsage, propertyUsage)
}

// printProperties writes the list as a table; a secret shows only whether it is set.
func printProperties(w io.Writer, list []properties.View) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tVALUE\tUPDATED")
	for _, p := range list {
		value := p.Value
		if p.IsSecret() {
			value = "(" + secretState(p) + ")"
		} else if !p.Set {
			value += " (default)"
		}
		updated := "-"
		if p.UpdatedAt != nil {
			updated = p.UpdatedAt.UTC().Format(time.RFC3339) + " by " + p.UpdatedBy
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", p.Name, value, updated)
	}
	return tw.Flush()
}

func secretState(p properties.View) string {
	if !p.Set {
		return "not set"
	}
	if p.UpdatedAt != nil {
		return "set " + p.UpdatedAt.UTC().Format(time.RFC3339)
	}
	return "set"
}

// readValue reads one line from standard input, so a secret need not appear in the process
// list or the shell history.
func readValue(in io.Reader) (string, error) {
	if in == nil {
		return "", errors.New("no standard input to read the value from")
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the value from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
