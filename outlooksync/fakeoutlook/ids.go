package fakeoutlook

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Event ids look like Exchange's immutable ids: URL-safe base64 with '='
// padding, so they exercise percent-encoding in paths the way real ids do.
// A master or single is a kind byte and 69 random bytes (96 characters ending
// in "=="). An occurrence id embeds its master's random part and its original
// start, so it is stable, decodable and turns into the exception's id when
// the occurrence is changed, as in Exchange.
const (
	idKindEvent      = 0x01
	idKindOccurrence = 0x02
	idRandomLen      = 69
)

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return b
}

func newEventID() string {
	return base64.URLEncoding.EncodeToString(append([]byte{idKindEvent}, randomBytes(idRandomLen)...))
}

// occurrenceID is the id of the occurrence of master that the pattern
// generated at originalStart.
func occurrenceID(masterID string, originalStart time.Time) string {
	raw, err := base64.URLEncoding.DecodeString(masterID)
	if err != nil || len(raw) != 1+idRandomLen {
		return ""
	}
	b := make([]byte, 0, 1+idRandomLen+8+2)
	b = append(b, idKindOccurrence)
	b = append(b, raw[1:]...)
	b = binary.BigEndian.AppendUint64(b, uint64(originalStart.Unix()))
	b = append(b, 0, 0)
	return base64.URLEncoding.EncodeToString(b)
}

// parseOccurrenceID returns the master id and original start an occurrence
// id stands for.
func parseOccurrenceID(id string) (masterID string, originalStart time.Time, ok bool) {
	raw, err := base64.URLEncoding.DecodeString(id)
	if err != nil || len(raw) != 1+idRandomLen+8+2 || raw[0] != idKindOccurrence {
		return "", time.Time{}, false
	}
	master := append([]byte{idKindEvent}, raw[1:1+idRandomLen]...)
	secs := int64(binary.BigEndian.Uint64(raw[1+idRandomLen:]))
	return base64.URLEncoding.EncodeToString(master), time.Unix(secs, 0).UTC(), true
}

// newGUID returns a random version 4 UUID, the shape of Entra object and
// tenant ids.
func newGUID() string {
	b := randomBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// globalObjectIDPrefix is the fixed class id that starts every Exchange
// GlobalObjectId, which Graph exposes as iCalUId.
const globalObjectIDPrefix = "040000008200E00074C5B7101A82E008"

// newICalUID returns a GlobalObjectId-shaped iCalUId: class id, four zero
// bytes where an occurrence's date goes, creation time, reserved bytes, the
// size of the data and 16 random bytes.
func newICalUID(created time.Time) string {
	var ft [8]byte
	binary.LittleEndian.PutUint64(ft[:], uint64(created.UnixNano()/100)+116444736000000000)
	return strings.ToUpper(globalObjectIDPrefix + "00000000" + hex.EncodeToString(ft[:]) +
		"0000000000000000" + "10000000" + hex.EncodeToString(randomBytes(16)))
}

// occurrenceICalUID writes an occurrence's date into a series' iCalUId, as
// Exchange does for the GlobalObjectId of an instance.
func occurrenceICalUID(seriesUID string, date time.Time) string {
	if len(seriesUID) < 40 {
		return seriesUID
	}
	d := fmt.Sprintf("%04X%02X%02X", date.Year(), int(date.Month()), date.Day())
	return seriesUID[:32] + d + seriesUID[40:]
}

func newChangeKey() string {
	return base64.StdEncoding.EncodeToString(randomBytes(21))
}

// newOpaqueToken returns a random URL-safe token of n random bytes.
func newOpaqueToken(n int) string {
	return base64.RawURLEncoding.EncodeToString(randomBytes(n))
}
