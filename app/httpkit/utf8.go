package httpkit

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"
)

// InvalidUTF8Field finds the field of a JSON body that holds invalid UTF-8, such as
// "invitees[1].email" ("" for the body itself), and reports whether there is one. The JSON
// decoder would silently turn such bytes into U+FFFD, storing text the person never sent.
func InvalidUTF8Field(data []byte) (string, bool) {
	if utf8.Valid(data) {
		return "", false
	}
	bad := int64(0)
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n <= 1 {
			bad = int64(i)
			break
		}
		i += n
	}
	type frame struct {
		object  bool
		wantKey bool
		key     string
		index   int
	}
	var stack []*frame
	path := func() string {
		var b bytes.Buffer
		for _, f := range stack {
			if f.object {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			} else {
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			}
		}
		return b.String()
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		from := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return path(), true
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		isKey := top != nil && top.object && top.wantKey && tok != json.Delim('}')
		if isKey {
			top.key, top.wantKey = tok.(string), false
			if from <= bad && bad < dec.InputOffset() {
				return path(), true
			}
			continue
		}
		switch tok {
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].wantKey = true
			}
			continue
		}
		if top != nil && !top.object {
			top.index++
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{object: true, wantKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{index: -1})
			continue
		}
		if from <= bad && bad < dec.InputOffset() {
			return path(), true
		}
		if top != nil && top.object {
			top.wantKey = true
		}
	}
}
