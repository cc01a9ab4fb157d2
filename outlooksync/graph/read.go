package graph

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"intracal/outlooksync"
)

// Me reads the signed-in mailbox's identity.
func (c *Client) Me(ctx context.Context) (outlooksync.Account, error) {
	release, err := c.acquire(ctx, 1)
	if err != nil {
		return outlooksync.Account{}, err
	}
	defer release()
	u, err := c.me.Get(ctx, &users.UserItemRequestBuilderGetRequestConfiguration{
		Headers:         headers(),
		QueryParameters: &users.UserItemRequestBuilderGetQueryParameters{Select: []string{"id", "mail", "userPrincipalName", "displayName"}},
	})
	if err != nil {
		return outlooksync.Account{}, mapError("me", err)
	}
	return outlooksync.Account{
		ID:                deref(u.GetId()),
		Mail:              strings.ToLower(deref(u.GetMail())),
		UserPrincipalName: strings.ToLower(deref(u.GetUserPrincipalName())),
		DisplayName:       deref(u.GetDisplayName()),
	}, nil
}

// Delta reads calendarView changes; see outlooksync.Graph.
func (c *Client) Delta(ctx context.Context, deltaLink string, w outlooksync.Window, progress func(items int)) (outlooksync.DeltaResult, error) {
	builder := c.me.CalendarView().Delta()
	cfg := &users.ItemCalendarViewDeltaRequestBuilderGetRequestConfiguration{Headers: c.pageHeaders()}
	if deltaLink != "" {
		builder = builder.WithUrl(deltaLink)
	} else {
		if !w.To.After(w.From) {
			return outlooksync.DeltaResult{}, fmt.Errorf("graph delta: empty window %s..%s", w.From, w.To)
		}
		from, to := w.From.UTC().Format(time.RFC3339), w.To.UTC().Format(time.RFC3339)
		cfg.QueryParameters = &users.ItemCalendarViewDeltaRequestBuilderGetQueryParameters{StartDateTime: &from, EndDateTime: &to}
	}
	var res outlooksync.DeltaResult
	for {
		if res.Pages >= c.opts.MaxDeltaPages {
			return outlooksync.DeltaResult{}, fmt.Errorf("%w: delta did not end after %d pages", outlooksync.ErrResyncNeeded, res.Pages)
		}
		page, err := c.deltaPage(ctx, builder, cfg)
		if err != nil {
			return outlooksync.DeltaResult{}, mapError("delta", err)
		}
		res.Pages++
		for _, ev := range page.GetValue() {
			res.Items = append(res.Items, c.remoteEvent(ev))
		}
		if progress != nil {
			progress(len(res.Items))
		}
		if link := deref(page.GetOdataDeltaLink()); link != "" {
			res.DeltaLink = link
			return res, nil
		}
		next := deref(page.GetOdataNextLink())
		if next == "" {
			return outlooksync.DeltaResult{}, fmt.Errorf("graph delta: page %d has neither a next link nor a delta link", res.Pages)
		}
		// Next links carry the window and the state; they are followed verbatim.
		builder = builder.WithUrl(next)
		cfg = &users.ItemCalendarViewDeltaRequestBuilderGetRequestConfiguration{Headers: c.pageHeaders()}
	}
}

func (c *Client) deltaPage(ctx context.Context, b *users.ItemCalendarViewDeltaRequestBuilder,
	cfg *users.ItemCalendarViewDeltaRequestBuilderGetRequestConfiguration) (users.ItemCalendarViewDeltaGetResponseable, error) {
	release, err := c.acquire(ctx, 1)
	if err != nil {
		return nil, err
	}
	defer release()
	return b.GetAsDeltaGetResponse(ctx, cfg)
}

// pageHeaders asks for pages of the configured size.
func (c *Client) pageHeaders() *abs.RequestHeaders {
	return headers("odata.maxpagesize=" + strconv.Itoa(c.opts.PageSize))
}

// eventSelect is every property the sync reads, with cancelledOccurrences, which Graph
// returns only when it is selected.
func eventSelect() []string {
	return []string{"id", "type", "seriesMasterId", "changeKey", "iCalUId", "subject", "body", "location",
		"start", "end", "originalStartTimeZone", "originalEndTimeZone", "isAllDay", "originalStart", "sensitivity",
		"categories", "isReminderOn", "reminderMinutesBeforeStart",
		"recurrence", "isCancelled", "isOrganizer", "organizer", "responseStatus", "attendees",
		"createdDateTime", "lastModifiedDateTime", "cancelledOccurrences"}
}

// markerExpand asks for our marker property with the event.
func markerExpand() []string {
	return []string{"singleValueExtendedProperties($filter=id eq '" + MarkerPropertyID + "')"}
}

// Event reads one event with its recurrence, its cancelled occurrences and our marker.
func (c *Client) Event(ctx context.Context, id string) (outlooksync.RemoteEvent, error) {
	release, err := c.acquire(ctx, 1)
	if err != nil {
		return outlooksync.RemoteEvent{}, err
	}
	defer release()
	if c.calendar != "" {
		return c.calendarEvent(ctx, id)
	}
	ev, err := c.me.Events().ByEventId(id).Get(ctx, &users.ItemEventsEventItemRequestBuilderGetRequestConfiguration{
		Headers: headers(),
		QueryParameters: &users.ItemEventsEventItemRequestBuilderGetQueryParameters{
			Select: eventSelect(), Expand: markerExpand(),
		},
	})
	if err != nil {
		return outlooksync.RemoteEvent{}, mapError("event", err)
	}
	return c.remoteEvent(ev), nil
}

// Instances lists the occurrences and exceptions of a series master in the window, following
// next links.
func (c *Client) Instances(ctx context.Context, masterID string, w outlooksync.Window) ([]outlooksync.RemoteEvent, error) {
	if c.calendar != "" {
		return c.calendarInstances(ctx, masterID, w)
	}
	from, to := w.From.UTC().Format(time.RFC3339), w.To.UTC().Format(time.RFC3339)
	builder := c.me.Events().ByEventId(masterID).Instances()
	cfg := &users.ItemEventsItemInstancesRequestBuilderGetRequestConfiguration{
		Headers:         c.pageHeaders(),
		QueryParameters: &users.ItemEventsItemInstancesRequestBuilderGetQueryParameters{StartDateTime: &from, EndDateTime: &to},
	}
	var out []outlooksync.RemoteEvent
	for pages := 0; ; pages++ {
		if pages >= c.opts.MaxDeltaPages {
			return nil, fmt.Errorf("graph instances: more than %d pages", pages)
		}
		release, err := c.acquire(ctx, 1)
		if err != nil {
			return nil, err
		}
		page, err := builder.Get(ctx, cfg)
		release()
		if err != nil {
			return nil, mapError("instances", err)
		}
		for _, ev := range page.GetValue() {
			out = append(out, c.remoteEvent(ev))
		}
		next := deref(page.GetOdataNextLink())
		if next == "" {
			return out, nil
		}
		builder = builder.WithUrl(next)
		cfg = &users.ItemEventsItemInstancesRequestBuilderGetRequestConfiguration{Headers: c.pageHeaders()}
	}
}
