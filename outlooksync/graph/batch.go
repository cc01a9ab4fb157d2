package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	abs "github.com/microsoft/kiota-abstractions-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"intracal/outlooksync"
)

// Apply performs the operations in $batch requests of at most BatchSize, holding the
// mailbox's request slots while each runs (so batches for one mailbox go one after the
// other, each running up to four requests at Outlook). The operations of one call must not
// depend on each other: Graph runs a batch's requests in any order. An operation that
// Outlook throttled is sent again after the Retry-After it named, up to MaxRetries times
// when the wait is at most MaxBatchWait; otherwise its result is a
// *outlooksync.ThrottledError.
func (c *Client) Apply(ctx context.Context, ops []outlooksync.Op) []outlooksync.OpResult {
	results := make([]outlooksync.OpResult, len(ops))
	c.inRounds(ctx, len(ops), func(chunk []int) { c.sendBatch(ctx, ops, chunk, results) },
		func(i int) error { return results[i].Err })
	return results
}

// inRounds sends n operations in chunks of BatchSize (send, all chunks at once; each holds
// the mailbox's request slots while it runs), then again those whose error (errOf) is a
// throttle of at most MaxBatchWait, after the longest Retry-After, up to MaxRetries times.
func (c *Client) inRounds(ctx context.Context, n int, send func(chunk []int), errOf func(i int) error) {
	todo := make([]int, n)
	for i := range todo {
		todo[i] = i
	}
	for round := 0; len(todo) > 0; round++ {
		var wg sync.WaitGroup
		for start := 0; start < len(todo); start += c.opts.BatchSize {
			chunk := todo[start:min(start+c.opts.BatchSize, len(todo))]
			wg.Go(func() { send(chunk) })
		}
		wg.Wait()
		var again []int
		var wait time.Duration
		for _, i := range todo {
			var thr *outlooksync.ThrottledError
			if errors.As(errOf(i), &thr) && thr.RetryAfter <= c.opts.MaxBatchWait {
				again = append(again, i)
				wait = max(wait, thr.RetryAfter)
			}
		}
		if len(again) == 0 || round >= c.opts.MaxRetries {
			return
		}
		if err := sleep(ctx, wait); err != nil {
			return // the throttled results stay as they are
		}
		todo = again
	}
}

// sendBatch sends one $batch and records the result of each of its operations.
func (c *Client) sendBatch(ctx context.Context, ops []outlooksync.Op, idx []int, results []outlooksync.OpResult) {
	batch := msgraphcore.NewBatchRequest(c.adapter)
	byItem := map[string]int{}
	var sent []int
	for _, i := range idx {
		info, err := c.requestInfo(ctx, ops[i])
		if err != nil {
			results[i] = outlooksync.OpResult{Err: err}
			continue
		}
		item, err := batch.AddBatchRequestStep(*info)
		if err != nil {
			results[i] = outlooksync.OpResult{Err: fmt.Errorf("graph %s: %w", ops[i].Kind, err)}
			continue
		}
		byItem[deref(item.GetId())] = i
		sent = append(sent, i)
	}
	if len(sent) == 0 {
		return
	}
	release, err := c.acquire(ctx, min(len(sent), c.opts.BatchParallelism))
	if err != nil {
		for _, i := range sent {
			results[i] = outlooksync.OpResult{Err: err}
		}
		return
	}
	resp, err := batch.Send(ctx, c.adapter)
	release()
	if err != nil {
		err = mapError("batch", err)
		for _, i := range sent {
			results[i] = outlooksync.OpResult{Err: err}
		}
		return
	}
	answered := map[int]bool{}
	for _, item := range resp.GetResponses() {
		i, ok := byItem[deref(item.GetId())]
		if !ok {
			continue
		}
		answered[i] = true
		results[i] = c.opResult(ops[i], item)
	}
	for _, i := range sent {
		if !answered[i] {
			results[i] = outlooksync.OpResult{Err: fmt.Errorf("graph %s: the $batch answer has no response for this request", ops[i].Kind)}
		}
	}
}

