package graph

import (
	"context"
	"fmt"
	"strings"

	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
)

// Calendar is one of a mailbox's calendars.
type Calendar struct {
	ID        string
	Name      string
	IsDefault bool
}

// Calendars lists the mailbox's calendars (user-list-calendars.md), following every page.
func (c *Client) Calendars(ctx context.Context) ([]Calendar, error) {
	release, err := c.acquire(ctx, 1)
	if err != nil {
		return nil, err
	}
	defer release()
	resp, err := c.me.Calendars().Get(ctx, &users.ItemCalendarsRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemCalendarsRequestBuilderGetQueryParameters{Select: []string{"id", "name", "isDefaultCalendar"}},
	})
	if err != nil {
		return nil, mapError("list calendars", err)
	}
	var out []Calendar
	for {
		for _, cal := range resp.GetValue() {
			out = append(out, Calendar{ID: deref(cal.GetId()), Name: deref(cal.GetName()), IsDefault: deref(cal.GetIsDefaultCalendar())})
		}
		next := resp.GetOdataNextLink()
		if next == nil || *next == "" {
			return out, nil
		}
		if resp, err = c.me.Calendars().WithUrl(*next).Get(ctx, nil); err != nil {
			return nil, mapError("list calendars", err)
		}
	}
}

// EnsureCalendar returns the id of the mailbox's calendar named name (compared as Outlook
// compares folder names, ignoring case), creating it when there is none (user-post-calendars.md).
func (c *Client) EnsureCalendar(ctx context.Context, name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", fmt.Errorf("graph: a calendar needs a name")
	}
	cals, err := c.Calendars(ctx)
	if err != nil {
		return "", err
	}
	for _, cal := range cals {
		if strings.EqualFold(cal.Name, name) {
			return cal.ID, nil
		}
	}
	release, err := c.acquire(ctx, 1)
	if err != nil {
		return "", err
	}
	defer release()
	body := models.NewCalendar()
	body.SetName(&name)
	created, err := c.me.Calendars().Post(ctx, body, nil)
	if err != nil {
		return "", mapError("create calendar", err)
	}
	return deref(created.GetId()), nil
}

// RenameCalendar gives one of the mailbox's calendars another name (calendar-update.md).
func (c *Client) RenameCalendar(ctx context.Context, id, name string) error {
	release, err := c.acquire(ctx, 1)
	if err != nil {
		return err
	}
	defer release()
	body := models.NewCalendar()
	body.SetName(&name)
	if _, err := c.me.Calendars().ByCalendarId(id).Patch(ctx, body, nil); err != nil {
		return mapError("rename calendar", err)
	}
	return nil
}

// DeleteCalendar deletes one of the mailbox's calendars and the events in it
// (calendar-delete.md).
func (c *Client) DeleteCalendar(ctx context.Context, id string) error {
	release, err := c.acquire(ctx, 1)
	if err != nil {
		return err
	}
	defer release()
	if err := c.me.Calendars().ByCalendarId(id).Delete(ctx, nil); err != nil {
		return mapError("delete calendar", err)
	}
	return nil
}
