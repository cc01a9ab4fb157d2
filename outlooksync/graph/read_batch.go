package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	absser "github.com/microsoft/kiota-abstractions-go/serialization"
	jsonser "github.com/microsoft/kiota-serialization-json-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
	"golang.org/x/sync/errgroup"

	"intracal/outlooksync"
)

// ReadSeries reads many items in $batch requests; see outlooksync.Graph. A first round GETs
// the events, BatchSize to a $batch; a second GETs the instances of the series masters among
// them, and further rounds follow the instance pages' next links. An event answered 404 is
// Gone. Any other failure, including an instance list answered 404 (the master went between
// the two rounds: the next cycle finds it gone), fails the whole read.
func (c *Client) ReadSeries(ctx context.Context, ids []string, w outlooksync.Window) (map[string]*outlooksync.RemoteSeries, error) {
	out := make(map[string]*outlooksync.RemoteSeries, len(ids))
	var todo []string
	var reqs []*abs.RequestInformation
	for _, id := range ids {
		if _, dup := out[id]; dup {
			continue
		}
		if id == "" {
			return nil, errors.New("graph read: no event id")
		}
		info, err := c.me.Events().ByEventId(id).ToGetRequestInformation(ctx, &users.ItemEventsEventItemRequestBuilderGetRequestConfiguration{
			Headers:         headers(),
			QueryParameters: &users.ItemEventsEventItemRequestBuilderGetQueryParameters{Select: eventSelect(), Expand: markerExpand()},
		})
		if err != nil {
			return nil, fmt.Errorf("graph read event %s: %w", id, err)
		}
		out[id] = nil
		todo = append(todo, id)
		reqs = append(reqs, info)
	}
	answers, err := c.getAll(ctx, "read event", reqs)
	if err != nil {
		return nil, err
	}
	var masters []string
	for i, id := range todo {
		if answers[i].status == http.StatusNotFound {
			out[id] = &outlooksync.RemoteSeries{Master: outlooksync.RemoteEvent{ID: id}, Gone: true}
			continue
		}
		v, err := decode(answers[i].body, models.CreateEventFromDiscriminatorValue)
		if err != nil {
			return nil, fmt.Errorf("graph read event %s: %w", id, err)
		}
		ev, ok := v.(models.Eventable)
		if !ok {
			return nil, fmt.Errorf("graph read event %s: the answer is not an event", id)
		}
		rs := &outlooksync.RemoteSeries{Master: c.remoteEvent(ev)}
		if rs.Master.Type == outlooksync.TypeMaster {
			// An organizer's series for its exceptions, an invitee's copy for the answers
			// given to single occurrences.
			rs.InstancesRead = true
			masters = append(masters, id)
		}
		out[id] = rs
	}
	if err := c.readInstances(ctx, masters, w, out); err != nil {
		return nil, err
	}
	return out, nil
}

// readInstances adds the instances in the window of each master to its series, a round of
// $batch requests per page.
func (c *Client) readInstances(ctx context.Context, masters []string, w outlooksync.Window, out map[string]*outlooksync.RemoteSeries) error {
	from, to := w.From.UTC().Format(time.RFC3339), w.To.UTC().Format(time.RFC3339)
	var reqs []*abs.RequestInformation
	for _, id := range masters {
		info, err := c.instancesRequest(ctx, id, from, to)
		if err != nil {
			return fmt.Errorf("graph read instances of %s: %w", id, err)
		}
		reqs = append(reqs, info)
	}
	for pages := 0; len(reqs) > 0; pages++ {
		if pages >= c.opts.MaxDeltaPages {
			return fmt.Errorf("graph read instances: more than %d pages", pages)
		}
		answers, err := c.getAll(ctx, "read instances", reqs)
		if err != nil {
			return err
		}
		var next []string
		var nextReqs []*abs.RequestInformation
		for i, id := range masters {
			if answers[i].status == http.StatusNotFound {
				return &Error{Op: "read instances", Status: answers[i].status, Message: "series master " + id + " not found",
					kind: outlooksync.ErrRemoteNotFound}
			}
			v, err := decode(answers[i].body, models.CreateEventCollectionResponseFromDiscriminatorValue)
			if err != nil {
				return fmt.Errorf("graph read instances of %s: %w", id, err)
			}
			page, ok := v.(models.EventCollectionResponseable)
			if !ok {
				return fmt.Errorf("graph read instances of %s: the answer is not a list of events", id)
			}
			rs := out[id]
			for _, ev := range page.GetValue() {
				rs.Instances = append(rs.Instances, c.instanceOf(ev, rs.Master))
			}
			link := deref(page.GetOdataNextLink())
			if link == "" {
				continue
			}
			// Next links carry the window and the position; they are followed verbatim.
			info, err := c.instancesPage(ctx, id, link)
			if err != nil {
				return fmt.Errorf("graph read instances of %s: %w", id, err)
			}
			next = append(next, id)
			nextReqs = append(nextReqs, info)
		}
		masters, reqs = next, nextReqs
	}
	return nil
}

