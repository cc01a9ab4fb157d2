package fakeoutlook

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Change notification subscriptions, in the shapes of api-reference/v1.0/resources/
// subscription.md, subscription-post-subscriptions.md, subscription-update.md,
// subscription-delete.md and the webhook delivery pages (change-notifications-delivery-
// webhooks.md, change-notifications-lifecycle-events.md). Where Graph is strict the fake is too:
//
//   - an Outlook event subscription lives at most 10,080 minutes (under 7 days); a longer
//     expirationDateTime is refused, as the docs say Graph will do ("any requests to create or
//     renew a subscription beyond the maximum value will fail");
//   - the notification and lifecycle URLs must be https (plain http only on loopback, for
//     tests and `make run`), and each must pass the validation handshake (a POST with
//     ?validationToken=..., answered 200 text/plain with the token) within 10 s, or the
//     subscription is not created;
//   - a subscription is the app's: another app, or for delegated ones another user, gets 404;
//   - an expired subscription is gone (404), and delivers nothing.

// MaxSubscriptionLifetime is the longest an Outlook event subscription may live.
const MaxSubscriptionLifetime = 10080 * time.Minute

// Endpoints of subscriptions.
const (
	EndpointCreateSubscription Endpoint = "subscriptions.create"      // POST subscriptions
	EndpointListSubscriptions  Endpoint = "subscriptions.list"        // GET subscriptions
	EndpointGetSubscription    Endpoint = "subscriptions.get"         // GET subscriptions/{id}
	EndpointRenewSubscription  Endpoint = "subscriptions.update"      // PATCH subscriptions/{id}
	EndpointDeleteSubscription Endpoint = "subscriptions.delete"      // DELETE subscriptions/{id}
	EndpointReauthorize        Endpoint = "subscriptions.reauthorize" // POST subscriptions/{id}/reauthorize
)

// subscription is one app's subscription on the events of a mailbox's calendar.
type subscription struct {
	id          string
	clientID    string
	appOnly     bool
	creator     string   // mailbox id of the delegated user; "" for app-only
	owner       *mailbox // the mailbox the resource names
	store       *mailbox // the event store watched: owner, or a calendar's store
	resource    string
	changeTypes []string
	notifyURL   string
	lifecycle   string
	clientState string
	expires     time.Time
}

// SubscriptionInfo describes a subscription, for tests and the demo page.
type SubscriptionInfo struct {
	ID              string
	Mailbox         string // email of the mailbox watched
	Resource        string
	NotificationURL string
	LifecycleURL    string
	Expires         time.Time
	// ClientState is the secret each notification carries: what someone who captured one
	// would know (tests replay it).
	ClientState string
}

func (sub *subscription) info() SubscriptionInfo {
	return SubscriptionInfo{ID: sub.id, Mailbox: sub.owner.email, Resource: sub.resource,
		NotificationURL: sub.notifyURL, LifecycleURL: sub.lifecycle, Expires: sub.expires,
		ClientState: sub.clientState}
}

// Subscriptions lists the live subscriptions, oldest first.
func (s *Server) Subscriptions() []SubscriptionInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []SubscriptionInfo
	for _, sub := range s.liveSubscriptionsLocked() {
		out = append(out, sub.info())
	}
	return out
}

// liveSubscriptionsLocked drops the expired subscriptions and returns the others in creation
// order.
func (s *Server) liveSubscriptionsLocked() []*subscription {
	now := s.now()
	live := s.subs[:0]
	for _, sub := range s.subs {
		if now.Before(sub.expires) {
			live = append(live, sub)
		}
	}
	clear(s.subs[len(live):])
	s.subs = live
	return live
}

func (s *Server) subscriptionLocked(id string) *subscription {
	for _, sub := range s.liveSubscriptionsLocked() {
		if sub.id == id {
			return sub
		}
	}
	return nil
}

