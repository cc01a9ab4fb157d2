package graph

import (
	"context"
	"fmt"
	"net/url"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"

	"intracal/outlooksync"
)

// Change notification subscriptions on the client's calendar (subscription-post-
// subscriptions.md, subscription-update.md, subscription-delete.md). They live at
// /subscriptions, outside the users tree whose request builders this package imports, so the
// requests are built here on the same adapter and sent with the models' subscription type.

var _ outlooksync.Subscriber = (*Client)(nil)

// eventsResource is the resource path of the client's calendar's events, relative to the
// Graph root: me/events, users/{id}/events, or either's calendars/{id}/events.
func (c *Client) eventsResource() string {
	base := "me"
	if c.user != "me-token-to-replace" {
		base = "users/" + url.PathEscape(c.user)
	}
	if c.calendar != "" {
		return base + "/calendars/" + url.PathEscape(c.calendar) + "/events"
	}
	return base + "/events"
}

func (c *Client) subscriptionRequest(method abs.HttpMethod, path string) *abs.RequestInformation {
	info := abs.NewRequestInformation()
	info.Method = method
	info.UrlTemplate = "{+baseurl}/subscriptions" + path
	info.PathParameters["baseurl"] = c.adapter.GetBaseUrl()
	info.Headers.TryAdd("Accept", "application/json")
	return info
}

var subscriptionErrors = abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue}

// Subscribe creates a subscription on the created, updated and deleted events of the
// calendar. Graph runs the validation handshake with both URLs before it answers.
func (c *Client) Subscribe(ctx context.Context, req outlooksync.SubscriptionRequest) (outlooksync.Subscription, error) {
	body := models.NewSubscription()
	changes, resource := "created,updated,deleted", c.eventsResource()
	expires := req.Expires.UTC()
	body.SetChangeType(&changes)
	body.SetResource(&resource)
	body.SetNotificationUrl(&req.NotificationURL)
	if req.LifecycleURL != "" {
		body.SetLifecycleNotificationUrl(&req.LifecycleURL)
	}
	body.SetClientState(&req.ClientState)
	body.SetExpirationDateTime(&expires)
	info := c.subscriptionRequest(abs.POST, "")
	if err := info.SetContentFromParsable(ctx, c.adapter, "application/json", body); err != nil {
		return outlooksync.Subscription{}, fmt.Errorf("graph subscribe: encode: %w", err)
	}
	got, err := c.sendSubscription(ctx, info, "subscribe")
	if err != nil {
		return outlooksync.Subscription{}, err
	}
	return got, nil
}

// RenewSubscription moves a subscription's expiry and returns the one Graph set.
func (c *Client) RenewSubscription(ctx context.Context, id string, expires time.Time) (time.Time, error) {
	body := models.NewSubscription()
	expires = expires.UTC()
	body.SetExpirationDateTime(&expires)
	info := c.subscriptionRequest(abs.PATCH, "/{id}")
	info.PathParameters["id"] = id
	if err := info.SetContentFromParsable(ctx, c.adapter, "application/json", body); err != nil {
		return time.Time{}, fmt.Errorf("graph renew subscription: encode: %w", err)
	}
	got, err := c.sendSubscription(ctx, info, "renew subscription")
	if err != nil {
		return time.Time{}, err
	}
	return got.Expires, nil
}

// Unsubscribe deletes a subscription.
func (c *Client) Unsubscribe(ctx context.Context, id string) error {
	info := c.subscriptionRequest(abs.DELETE, "/{id}")
	info.PathParameters["id"] = id
	release, err := c.acquire(ctx, 1)
	if err != nil {
		return err
	}
	defer release()
	if err := c.adapter.SendNoContent(ctx, info, subscriptionErrors); err != nil {
		return mapError("delete subscription", err)
	}
	return nil
}

func (c *Client) sendSubscription(ctx context.Context, info *abs.RequestInformation, op string) (outlooksync.Subscription, error) {
	release, err := c.acquire(ctx, 1)
	if err != nil {
		return outlooksync.Subscription{}, err
	}
	defer release()
	res, err := c.adapter.Send(ctx, info, models.CreateSubscriptionFromDiscriminatorValue, subscriptionErrors)
	if err != nil {
		return outlooksync.Subscription{}, mapError(op, err)
	}
	sub, ok := res.(models.Subscriptionable)
	if !ok || sub.GetId() == nil {
		return outlooksync.Subscription{}, fmt.Errorf("graph %s: the answer holds no subscription", op)
	}
	out := outlooksync.Subscription{ID: *sub.GetId()}
	if t := sub.GetExpirationDateTime(); t != nil {
		out.Expires = t.UTC()
	}
	return out, nil
}
