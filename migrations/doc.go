// Package migrations owns the database schema: it opens the database for one of the three
// supported dialects (SQLite, PostgreSQL, SQL Server) and applies versioned, forward-only
// schema changes, each in its own transaction, recording them in schema_migrations.
//
// A migration never uses the application's live structs: it declares frozen copies of the rows
// as they were when it was written, so that an old step keeps its meaning when the structs
// change later. Migrations build DDL only through gorm's migrator (no dialect SQL), and never
// branch on what they read, so that their SQL Server DDL can be rendered by a dry run and
// checked against testdata/sqlserver.golden.sql.
package migrations
