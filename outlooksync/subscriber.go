package outlooksync

import (
	"context"
	"time"
)

// Subscription is a Graph change notification subscription on the events of a mailbox's
// calendar.
type Subscription struct {
	ID      string
	Expires time.Time
}

// SubscriptionRequest is what a new subscription asks for.
type SubscriptionRequest struct {
	NotificationURL string
	LifecycleURL    string
	// ClientState is the secret Graph sends back in each notification.
	ClientState string
	Expires     time.Time
}

// Subscriber is the part of a Graph client that manages subscriptions on its calendar's
// events (the Graph adapter's Client is one). A subscription that Graph no longer knows
// comes back as ErrRemoteNotFound.
type Subscriber interface {
	Subscribe(ctx context.Context, req SubscriptionRequest) (Subscription, error)
	RenewSubscription(ctx context.Context, id string, expires time.Time) (time.Time, error)
	Unsubscribe(ctx context.Context, id string) error
}