// instancesRequest is the first page of a master's instances in [from, to), in the client's
// calendar (InCalendar) or the default one.
func (c *Client) instancesRequest(ctx context.Context, id, from, to string) (*abs.RequestInformation, error) {
	if c.calendar != "" {
		return c.calendarEvents().ByEventId(id).Instances().ToGetRequestInformation(ctx, &users.ItemCalendarsItemEventsItemInstancesRequestBuilderGetRequestConfiguration{
			Headers:         c.pageHeaders(),
			QueryParameters: &users.ItemCalendarsItemEventsItemInstancesRequestBuilderGetQueryParameters{StartDateTime: &from, EndDateTime: &to},
		})
	}
	return c.me.Events().ByEventId(id).Instances().ToGetRequestInformation(ctx, &users.ItemEventsItemInstancesRequestBuilderGetRequestConfiguration{
		Headers:         c.pageHeaders(),
		QueryParameters: &users.ItemEventsItemInstancesRequestBuilderGetQueryParameters{StartDateTime: &from, EndDateTime: &to},
	})
}

// instancesPage is the page of a master's instances a next link names.
func (c *Client) instancesPage(ctx context.Context, id, link string) (*abs.RequestInformation, error) {
	if c.calendar != "" {
		return c.calendarEvents().ByEventId(id).Instances().WithUrl(link).ToGetRequestInformation(ctx,
			&users.ItemCalendarsItemEventsItemInstancesRequestBuilderGetRequestConfiguration{Headers: c.pageHeaders()})
	}
	return c.me.Events().ByEventId(id).Instances().WithUrl(link).ToGetRequestInformation(ctx,
		&users.ItemEventsItemInstancesRequestBuilderGetRequestConfiguration{Headers: c.pageHeaders()})
}

// InstancesOf lists the instances in the window of several series masters at once, in
// $batch requests of BatchSize (a round more per further page); a master that is gone is
// outlooksync.ErrRemoteNotFound.
func (c *Client) InstancesOf(ctx context.Context, masterIDs []string, w outlooksync.Window) (map[string][]outlooksync.RemoteEvent, error) {
	series := make(map[string]*outlooksync.RemoteSeries, len(masterIDs))
	var ids []string
	for _, id := range masterIDs {
		if series[id] == nil {
			series[id] = &outlooksync.RemoteSeries{Master: outlooksync.RemoteEvent{ID: id}}
			ids = append(ids, id)
		}
	}
	if err := c.readInstances(ctx, ids, w, series); err != nil {
		return nil, err
	}
	out := make(map[string][]outlooksync.RemoteEvent, len(series))
	for id, rs := range series {
		out[id] = rs.Instances
	}
	return out, nil
}

// getAnswer is the status, headers and body of one GET sent in a $batch.
type getAnswer struct {
	status int
	hdr    msgraphcore.RequestHeader
	body   json.RawMessage
}

