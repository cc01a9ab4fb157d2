package outlooksync

import "context"

// Tick runs one scheduling round, for tests.
func Tick(s *Scheduler, ctx context.Context) { s.tick(ctx) }

// Due reports whether the scheduler would sync the user now (its backoff has passed).
func Due(s *Scheduler, uid int64) bool { return s.due(uid) }
