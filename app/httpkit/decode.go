package httpkit

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// maxBody is the largest request body the API reads.
const maxBody = 1 << 20

// DecodeStrict reads one JSON value into dst, refusing unknown fields, wrong types, trailing
// data and bodies over maxBody, each with a 4xx that names the problem.
func DecodeStrict(r io.Reader, dst any) error {
	data, err := io.ReadAll(io.LimitReader(r, maxBody+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "The request body is larger than 1 MiB.")
		}
		return echo.NewHTTPError(http.StatusBadRequest, "The request body could not be read.")
	}
	if len(data) > maxBody {
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "The request body is larger than 1 MiB.")
	}
	return DecodeBytes(data, dst)
}

// DecodeBytes is DecodeStrict on a body already read; the fuzz target calls it.
func DecodeBytes(data []byte, dst any) error {
	if len(bytes.TrimSpace(data)) == 0 {
		return echo.NewHTTPError(http.StatusBadRequest, "The request body is empty: send a JSON object.")
	}
	if field, bad := InvalidUTF8Field(data); bad {
		if field == "" {
			return echo.NewHTTPError(http.StatusBadRequest, "The request body is not valid UTF-8.")
		}
		return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf("Field %q is not valid UTF-8 text.", field))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return echo.NewHTTPError(http.StatusBadRequest, "Malformed JSON: unexpected data after the object.")
	}
	return nil
}

// jsonProblem turns a decoding error into a message that names the problem.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("Malformed JSON at byte %d.", syn.Offset)
	case errors.As(err, &typ):
		if typ.Field != "" {
			return fmt.Sprintf("Field %q must be %s, not %s.", typ.Field, kindName(typ.Type.Kind().String()), typ.Value)
		}
		return fmt.Sprintf("The body must be a JSON object, not %s.", typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return "Malformed JSON: the body ends too early."
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return "Unknown field " + strings.TrimPrefix(err.Error(), "json: unknown field ") + "."
	}
	return "Malformed JSON."
}

func kindName(k string) string {
	switch k {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "int", "int64", "int32":
		return "a whole number"
	case "slice":
		return "a list"
	case "struct", "map", "ptr":
		return "an object"
	}
	return "of another type"
}
