package outlooksync

import "context"

// Tick runs one scheduling round, for tests.
func Tick(s *Scheduler, ctx context.Context) { s.tick(ctx) }
