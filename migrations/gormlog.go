package migrations

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// slowQuery is the duration above which a statement is logged as a warning.
const slowQuery = 200 * time.Millisecond

// gormLogger sends gorm's messages to slog: failed statements and slow ones as warnings, every
// statement at debug level. "Record not found" is an answer, not a failure, and is not logged.
type gormLogger struct {
	log *slog.Logger
}

var _ logger.Interface = gormLogger{}

func newGormLogger(log *slog.Logger) gormLogger { return gormLogger{log: log.With("component", "db")} }

// LogMode is part of gorm's interface; the level is slog's business.
func (l gormLogger) LogMode(logger.LogLevel) logger.Interface { return l }

func (l gormLogger) Info(ctx context.Context, msg string, args ...any) {
	l.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}

func (l gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	l.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}

func (l gormLogger) Error(ctx context.Context, msg string, args ...any) {
	l.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}

func (l gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	took := time.Since(begin)
	switch {
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && !errors.Is(err, context.Canceled):
		sql, rows := fc()
		l.log.WarnContext(ctx, "query failed", "err", err, "sql", sql, "rows", rows, "took", took)
	case took > slowQuery:
		sql, rows := fc()
		l.log.WarnContext(ctx, "slow query", "sql", sql, "rows", rows, "took", took)
	case l.log.Enabled(ctx, slog.LevelDebug):
		sql, rows := fc()
		l.log.DebugContext(ctx, "query", "sql", sql, "rows", rows, "took", took)
	}
}

// ParamsFilter drops the values from logged statements: they hold password hashes, sealed
// tokens and people's event text, none of which belongs in a log.
func (gormLogger) ParamsFilter(_ context.Context, sql string, _ ...any) (string, []any) {
	return sql, nil
}