// parseSubscriptionRoute maps /subscriptions[/{id}[/reauthorize]].
func parseSubscriptionRoute(method string, segs []string) (route, error) {
	var rt route
	allow := func(ep Endpoint, want string) (route, error) {
		if method != want {
			return route{}, &opError{status: http.StatusMethodNotAllowed, code: "BadRequest",
				msg: fmt.Sprintf("The HTTP method '%s' is not allowed for this resource.", method)}
		}
		rt.endpoint = ep
		return rt, nil
	}
	switch {
	case len(segs) == 1 && method == http.MethodPost:
		return allow(EndpointCreateSubscription, http.MethodPost)
	case len(segs) == 1:
		return allow(EndpointListSubscriptions, http.MethodGet)
	case len(segs) == 2:
		rt.subscriptionID = segs[1]
		switch method {
		case http.MethodPatch:
			return allow(EndpointRenewSubscription, http.MethodPatch)
		case http.MethodDelete:
			return allow(EndpointDeleteSubscription, http.MethodDelete)
		}
		return allow(EndpointGetSubscription, http.MethodGet)
	case len(segs) == 3 && strings.EqualFold(segs[2], "reauthorize"):
		rt.subscriptionID = segs[1]
		return allow(EndpointReauthorize, http.MethodPost)
	}
	return route{}, segmentNotFound(segs)
}

func isSubscriptionEndpoint(ep Endpoint) bool { return strings.HasPrefix(string(ep), "subscriptions.") }

// prepareSubscriptionLocked finds the mailbox a subscription call is about: the one its
// resource names (create), or the subscription's (the others), so that the request log and
// the mailbox's concurrency limit count it there.
func (s *Server) prepareSubscriptionLocked(p *prepared) *response {
	switch p.route.endpoint {
	case EndpointCreateSubscription:
		var body struct {
			Resource string `json:"resource"`
		}
		_ = json.Unmarshal(p.call.body, &body)
		owner, _, r := s.subscriptionResourceLocked(p.token, p.user, body.Resource)
		if r != nil {
			return r
		}
		p.target = owner
	case EndpointListSubscriptions:
		p.target = p.user
	default:
		sub := s.subscriptionLocked(p.route.subscriptionID)
		if sub == nil || !s.ownsLocked(p.token, sub) {
			r := subscriptionNotFound(p.route.subscriptionID)
			return &r
		}
		p.target = sub.owner
	}
	if p.target == nil {
		r := errorResponse(http.StatusBadRequest, "BadRequest", "/me request is only valid with delegated authentication flow.")
		return &r
	}
	return nil
}

// ownedLocked is the live subscription a call names, if the caller owns it; otherwise the
// 404 Graph answers.
func (s *Server) ownedLocked(p *prepared) (*subscription, response) {
	sub := s.subscriptionLocked(p.route.subscriptionID)
	if sub == nil || !s.ownsLocked(p.token, sub) {
		return nil, subscriptionNotFound(p.route.subscriptionID)
	}
	return sub, response{}
}

func (s *Server) ownsLocked(tok *accessToken, sub *subscription) bool {
	if !strings.EqualFold(tok.clientID, sub.clientID) || tok.appOnly != sub.appOnly {
		return false
	}
	return tok.appOnly || tok.mailboxID == sub.creator
}

func subscriptionNotFound(id string) response {
	return errorResponse(http.StatusNotFound, "ResourceNotFound", fmt.Sprintf("The object was not found: subscription '%s'.", id))
}

func invalidSubscription(msg string) response {
	return errorResponse(http.StatusBadRequest, "InvalidRequest", msg)
}

// subscriptionResourceLocked resolves a subscription's resource (me/events, users/{id}/events,
// or either's calendars/{id}/events) to the mailbox and the event store it watches, checking
// that the token may read them.
func (s *Server) subscriptionResourceLocked(tok *accessToken, user *mailbox, resource string) (*mailbox, *mailbox, *response) {
	bad := func(msg string) (*mailbox, *mailbox, *response) {
		r := invalidSubscription(msg)
		return nil, nil, &r
	}
	res := strings.Trim(resource, "/")
	if res == "" {
		return bad("Subscription resource is required.")
	}
	rt, err := parseRoute(http.MethodGet, "/"+res)
	if err != nil || rt.endpoint != EndpointListEvents {
		return bad(fmt.Sprintf("Unsupported resource '%s': the fake supports me/events, users/{id}/events and their calendars/{id}/events.", resource))
	}
	var owner *mailbox
	switch {
	case tok.appOnly && strings.EqualFold(rt.userSeg, "me"):
		r := errorResponse(http.StatusBadRequest, "BadRequest", "/me request is only valid with delegated authentication flow.")
		return nil, nil, &r
	case strings.EqualFold(rt.userSeg, "me"):
		owner = user
	default:
		owner = s.mailboxByKeyLocked(rt.userSeg)
	}
	if owner == nil || (tok.appOnly && !strings.EqualFold(owner.tenantID, tok.tenantID)) {
		r := errorResponse(http.StatusNotFound, "ErrorInvalidUser", fmt.Sprintf("The requested user '%s' is invalid.", rt.userSeg))
		return nil, nil, &r
	}
	allowed := tok.appOnly && tok.hasRole("calendars.read") || !tok.appOnly && owner == user && tok.hasScope("calendars.read")
	if !allowed {
		r := errorResponse(http.StatusForbidden, "ExtensionError", "Operation: Create; Exception: [Status Code: Forbidden; Reason: Access is denied. Check credentials and try again.]")
		return nil, nil, &r
	}
	store := owner
	if rt.calendarID != "" {
		c := calendarByID(owner, rt.calendarID)
		if c == nil {
			r := errNotFound().response()
			return nil, nil, &r
		}
		store = c.store
	}
	return owner, store, nil
}