// requestInfo builds the request of one operation with the SDK's request builders.
func (c *Client) requestInfo(ctx context.Context, op outlooksync.Op) (*abs.RequestInformation, error) {
	h := headers()
	if op.Kind != outlooksync.OpCreate && op.ID == "" {
		return nil, fmt.Errorf("graph %s: no event id", op.Kind)
	}
	if op.IfMatch != "" && (op.Kind == outlooksync.OpUpdate || op.Kind == outlooksync.OpDelete) {
		tag := op.IfMatch
		if !strings.HasPrefix(tag, `W/"`) && !strings.HasPrefix(tag, `"`) {
			tag = `W/"` + tag + `"`
		}
		h.Add("If-Match", tag)
	}
	if c.calendar != "" {
		return c.calendarRequestInfo(ctx, op, h)
	}
	item := c.me.Events().ByEventId(op.ID)
	switch op.Kind {
	case outlooksync.OpCreate:
		body, err := c.eventBody(op.Write, true)
		if err != nil {
			return nil, err
		}
		return c.me.Events().ToPostRequestInformation(ctx, body, &users.ItemEventsRequestBuilderPostRequestConfiguration{Headers: h})
	case outlooksync.OpUpdate:
		body, err := c.eventBody(op.Write, false)
		if err != nil {
			return nil, err
		}
		return item.ToPatchRequestInformation(ctx, body, &users.ItemEventsEventItemRequestBuilderPatchRequestConfiguration{Headers: h})
	case outlooksync.OpDelete:
		return item.ToDeleteRequestInformation(ctx, &users.ItemEventsEventItemRequestBuilderDeleteRequestConfiguration{Headers: h})
	case outlooksync.OpCancel:
		body := users.NewItemEventsItemCancelPostRequestBody()
		comment := op.Comment
		body.SetComment(&comment)
		return item.Cancel().ToPostRequestInformation(ctx, body, &users.ItemEventsItemCancelRequestBuilderPostRequestConfiguration{Headers: h})
	case outlooksync.OpRespond:
		return c.respondInfo(ctx, item, op, h)
	}
	return nil, fmt.Errorf("graph: unknown operation %q", op.Kind)
}

func (c *Client) respondInfo(ctx context.Context, item *users.ItemEventsEventItemRequestBuilder, op outlooksync.Op, h *abs.RequestHeaders) (*abs.RequestInformation, error) {
	comment, send := op.Comment, op.SendResponse
	switch op.Response {
	case "accepted", "accept":
		body := users.NewItemEventsItemAcceptPostRequestBody()
		body.SetComment(&comment)
		body.SetSendResponse(&send)
		return item.Accept().ToPostRequestInformation(ctx, body, &users.ItemEventsItemAcceptRequestBuilderPostRequestConfiguration{Headers: h})
	case "tentativelyAccepted", "tentativelyAccept":
		body := users.NewItemEventsItemTentativelyAcceptPostRequestBody()
		body.SetComment(&comment)
		body.SetSendResponse(&send)
		return item.TentativelyAccept().ToPostRequestInformation(ctx, body, &users.ItemEventsItemTentativelyAcceptRequestBuilderPostRequestConfiguration{Headers: h})
	case "declined", "decline":
		body := users.NewItemEventsItemDeclinePostRequestBody()
		body.SetComment(&comment)
		body.SetSendResponse(&send)
		return item.Decline().ToPostRequestInformation(ctx, body, &users.ItemEventsItemDeclineRequestBuilderPostRequestConfiguration{Headers: h})
	}
	return nil, fmt.Errorf("graph respond: %q is not accepted, tentativelyAccepted or declined", op.Response)
}

// opResult reads one answer of a $batch.
func (c *Client) opResult(op outlooksync.Op, item msgraphcore.BatchItem) outlooksync.OpResult {
	status := int(deref(item.GetStatus()))
	body := item.GetBody()
	if status >= 400 || status < 200 {
		return outlooksync.OpResult{Err: c.batchError(string(op.Kind), status, item.GetHeaders(), body)}
	}
	if len(body) == 0 || (op.Kind != outlooksync.OpCreate && op.Kind != outlooksync.OpUpdate) {
		return outlooksync.OpResult{}
	}
	data, err := json.Marshal(map[string]any(body))
	if err != nil {
		return outlooksync.OpResult{Err: fmt.Errorf("graph %s: re-encode the answer: %w", op.Kind, err)}
	}
	v, err := decode(data, models.CreateEventFromDiscriminatorValue)
	if err != nil {
		return outlooksync.OpResult{Err: fmt.Errorf("graph %s: %w", op.Kind, err)}
	}
	ev, ok := v.(models.Eventable)
	if !ok {
		return outlooksync.OpResult{Err: fmt.Errorf("graph %s: the answer is not an event", op.Kind)}
	}
	r := c.remoteEvent(ev)
	return outlooksync.OpResult{Event: &r}
}

// batchError turns a failed inner answer into our errors; the SDK's retry handler never sees
// inside a $batch, so a throttled request is reported with its own Retry-After.
func (c *Client) batchError(op string, status int, hdr msgraphcore.RequestHeader, body msgraphcore.RequestBody) error {
	var wait time.Duration
	for k, v := range hdr {
		if strings.EqualFold(k, "Retry-After") {
			wait = parseRetryAfter(v)
		}
	}
	e := &Error{Op: op, Status: status}
	if inner, ok := body["error"].(map[string]any); ok {
		e.Code, _ = inner["code"].(string)
		e.Message, _ = inner["message"].(string)
	}
	if status == http.StatusFailedDependency && e.Code == "" {
		e.Code = "FailedDependency"
	}
	kind := classifyStatus(status, e.Code, wait)
	var thr *outlooksync.ThrottledError
	if errors.As(kind, &thr) {
		return thr
	}
	e.kind = kind
	return e
}

// sleep waits d unless ctx ends first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
