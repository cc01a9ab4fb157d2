package fakeoutlook

import (
	"fmt"
	"net/http"
)

// opError is a failed operation with the status and Graph error code that
// Graph answers.
type opError struct {
	status int
	code   string
	msg    string
}

func (e *opError) Error() string { return fmt.Sprintf("%d %s: %s", e.status, e.code, e.msg) }

func (e *opError) response() response { return errorResponse(e.status, e.code, e.msg) }

func errNotFound() *opError {
	return &opError{status: http.StatusNotFound, code: "ErrorItemNotFound", msg: "The specified object was not found in the store."}
}

func errInvalidRequest(msg string) *opError {
	return &opError{status: http.StatusBadRequest, code: "ErrorInvalidRequest", msg: msg}
}