// getAll sends GET requests in $batch requests of at most BatchSize, each holding the
// mailbox's request slots while it runs, and sends the ones Outlook throttled (429, 503)
// again after the Retry-After it named, up to MaxRetries times when the wait is at most
// MaxBatchWait. It returns the answer to each request (2xx or 404); any other answer, or a
// failed $batch, is an error for them all.
func (c *Client) getAll(ctx context.Context, op string, reqs []*abs.RequestInformation) ([]getAnswer, error) {
	answers := make([]getAnswer, len(reqs))
	todo := make([]int, len(reqs))
	for i := range reqs {
		todo[i] = i
	}
	for round := 0; len(todo) > 0; round++ {
		g, gctx := errgroup.WithContext(ctx)
		for start := 0; start < len(todo); start += c.opts.BatchSize {
			chunk := todo[start:min(start+c.opts.BatchSize, len(todo))]
			g.Go(func() error { return c.getBatch(gctx, op, reqs, chunk, answers) })
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		var again []int
		var throttled *outlooksync.ThrottledError
		for _, i := range todo {
			a := answers[i]
			if (a.status >= 200 && a.status < 300) || a.status == http.StatusNotFound {
				continue
			}
			var body msgraphcore.RequestBody
			_ = json.Unmarshal(a.body, &body) // an error without Graph's error body still has its status
			err := c.batchError(op, a.status, a.hdr, body)
			var thr *outlooksync.ThrottledError
			if !errors.As(err, &thr) {
				return nil, err
			}
			if thr.RetryAfter > c.opts.MaxBatchWait || round >= c.opts.MaxRetries {
				return nil, fmt.Errorf("graph %s: %w", op, thr)
			}
			if throttled == nil || thr.RetryAfter > throttled.RetryAfter {
				throttled = thr
			}
			again = append(again, i)
		}
		if len(again) > 0 {
			if err := sleep(ctx, throttled.RetryAfter); err != nil {
				return nil, err
			}
		}
		todo = again
	}
	return answers, nil
}

// getBatch sends the requests at the indexes in idx in one $batch and stores their answers.
// It reads the $batch answer itself rather than through the SDK's batch response, which
// parses every body into maps that would have to be encoded again to become models: each
// inner body is parsed once, after the mailbox's slots are released.
func (c *Client) getBatch(ctx context.Context, op string, reqs []*abs.RequestInformation, idx []int, answers []getAnswer) error {
	batch := msgraphcore.NewBatchRequest(c.adapter)
	byItem := make(map[string]int, len(idx))
	for _, i := range idx {
		item, err := batch.AddBatchRequestStep(*reqs[i])
		if err != nil {
			return fmt.Errorf("graph %s: %w", op, err)
		}
		if u := deref(item.GetUrl()); len(u) == 0 || u[0] != '/' {
			// Only a next link from another host gets here: a $batch takes relative URLs.
			return fmt.Errorf("graph %s: %q is not under the Graph base URL %s", op, u, c.adapter.GetBaseUrl())
		}
		byItem[deref(item.GetId())] = i
	}
	info := abs.NewRequestInformation()
	info.Method = abs.POST
	info.UrlTemplate = "{+baseurl}/$batch"
	info.PathParameters["baseurl"] = c.adapter.GetBaseUrl()
	info.Headers.TryAdd("Accept", "application/json")
	if err := info.SetContentFromParsable(ctx, c.adapter, "application/json", batch); err != nil {
		return fmt.Errorf("graph %s: encode the $batch: %w", op, err)
	}
	release, err := c.acquire(ctx, min(len(idx), c.opts.BatchParallelism))
	if err != nil {
		return err
	}
	raw, err := c.adapter.SendPrimitive(ctx, info, "[]byte", abs.ErrorMappings{"XXX": odataerrors.CreateODataErrorFromDiscriminatorValue})
	release()
	if err != nil {
		return mapError("batch", err)
	}
	data, _ := raw.([]byte)
	var resp struct {
		Responses []struct {
			ID      string            `json:"id"`
			Status  int               `json:"status"`
			Headers map[string]string `json:"headers"`
			Body    json.RawMessage   `json:"body"`
		} `json:"responses"`
	}
	if err := json.Unmarshal(data, &resp); err != nil {
		return fmt.Errorf("graph %s: parse the $batch answer: %w", op, err)
	}
	for _, r := range resp.Responses {
		i, ok := byItem[r.ID]
		if !ok {
			continue
		}
		delete(byItem, r.ID)
		answers[i] = getAnswer{status: r.Status, hdr: r.Headers, body: r.Body}
	}
	if len(byItem) > 0 {
		return fmt.Errorf("graph %s: the $batch answer lacks %d of its %d responses", op, len(byItem), len(idx))
	}
	return nil
}

// decode parses the JSON body of an inner $batch answer with an SDK model's factory.
func decode(data []byte, factory absser.ParsableFactory) (absser.Parsable, error) {
	if len(data) == 0 {
		return nil, errors.New("empty answer")
	}
	node, err := jsonser.NewJsonParseNode(data)
	if err != nil {
		return nil, fmt.Errorf("parse the answer: %w", err)
	}
	v, err := node.GetObjectValue(factory)
	if err != nil {
		return nil, fmt.Errorf("parse the answer: %w", err)
	}
	return v, nil
}
