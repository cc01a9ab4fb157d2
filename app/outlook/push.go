package outlook

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"intracal/outlooksync"
)

// Change notifications from Microsoft Graph (docs/architecture.md, "Push-first sync"): the
// fixed addresses Graph posts to, which answer its validation handshake, and hand what they
// receive to outlooksync.Push at once. Graph sends no session and no CSRF token: what
// authenticates a notification is its subscription id with the clientState that subscription
// was given, which Push checks. Senders of unknown or forged notifications are rate limited
// by address.

// The addresses Graph is given for notifications and lifecycle notifications.
const (
	NotificationPath = "/outlook/notifications"
	LifecyclePath    = "/outlook/notifications/lifecycle"
)

// Limits of the notification endpoints.
const (
	maxValidationToken = 1024
	maxNotifyItems     = 1000
	refusedPerSecond   = 1
	refusedBurst       = 20
	maxLimitedSenders  = 10000
)

// Notifications is the endpoint Graph posts to.
type Notifications struct {
	push *outlooksync.Push
	log  *slog.Logger

	mu      sync.Mutex
	senders map[string]*rate.Limiter // of refused notifications, by address
}

// NewNotifications serves Graph's notifications to push.
func NewNotifications(push *outlooksync.Push, log *slog.Logger) *Notifications {
	return &Notifications{push: push, log: log, senders: map[string]*rate.Limiter{}}
}

// Receive is POST /outlook/notifications and /outlook/notifications/lifecycle.
func (h *Notifications) Receive(c echo.Context) error {
	r := c.Request()
	if tok, ok := r.URL.Query()["validationToken"]; ok {
		return h.validate(c, tok)
	}
	ip := c.RealIP()
	if !h.allowed(ip) {
		c.Response().Header().Set("Retry-After", "60")
		return c.String(http.StatusTooManyRequests, "Too many refused notifications from this address.\n")
	}
	if ct := r.Header.Get(echo.HeaderContentType); !strings.HasPrefix(strings.ToLower(ct), "application/json") {
		return c.String(http.StatusUnsupportedMediaType, "A notification is application/json.\n")
	}
	var body struct {
		Value []outlooksync.Notification `json:"value"`
	}
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return c.String(http.StatusBadRequest, "The notification could not be read.\n")
	}
	if err := json.Unmarshal(data, &body); err != nil || len(body.Value) == 0 {
		h.refused(ip, 1)
		return c.String(http.StatusBadRequest, "A notification is {\"value\": [...]} with at least one item.\n")
	}
	if len(body.Value) > maxNotifyItems {
		h.refused(ip, 1)
		return c.String(http.StatusRequestEntityTooLarge, fmt.Sprintf("At most %d notifications at once.\n", maxNotifyItems))
	}
	// Graph wants an answer within three seconds; the work is a lookup and a mark per item.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), 2*time.Second)
	defer cancel()
	refused, err := h.push.Receive(ctx, body.Value)
	if err != nil {
		h.log.Error("receive outlook notifications", "err", err)
		return c.String(http.StatusServiceUnavailable, "The notification could not be taken now; send it again.\n")
	}
	if refused > 0 {
		h.refused(ip, refused)
		h.log.Warn("refused outlook notifications", "count", refused, "from", ip)
	}
	return c.NoContent(http.StatusAccepted)
}

// validate answers Graph's handshake: the decoded token, as text/plain, at once.
func (h *Notifications) validate(c echo.Context, tok []string) error {
	if len(tok) != 1 || tok[0] == "" || len(tok[0]) > maxValidationToken {
		return c.String(http.StatusBadRequest, "validationToken must be given once, with at most 1024 characters.\n")
	}
	c.Response().Header().Set(echo.HeaderContentType, "text/plain; charset=utf-8")
	c.Response().WriteHeader(http.StatusOK)
	_, err := io.WriteString(c.Response(), tok[0])
	return err
}

func (h *Notifications) limiter(ip string) *rate.Limiter {
	h.mu.Lock()
	defer h.mu.Unlock()
	l, ok := h.senders[ip]
	if !ok {
		if len(h.senders) >= maxLimitedSenders {
			clear(h.senders) // a flood of addresses: start over rather than grow
		}
		l = rate.NewLimiter(refusedPerSecond, refusedBurst)
		h.senders[ip] = l
	}
	return l
}

// allowed reports whether the address may still be heard: its refused notifications have
// not used up its allowance.
func (h *Notifications) allowed(ip string) bool { return h.limiter(ip).Tokens() >= 1 }

// refused uses up n of the address's allowance, even beyond it (a reservation, never
// cancelled), so that a large forged batch counts in full.
func (h *Notifications) refused(ip string, n int) {
	h.limiter(ip).ReserveN(time.Now(), min(n, refusedBurst))
}

// pushMode decides whether Graph can deliver to the site at all: the reason it cannot, or "".
// Graph posts only to https addresses; plain http is for a loopback site with the fake.
func pushMode(on bool, site, graph *url.URL) string {
	switch {
	case !on:
		return "change notifications are turned off on this site (CALENDAR_OUTLOOK_PUSH=off), so changes are found by polling"
	case site.Scheme == "https":
		return ""
	case isLoopback(site.Hostname()) && isLoopback(graph.Hostname()):
		return "" // the fake, on this machine, delivers to plain http
	}
	return "the site's address " + site.String() + " is not https, and Microsoft Graph delivers notifications only to https addresses, so changes are found by polling"
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
