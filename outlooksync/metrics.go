package outlooksync

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the sync's Prometheus metrics: cycles, items each way, Graph requests by
// status, cycle duration. A nil *Metrics records nothing.
type Metrics struct {
	cycles   *prometheus.CounterVec
	items    *prometheus.CounterVec
	requests *prometheus.CounterVec
	duration prometheus.Histogram

	notifications *prometheus.CounterVec
	subscriptions *prometheus.CounterVec
	reruns        prometheus.Counter
}

// NewMetrics registers the sync's metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		cycles: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "calendar_sync_cycles_total",
			Help: "Outlook sync cycles by outcome."}, []string{"outcome"}),
		items: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "calendar_sync_items_total",
			Help: "Items synced, by direction."}, []string{"direction"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "calendar_graph_requests_total",
			Help: "HTTP requests to Microsoft Graph, by status code."}, []string{"status"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "calendar_sync_cycle_seconds",
			Help: "Duration of Outlook sync cycles.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 12)}),
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "calendar_sync_notifications_total",
			Help: "Change and lifecycle notifications received from Graph, by outcome (accepted, lifecycle, refused)."}, []string{"outcome"}),
		subscriptions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "calendar_sync_subscription_operations_total",
			Help: "Graph subscriptions created, renewed and deleted, by operation and outcome."}, []string{"op", "outcome"}),
		reruns: prometheus.NewCounter(prometheus.CounterOpts{Name: "calendar_sync_notified_reruns_total",
			Help: "Cycles run again at once because notifications arrived during a cycle."}),
	}
	reg.MustRegister(m.cycles, m.items, m.requests, m.duration, m.notifications, m.subscriptions, m.reruns)
	return m
}

func (m *Metrics) notifiedAgain() {
	if m != nil {
		m.reruns.Inc()
	}
}

func (m *Metrics) notification(outcome string, n int) {
	if m != nil && n > 0 {
		m.notifications.WithLabelValues(outcome).Add(float64(n))
	}
}

func (m *Metrics) subscriptionOp(op string, err error) {
	if m == nil {
		return
	}
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.subscriptions.WithLabelValues(op, outcome).Inc()
}

func (m *Metrics) cycle(res Result, err error, d time.Duration) {
	if m == nil {
		return
	}
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.cycles.WithLabelValues(outcome).Inc()
	m.items.WithLabelValues("from_outlook").Add(float64(res.Pulled))
	m.items.WithLabelValues("to_outlook").Add(float64(res.Pushed))
	m.duration.Observe(d.Seconds())
}

// Transport wraps an HTTP transport to count Graph requests by status.
func (m *Metrics) Transport(next http.RoundTripper) http.RoundTripper {
	if m == nil {
		return next
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		resp, err := next.RoundTrip(r)
		status := "error"
		if err == nil {
			status = strconv.Itoa(resp.StatusCode)
		}
		m.requests.WithLabelValues(status).Inc()
		return resp, err
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
