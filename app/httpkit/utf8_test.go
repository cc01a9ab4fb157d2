package httpkit

import (
	"testing"
)

func TestInvalidUTF8FieldNamesTheField(t *testing.T) {
	for _, tc := range []struct {
		body, field string
		bad         bool
	}{
		{`{"title":"ok"}`, "", false},
		{"{\"title\":\"a\xffb\"}", "title", true},
		{"{\"title\":\"ok\",\"description\":\"\xc3\"}", "description", true},
		{"{\"title\":\"ok\",\"invitees\":[{\"email\":\"a@x\"},{\"email\":\"b\xfe@x\"}]}", "invitees[1].email", true},
		{"{\"nested\":{\"a\":[1,2,{\"b\":\"\xff\"}]}}", "nested.a[2].b", true},
		{"\xff{}", "", true},
	} {
		field, bad := InvalidUTF8Field([]byte(tc.body))
		if bad != tc.bad || field != tc.field {
			t.Errorf("%q: got (%q, %v), want (%q, %v)", tc.body, field, bad, tc.field, tc.bad)
		}
	}
}