// subscriptionBody is the JSON of a create or a renewal.
type subscriptionBody struct {
	ChangeType               *string `json:"changeType"`
	NotificationURL          *string `json:"notificationUrl"`
	LifecycleNotificationURL *string `json:"lifecycleNotificationUrl"`
	Resource                 *string `json:"resource"`
	ExpirationDateTime       *string `json:"expirationDateTime"`
	ClientState              *string `json:"clientState"`
	LatestSupportedTLS       *string `json:"latestSupportedTlsVersion"`
	IncludeResourceData      *bool   `json:"includeResourceData"`
}

func (s *Server) expiryOf(raw *string) (time.Time, *response) {
	if raw == nil || *raw == "" {
		r := invalidSubscription("expirationDateTime is required.")
		return time.Time{}, &r
	}
	t, err := time.Parse(time.RFC3339Nano, *raw)
	if err != nil {
		r := invalidSubscription(fmt.Sprintf("Cannot convert the literal '%s' to the expected type 'Edm.DateTimeOffset'.", *raw))
		return time.Time{}, &r
	}
	now := s.now()
	if !t.After(now) {
		r := invalidSubscription("Subscription expiration must be in the future.")
		return time.Time{}, &r
	}
	if t.Sub(now) > MaxSubscriptionLifetime {
		r := invalidSubscription(fmt.Sprintf("Subscription expiration can only be %d minutes in the future.", int(MaxSubscriptionLifetime/time.Minute)))
		return time.Time{}, &r
	}
	return t.UTC(), nil
}

// checkDeliveryURL is Graph's rule for notification URLs: https, with plain http allowed
// here only on loopback.
func checkDeliveryURL(name, raw string) *response {
	u, err := url.Parse(raw)
	bad := err != nil || u.Host == "" || (u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())))
	if bad {
		r := invalidSubscription(fmt.Sprintf("The %s '%s' is invalid: it must be an absolute https URL.", name, raw))
		return &r
	}
	return nil
}

