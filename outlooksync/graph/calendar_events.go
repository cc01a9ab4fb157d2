package graph

import (
	"context"
	"fmt"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"intracal/outlooksync"
	"intracal/outlooksync/publish"
)

// The events of one of a mailbox's calendars, under /users/{id}/calendars/{id}/events
// (calendar-list-events.md, calendar-post-events.md): where a space's calendar is published.
// Graph finds an event by id in any calendar of the mailbox, but the fake finds it only
// under its own calendar, so every call names the calendar.

// InCalendar returns a client of the events of the mailbox's calendar id: its Apply,
// Event and Instances work there (creates go into that calendar), sharing this client's
// request slots. Delta and ReadSeries stay the default calendar's.
func (c *Client) InCalendar(id string) *Client {
	cc := *c
	cc.calendar = id
	return &cc
}

func (c *Client) calendarEvents() *users.ItemCalendarsItemEventsRequestBuilder {
	return c.me.Calendars().ByCalendarId(c.calendar).Events()
}

// Items lists the calendar's series masters and single events with their change keys and
// our marker, 1,000 a page (Graph's largest), following next links.
func (c *Client) Items(ctx context.Context) ([]outlooksync.RemoteEvent, error) {
	if c.calendar == "" {
		return nil, fmt.Errorf("graph items: no calendar (InCalendar)")
	}
	top := int32(1000)
	builder := c.calendarEvents()
	cfg := &users.ItemCalendarsItemEventsRequestBuilderGetRequestConfiguration{
		Headers: headers(),
		QueryParameters: &users.ItemCalendarsItemEventsRequestBuilderGetQueryParameters{
			Select: []string{"id", "type", "changeKey", "subject"}, Expand: markerExpand(), Top: &top,
		},
	}
	var out []outlooksync.RemoteEvent
	for pages := 0; ; pages++ {
		if pages >= c.opts.MaxDeltaPages {
			return nil, fmt.Errorf("graph items: more than %d pages", pages)
		}
		release, err := c.acquire(ctx, 1)
		if err != nil {
			return nil, err
		}
		page, err := builder.Get(ctx, cfg)
		release()
		if err != nil {
			return nil, mapError("calendar events", err)
		}
		for _, ev := range page.GetValue() {
			out = append(out, c.remoteEvent(ev))
		}
		next := deref(page.GetOdataNextLink())
		if next == "" {
			return out, nil
		}
		builder = builder.WithUrl(next)
		cfg = &users.ItemCalendarsItemEventsRequestBuilderGetRequestConfiguration{Headers: headers()}
	}
}

func (c *Client) calendarEvent(ctx context.Context, id string) (outlooksync.RemoteEvent, error) {
	ev, err := c.calendarEvents().ByEventId(id).Get(ctx, &users.ItemCalendarsItemEventsEventItemRequestBuilderGetRequestConfiguration{
		Headers: headers(),
		QueryParameters: &users.ItemCalendarsItemEventsEventItemRequestBuilderGetQueryParameters{
			Select: eventSelect(), Expand: markerExpand(),
		},
	})
	if err != nil {
		return outlooksync.RemoteEvent{}, mapError("event", err)
	}
	return c.remoteEvent(ev), nil
}

func (c *Client) calendarInstances(ctx context.Context, masterID string, w outlooksync.Window) ([]outlooksync.RemoteEvent, error) {
	from, to := w.From.UTC().Format(time.RFC3339), w.To.UTC().Format(time.RFC3339)
	builder := c.calendarEvents().ByEventId(masterID).Instances()
	cfg := &users.ItemCalendarsItemEventsItemInstancesRequestBuilderGetRequestConfiguration{
		Headers:         c.pageHeaders(),
		QueryParameters: &users.ItemCalendarsItemEventsItemInstancesRequestBuilderGetQueryParameters{StartDateTime: &from, EndDateTime: &to},
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
		cfg = &users.ItemCalendarsItemEventsItemInstancesRequestBuilderGetRequestConfiguration{Headers: c.pageHeaders()}
	}
}

// calendarRequestInfo builds a create, update or delete in the calendar; a copy is no
// meeting, so the meeting actions are refused.
func (c *Client) calendarRequestInfo(ctx context.Context, op outlooksync.Op, h *abs.RequestHeaders) (*abs.RequestInformation, error) {
	switch op.Kind {
	case outlooksync.OpCreate:
		body, err := c.eventBody(op.Write, true)
		if err != nil {
			return nil, err
		}
		return c.calendarEvents().ToPostRequestInformation(ctx, body, &users.ItemCalendarsItemEventsRequestBuilderPostRequestConfiguration{Headers: h})
	case outlooksync.OpUpdate:
		body, err := c.eventBody(op.Write, false)
		if err != nil {
			return nil, err
		}
		return c.calendarEvents().ByEventId(op.ID).ToPatchRequestInformation(ctx, body, &users.ItemCalendarsItemEventsEventItemRequestBuilderPatchRequestConfiguration{Headers: h})
	case outlooksync.OpDelete:
		return c.calendarEvents().ByEventId(op.ID).ToDeleteRequestInformation(ctx, &users.ItemCalendarsItemEventsEventItemRequestBuilderDeleteRequestConfiguration{Headers: h})
	}
	return nil, fmt.Errorf("graph %s: not an operation on a calendar's copies", op.Kind)
}

// Calendar is the events of the mailbox's calendar id, for publishing (publish.Mailbox).
func (c *Client) Calendar(id string) publish.Calendar { return c.InCalendar(id) }

var _ publish.Mailbox = (*Client)(nil)
