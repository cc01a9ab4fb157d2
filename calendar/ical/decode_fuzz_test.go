package ical

import (
	"bytes"
	"os"
	"testing"
	"time"
)

// FuzzRead feeds the importer arbitrary files: it refuses or reads them, item by item, and
// never panics; what it reads makes an event or is refused with a reason.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"testdata/outlook.ics", "testdata/google.ics"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTART:20260101T100000Z\r\nDURATION:P1W2DT3H\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		items, err := Read(bytes.NewReader(data), time.UTC)
		if err != nil {
			return
		}
		for _, it := range items {
			if it.Refused != "" {
				continue
			}
			if it.Digest == "" {
				t.Fatalf("an item read without a digest: %+v", it)
			}
			_, _ = it.Event(1, 7)
		}
	})
}