// createSubscription answers POST /subscriptions: after the validation handshake with the
// notification URL (and the lifecycle URL), 201 with the subscription.
func (s *Server) createSubscription(ctx context.Context, p *prepared) response {
	var body subscriptionBody
	if err := json.Unmarshal(p.call.body, &body); err != nil {
		return invalidSubscription("The request body is not valid JSON: " + err.Error())
	}
	if body.IncludeResourceData != nil && *body.IncludeResourceData {
		return invalidSubscription("The fake does not deliver resource data: subscribe without includeResourceData.")
	}
	var changes []string
	if body.ChangeType != nil {
		for _, c := range strings.Split(*body.ChangeType, ",") {
			c = strings.TrimSpace(c)
			if !slices.Contains([]string{"created", "updated", "deleted"}, c) {
				return invalidSubscription(fmt.Sprintf("Invalid changeType '%s': use created, updated or deleted, comma separated.", c))
			}
			changes = append(changes, c)
		}
	}
	if len(changes) == 0 {
		return invalidSubscription("changeType is required.")
	}
	if body.NotificationURL == nil {
		return invalidSubscription("notificationUrl is required.")
	}
	if r := checkDeliveryURL("notificationUrl", *body.NotificationURL); r != nil {
		return *r
	}
	lifecycle := ""
	if body.LifecycleNotificationURL != nil && *body.LifecycleNotificationURL != "" {
		lifecycle = *body.LifecycleNotificationURL
		if r := checkDeliveryURL("lifecycleNotificationUrl", lifecycle); r != nil {
			return *r
		}
	}
	state := ""
	if body.ClientState != nil {
		state = *body.ClientState
		if len(state) > 128 {
			return invalidSubscription("clientState is longer than 128 characters.")
		}
	}
	expires, r := s.expiryOf(body.ExpirationDateTime)
	if r != nil {
		return *r
	}
	// The handshake, without the lock: the app may call back into Graph while it answers.
	if err := s.notifier.validate(ctx, *body.NotificationURL); err != nil {
		return invalidSubscription("Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request. " + err.Error())
	}
	if lifecycle != "" {
		if err := s.notifier.validate(ctx, lifecycle); err != nil {
			return invalidSubscription("Subscription validation request failed. Lifecycle notification endpoint must respond with 200 OK to validation request. " + err.Error())
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	owner, store, rr := s.subscriptionResourceLocked(p.token, p.user, derefString(body.Resource))
	if rr != nil {
		return *rr
	}
	sub := &subscription{id: newGUID(), clientID: p.token.clientID, appOnly: p.token.appOnly,
		owner: owner, store: store, resource: *body.Resource, changeTypes: changes,
		notifyURL: *body.NotificationURL, lifecycle: lifecycle, clientState: state, expires: expires}
	if !p.token.appOnly {
		sub.creator = p.token.mailboxID
	}
	s.subs = append(s.subs, sub)
	return jsonResponse(http.StatusCreated, renderSubscription(p, sub))
}

func derefString(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// renewSubscription answers PATCH /subscriptions/{id}: a new expirationDateTime (the only
// property Graph lets a renewal change besides notificationUrl).
func (s *Server) renewSubscription(p *prepared) response {
	var body subscriptionBody
	if err := json.Unmarshal(p.call.body, &body); err != nil {
		return invalidSubscription("The request body is not valid JSON: " + err.Error())
	}
	expires, r := s.expiryOf(body.ExpirationDateTime)
	if r != nil {
		return *r
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, missing := s.ownedLocked(p)
	if sub == nil {
		return missing
	}
	sub.expires = expires
	return jsonResponse(http.StatusOK, renderSubscription(p, sub))
}

// reauthorize answers POST /subscriptions/{id}/reauthorize with 200.
func (s *Server) reauthorize(p *prepared) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, missing := s.ownedLocked(p)
	if sub == nil {
		return missing
	}
	return noContent(http.StatusOK)
}

func (s *Server) getSubscription(p *prepared) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, missing := s.ownedLocked(p)
	if sub == nil {
		return missing
	}
	return jsonResponse(http.StatusOK, renderSubscription(p, sub))
}

func (s *Server) listSubscriptions(p *prepared) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	var items []any
	for _, sub := range s.liveSubscriptionsLocked() {
		if s.ownsLocked(p.token, sub) {
			items = append(items, renderSubscription(p, sub))
		}
	}
	if items == nil {
		items = []any{}
	}
	return jsonResponse(http.StatusOK, orderedObject{{"@odata.context", p.call.graphBase + "/$metadata#subscriptions"}, {"value", items}})
}

// deleteSubscription answers DELETE /subscriptions/{id} with 204.
func (s *Server) deleteSubscription(p *prepared) response {
	s.mu.Lock()
	defer s.mu.Unlock()
	sub, missing := s.ownedLocked(p)
	if sub == nil {
		return missing
	}
	s.removeSubscriptionLocked(sub.id)
	return noContent(http.StatusNoContent)
}

func (s *Server) removeSubscriptionLocked(id string) {
	s.subs = slices.DeleteFunc(s.subs, func(sub *subscription) bool { return sub.id == id })
}

func renderSubscription(p *prepared, sub *subscription) orderedObject {
	var lifecycle any
	if sub.lifecycle != "" {
		lifecycle = sub.lifecycle
	}
	var state any
	if sub.clientState != "" {
		state = sub.clientState
	}
	return orderedObject{
		{"@odata.context", p.call.graphBase + "/$metadata#subscriptions/$entity"},
		{"id", sub.id},
		{"resource", sub.resource},
		{"applicationId", sub.clientID},
		{"changeType", strings.Join(sub.changeTypes, ",")},
		{"clientState", state},
		{"notificationUrl", sub.notifyURL},
		{"lifecycleNotificationUrl", lifecycle},
		{"expirationDateTime", sub.expires.Format("2006-01-02T15:04:05.0000000Z")},
		{"creatorId", firstNonEmpty(sub.creator, sub.clientID)},
		{"latestSupportedTlsVersion", "v1_2"},
		{"includeResourceData", false},
	}
}
