package publish

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are publishing's Prometheus metrics: cycles, mailbox runs by outcome, copies
// written and restored, cycle duration. A nil *Metrics records nothing.
type Metrics struct {
	cycles   prometheus.Counter
	runs     *prometheus.CounterVec
	copies   *prometheus.CounterVec
	duration prometheus.Histogram
}

// NewMetrics registers publishing's metrics on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		cycles: prometheus.NewCounter(prometheus.CounterOpts{Name: "calendar_publish_cycles_total",
			Help: "Space publication cycles."}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "calendar_publish_mailbox_runs_total",
			Help: "Publication runs into one member's mailbox, by outcome (ok, error, removed)."}, []string{"outcome"}),
		copies: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "calendar_publish_copies_total",
			Help: "Copies written into members' calendars; restored: after the member changed or deleted one."}, []string{"kind"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "calendar_publish_cycle_seconds",
			Help: "Duration of space publication cycles.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 12)}),
	}
	reg.MustRegister(m.cycles, m.runs, m.copies, m.duration)
	return m
}

func (m *Metrics) run(o RunOutcome) {
	if m == nil {
		return
	}
	outcome := "ok"
	switch {
	case o.Err != nil:
		outcome = "error"
	case o.Removed:
		outcome = "removed"
	}
	m.runs.WithLabelValues(outcome).Inc()
	m.copies.WithLabelValues("written").Add(float64(o.Written))
	m.copies.WithLabelValues("restored").Add(float64(o.Restored))
}

func (m *Metrics) cycle(_ CycleResult, d time.Duration) {
	if m == nil {
		return
	}
	m.cycles.Inc()
	m.duration.Observe(d.Seconds())
}
