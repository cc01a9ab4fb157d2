package fakeoutlook

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"time"
)

// response is what a Graph handler answers. It is written to the wire by
// writeResponse, or embedded in a $batch answer, so handlers never touch a
// ResponseWriter.
type response struct {
	status int
	header http.Header
	body   any // nil: no body; *graphError: Graph's error shape
}

// graphError is the body of a Graph error; innerError is filled in when the
// response is written, since it carries the request's ids.
type graphError struct {
	Code    string
	Message string
}

// errorResponse builds an error in Graph's format
// ({"error":{"code","message","innerError"}}).
func errorResponse(status int, code, message string) response {
	return response{status: status, body: &graphError{Code: code, Message: message}}
}

func jsonResponse(status int, body any) response {
	return response{status: status, body: body}
}

func noContent(status int) response { return response{status: status} }

func (r *response) setHeader(k, v string) {
	if r.header == nil {
		r.header = http.Header{}
	}
	r.header.Set(k, v)
}

// throttled is Graph's 429 with Retry-After in seconds.
func throttled(retryAfter time.Duration, message string) response {
	r := errorResponse(http.StatusTooManyRequests, "ApplicationThrottled", message)
	r.setHeader("Retry-After", retryAfterSeconds(retryAfter))
	return r
}

// retryAfterSeconds renders a Retry-After header: whole seconds, rounded up.
func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(int((d + time.Second - 1) / time.Second))
}

// requestIDs are the ids Graph echoes in headers and in innerError.
type requestIDs struct {
	requestID       string
	clientRequestID string
}

// bodyBytes renders a response body. Graph content is JSON with the OData
// parameters that Graph puts in its Content-Type.
func (r response) bodyBytes(ids requestIDs, now time.Time) ([]byte, string) {
	switch b := r.body.(type) {
	case nil:
		return nil, ""
	case *graphError:
		inner := orderedObject{}
		inner.add("date", now.UTC().Format("2006-01-02T15:04:05"))
		inner.add("request-id", ids.requestID)
		inner.add("client-request-id", ids.clientRequestID)
		e := orderedObject{}
		e.add("code", b.Code)
		e.add("message", b.Message)
		e.add("innerError", inner)
		out := orderedObject{}
		out.add("error", e)
		data, _ := marshalJSON(out)
		return data, "application/json"
	case rawBody:
		return b.data, b.contentType
	default:
		data, err := marshalJSON(b)
		if err != nil {
			data, _ = json.Marshal(map[string]any{"error": map[string]string{"code": "InternalServerError", "message": err.Error()}})
		}
		return data, "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"
	}
}

// rawBody is a non-JSON body, such as a sign-in page.
type rawBody struct {
	contentType string
	data        []byte
}

// orderedObject is a JSON object that keeps its keys in the order Graph
// writes them, which makes responses read like Microsoft's examples and lets
// $select drop keys.
type orderedObject []field

type field struct {
	key   string
	value any
}

func (o *orderedObject) add(key string, value any) { *o = append(*o, field{key, value}) }

func (o orderedObject) get(key string) (any, bool) {
	for _, f := range o {
		if f.key == key {
			return f.value, true
		}
	}
	return nil, false
}

func (o orderedObject) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			buf.WriteByte(',')
		}
		k, _ := marshalJSON(f.key)
		buf.Write(k)
		buf.WriteByte(':')
		v, err := marshalJSON(f.value)
		if err != nil {
			return nil, err
		}
		buf.Write(v)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// marshalJSON encodes like Graph: '&', '<' and '>' stay as they are (Go
// would write \u0026, which clients decode alike but which reads badly in
// next links).
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
