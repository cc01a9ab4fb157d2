package app

import (
	"context"
	"fmt"
	"time"

	"intracal/calendar"
)

// spaces seeds the demo's spaces: a public Engineering space everyone is in, published into
// its members' Outlook (the fake Outlook of `make run` holds the tenant's admin consent), with
// a weekly demo with a changed and a cancelled occurrence and an all-day hack day; and a
// private Leadership space, not published.
func (d *demoSeeder) spaces(ctx context.Context) {
	const alice, bob, carol, dave, admin = "alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com", "admin@example.com"
	if d.err != nil {
		return
	}
	eng, err := d.a.store.CreateSpace(ctx, d.viewer(alice), calendar.SpaceInput{Name: "Engineering",
		Description: "Demos, hack days and the engineering all-hands.", Visibility: calendar.SpacePublic})
	if err != nil {
		d.err = fmt.Errorf("demo space: %w", err)
		return
	}
	for _, who := range []string{bob, carol, dave} {
		if err := d.a.store.JoinSpace(ctx, d.viewer(who), eng.ID); err != nil {
			d.err = fmt.Errorf("demo space: %w", err)
			return
		}
	}
	demo := d.day(-2, 4, 15, 0)
	e := d.createIn(ctx, eng.CalendarID, bob, calendar.EventInput{Title: "Engineering demo", Location: "Main hall",
		Start: wall(demo), End: wall(demo.Add(45 * time.Minute)), TimeZone: "Europe/Berlin", RRule: "FREQ=WEEKLY;BYDAY=FR;COUNT=12"})
	d.edit(ctx, bob, e, calendar.ScopeInstance, d.day(1, 4, 15, 0).UTC(), calendar.Change{Title: sptr("Engineering demo: the new sync"), Location: sptr("Online")})
	d.cancel(ctx, bob, e, d.day(2, 4, 15, 0).UTC())
	d.createIn(ctx, eng.CalendarID, carol, calendar.EventInput{Title: "Hack day", AllDay: true,
		Start: date(d.day(1, 2, 0, 0)), End: date(d.day(1, 2, 0, 0)), TimeZone: "America/New_York"})
	if d.err != nil {
		return
	}
	if err := d.a.publish.SetPublished(ctx, eng.ID, d.ids[alice], true, d.a.now()); err != nil {
		d.err = fmt.Errorf("demo space: %w", err)
		return
	}
	lead, err := d.a.store.CreateSpace(ctx, d.viewer(admin), calendar.SpaceInput{Name: "Leadership",
		Description: "The leadership team's planning.", Visibility: calendar.SpacePrivate})
	if err != nil {
		d.err = fmt.Errorf("demo space: %w", err)
		return
	}
	if err := d.a.store.AddSpaceMembers(ctx, d.viewer(admin), lead.ID, []int64{d.ids[alice]}, calendar.RoleMember); err != nil {
		d.err = fmt.Errorf("demo space: %w", err)
		return
	}
	off := d.day(1, 1, 13, 0)
	d.createIn(ctx, lead.CalendarID, admin, calendar.EventInput{Title: "Budget review", Start: wall(off), End: wall(off.Add(90 * time.Minute)), TimeZone: "Europe/Berlin"})
}

// createIn makes an event in a space's calendar.
func (d *demoSeeder) createIn(ctx context.Context, calendarID int64, organizer string, in calendar.EventInput) *calendar.Event {
	if d.err != nil {
		return nil
	}
	e, err := calendar.NewEvent(calendarID, d.ids[organizer], in)
	if err != nil {
		d.err = fmt.Errorf("demo event %q: %w", in.Title, err)
		return nil
	}
	if err := d.a.store.Create(ctx, e); err != nil {
		d.err = fmt.Errorf("demo event %q: %w", in.Title, err)
		return nil
	}
	return e
}
