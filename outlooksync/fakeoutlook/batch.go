package fakeoutlook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// $batch, after concepts/json-batching.md: up to 20 requests with relative
// URLs, dependsOn for ordering, a status per request, 424 Failed Dependency
// for the dependants of a failed request, answers in no particular order.
// Each inner request is logged, faulted and throttled on its own; Graph
// sends up to four of them to Outlook at a time (Quirks.BatchParallelism),
// each counting against its mailbox's concurrency limit, so a batch sent
// while other requests for the mailbox are running gets inner 429s.

const maxBatchRequests = 20

type batchItem struct {
	ID        string            `json:"id"`
	Method    string            `json:"method"`
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers"`
	Body      json.RawMessage   `json:"body"`
	DependsOn []string          `json:"dependsOn"`
}

type batchAnswer struct {
	ID      string            `json:"id"`
	Status  int               `json:"status"`
	Headers map[string]string `json:"headers"`
	Body    json.RawMessage   `json:"body,omitempty"`
}

func batchError(msg string) response {
	return errorResponse(http.StatusBadRequest, "BadRequest", msg)
}

func (s *Server) serveBatch(ctx context.Context, call graphCall) response {
	p := &prepared{call: call, route: route{endpoint: EndpointBatch}}
	s.mu.Lock()
	tok, user, errResp, ok := s.authenticateLocked(call.header)
	s.mu.Unlock()
	if !ok {
		s.recordCall(call, p, errResp.status)
		return errResp
	}
	p.token, p.user, p.target = tok, user, user
	resp := s.runBatch(ctx, p)
	s.recordCall(call, p, resp.status)
	return resp
}

func (s *Server) runBatch(ctx context.Context, p *prepared) response {
	if p.call.method != http.MethodPost {
		return errorResponse(http.StatusMethodNotAllowed, "BadRequest", "$batch only accepts POST.")
	}
	if f := s.applyFaults(ctx, p); f.resp != nil {
		return *f.resp
	}
	var req struct {
		Requests []batchItem `json:"requests"`
	}
	if err := json.Unmarshal(p.call.body, &req); err != nil {
		return batchError("Invalid batch payload format. " + err.Error())
	}
	if len(req.Requests) == 0 {
		return batchError("Invalid batch payload format: no requests.")
	}
	if len(req.Requests) > maxBatchRequests {
		return batchError(fmt.Sprintf("Limit of %d requests per batch exceeded.", maxBatchRequests))
	}
	byID := map[string]*batchItem{}
	for i := range req.Requests {
		it := &req.Requests[i]
		if it.ID == "" || it.Method == "" || it.URL == "" {
			return batchError("Invalid batch payload format: every request needs id, method and url.")
		}
		if byID[it.ID] != nil {
			return batchError(fmt.Sprintf("Invalid batch payload format: duplicate request id '%s'.", it.ID))
		}
		byID[it.ID] = it
	}
	for _, it := range req.Requests {
		for _, d := range it.DependsOn {
			if byID[d] == nil {
				return batchError(fmt.Sprintf("Invalid batch payload format: request '%s' depends on unknown request '%s'.", it.ID, d))
			}
		}
	}

	status := map[string]int{}
	var answers []batchAnswer
	pending := slices.Clone(req.Requests)
	for len(pending) > 0 {
		var ready, rest []batchItem
		for _, it := range pending {
			if allDone(it.DependsOn, status) {
				ready = append(ready, it)
			} else {
				rest = append(rest, it)
			}
		}
		if len(ready) == 0 {
			return batchError("Invalid batch payload format: the dependsOn of the requests form a cycle.")
		}
		var wave []batchItem
		for _, it := range ready {
			if failedDependency(it.DependsOn, status) {
				status[it.ID] = http.StatusFailedDependency
				answers = append(answers, failedAnswer(it.ID))
				continue
			}
			if len(wave) < s.opts.Quirks.BatchParallelism {
				wave = append(wave, it)
			} else {
				rest = append(rest, it)
			}
		}
		done := s.runWave(ctx, p, wave)
		for i := len(done) - 1; i >= 0; i-- { // answers in no particular order
			status[done[i].ID] = done[i].Status
			answers = append(answers, done[i])
		}
		pending = rest
	}
	return jsonResponse(http.StatusOK, map[string]any{"responses": answers})
}

