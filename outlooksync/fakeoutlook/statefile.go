package fakeoutlook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// A state file keeps the fake's mailboxes and tokens across restarts (state.go says what is
// kept). It is JSON, written whole to a temporary file beside it and renamed over it, so a
// crash leaves the old file or the new one, never half of one.

// ErrStateFileVersion is the error of a state file of another version of the format.
var ErrStateFileVersion = errors.New("the state file has another version")

// encodeState is the state as the file holds it.
func (s *Server) encodeState() ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	// Encoded under the lock: the snapshot shares maps and slices with the live state.
	data, err := json.MarshalIndent(s.snapshotStateLocked(), "", " ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// SaveState writes the fake's state to path, atomically.
func (s *Server) SaveState(path string) error {
	data, err := s.encodeState()
	if err != nil {
		return fmt.Errorf("fakeoutlook: encode state: %w", err)
	}
	return writeFileAtomic(path, data)
}

// LoadState loads a state file written by SaveState into a server that has no mailbox yet.
// A missing file is an error that wraps fs.ErrNotExist; a file that is not a state file, or
// is of another version (ErrStateFileVersion), or whose content the fake cannot use, is an
// error naming the file, and nothing is loaded.
func (s *Server) LoadState(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("fakeoutlook: read state file: %w", err)
	}
	var head struct {
		Format  string `json:"format"`
		Version int    `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil || head.Format != stateFormat {
		if err == nil {
			err = fmt.Errorf("format %q, want %q", head.Format, stateFormat)
		}
		return fmt.Errorf("fakeoutlook: %s is not a fake Outlook state file: %v", path, err)
	}
	if head.Version != stateVersion {
		return fmt.Errorf("fakeoutlook: state file %s: %w: version %d, this fake reads version %d (move the file away to start afresh)",
			path, ErrStateFileVersion, head.Version, stateVersion)
	}
	var st stateFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		return fmt.Errorf("fakeoutlook: state file %s is damaged: %v", path, err)
	}
	ls, err := s.fromState(st)
	if err != nil {
		return fmt.Errorf("fakeoutlook: state file %s: %v", path, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.mailboxes) > 0 {
		return fmt.Errorf("fakeoutlook: state file %s: the fake has mailboxes already; load the state first", path)
	}
	s.mailboxes, s.byEmail, s.access, s.refresh, s.syncs = ls.mailboxes, ls.byEmail, ls.access, ls.refresh, ls.syncs
	s.consents = ls.consents
	s.subs = ls.subs
	return nil
}

// writeFileAtomic writes data to a temporary file in path's directory and renames it to path.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("fakeoutlook: save state: %w", err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, path)
	}
	if werr != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("fakeoutlook: save state to %s: %w", path, werr)
	}
	// The rename is durable once the directory is; not every system can sync one.
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}

// stateSaver writes the state file shortly after requests, and once more when it stops. Any
// request may change the state (a delta round issues a token, a sign-in a refresh token), so
// every one schedules a save; saves of a burst are coalesced, and a state that encodes to the
// bytes last written is not written again.
type stateSaver struct {
	s     *Server
	path  string
	delay time.Duration
	log   *slog.Logger
	kick  chan struct{}
	last  []byte
}

func newStateSaver(s *Server, path string, log *slog.Logger) *stateSaver {
	return &stateSaver{s: s, path: path, delay: 200 * time.Millisecond, log: log, kick: make(chan struct{}, 1)}
}

// wrap schedules a save after each request h serves.
func (v *stateSaver) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer v.schedule()
		h.ServeHTTP(w, r)
	})
}

func (v *stateSaver) schedule() {
	select {
	case v.kick <- struct{}{}:
	default: // a save is due already
	}
}

// save writes the state if it changed since the last save.
func (v *stateSaver) save() error {
	data, err := v.s.encodeState()
	if err != nil {
		return fmt.Errorf("fakeoutlook: encode state: %w", err)
	}
	if bytes.Equal(data, v.last) {
		return nil
	}
	if err := writeFileAtomic(v.path, data); err != nil {
		return err
	}
	v.last = data
	return nil
}

// run saves after each scheduled request until ctx is done. The caller saves once more
// after the last request (save), so nothing is lost on shutdown.
func (v *stateSaver) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-v.kick:
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(v.delay):
		}
		if err := v.save(); err != nil {
			v.log.Error("fake outlook: saving the state failed", "err", err)
		}
	}
}