func allDone(deps []string, status map[string]int) bool {
	for _, d := range deps {
		if status[d] == 0 {
			return false
		}
	}
	return true
}

func failedDependency(deps []string, status map[string]int) bool {
	for _, d := range deps {
		if status[d] >= 400 {
			return true
		}
	}
	return false
}

func failedAnswer(id string) batchAnswer {
	body, _ := json.Marshal(map[string]any{"error": map[string]string{
		"code": "FailedDependency", "message": "The request was not run because a request it depends on failed."}})
	return batchAnswer{ID: id, Status: http.StatusFailedDependency,
		Headers: map[string]string{"Content-Type": "application/json"}, Body: body}
}

// runWave runs requests that Graph would send to Outlook at the same time:
// all of them take their concurrency slot first, then run.
func (s *Server) runWave(ctx context.Context, outer *prepared, wave []batchItem) []batchAnswer {
	type running struct {
		it      batchItem
		p       *prepared
		release func()
		answer  *batchAnswer
	}
	var runs []*running
	for _, it := range wave {
		r := &running{it: it}
		runs = append(runs, r)
		call, err := innerCall(outer.call, it)
		if err != nil {
			a := s.answer(it.ID, errorResponse(http.StatusBadRequest, "BadRequest", err.Error()))
			r.answer = &a
			continue
		}
		p, errResp := s.prepare(call)
		if errResp != nil {
			s.recordCall(call, p, errResp.status)
			a := s.answer(it.ID, *errResp)
			r.answer = &a
			continue
		}
		release, ok := s.acquire(p.target)
		if !ok {
			resp := throttled(time.Second, "Application is over its MailboxConcurrency limit.")
			s.recordCall(call, p, resp.status)
			a := s.answer(it.ID, resp)
			r.answer = &a
			continue
		}
		r.p, r.release = p, release
	}
	var out []batchAnswer
	for _, r := range runs {
		if r.answer == nil {
			resp, _ := s.execute(ctx, r.p)
			s.recordCall(r.p.call, r.p, resp.status)
			a := s.answer(r.it.ID, resp)
			r.answer = &a
		}
		out = append(out, *r.answer)
	}
	for _, r := range runs {
		if r.release != nil {
			r.release()
		}
	}
	return out
}

// innerCall turns a batch item into a call, with the batch's credentials.
func innerCall(outer graphCall, it batchItem) (graphCall, error) {
	u, err := url.Parse(it.URL)
	if err != nil || u.IsAbs() || u.Host != "" {
		return graphCall{}, fmt.Errorf("invalid request url '%s': only URLs relative to the version are supported", it.URL)
	}
	path := u.EscapedPath()
	if !strings.HasPrefix(path, "/") {
		path = "/" + path
	}
	if strings.HasPrefix(strings.ToLower(path), "/v1.0/") || strings.EqualFold(strings.Trim(path, "/"), "$batch") {
		return graphCall{}, fmt.Errorf("invalid request url '%s': batch requests take URLs relative to the version, and cannot nest $batch", it.URL)
	}
	h := http.Header{}
	for k, v := range it.Headers {
		h.Set(k, v)
	}
	h.Set("Authorization", outer.header.Get("Authorization"))
	var body []byte
	if len(it.Body) > 0 && string(bytes.TrimSpace(it.Body)) != "null" {
		if h.Get("Content-Type") == "" {
			return graphCall{}, fmt.Errorf("the request '%s' has a body but no Content-Type header", it.ID)
		}
		body = it.Body
	}
	return graphCall{method: strings.ToUpper(it.Method), path: path, query: u.Query(), header: h,
		body: body, graphBase: outer.graphBase, inBatch: true}, nil
}

// answer renders an inner response for the batch body.
func (s *Server) answer(id string, resp response) batchAnswer {
	ids := requestIDs{requestID: newGUID()}
	ids.clientRequestID = ids.requestID
	data, contentType := resp.bodyBytes(ids, s.now())
	headers := map[string]string{}
	for k := range resp.header {
		headers[k] = resp.header.Get(k)
	}
	a := batchAnswer{ID: id, Status: resp.status, Headers: headers}
	if contentType != "" {
		// The SDK reads this key case-sensitively.
		headers["Content-Type"] = contentType
		a.Body = data
	}
	return a
}
