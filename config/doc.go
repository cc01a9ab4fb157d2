// Package config reads the program's configuration once, from CALENDAR_* environment variables,
// into one typed Config that is validated and then passed by value. Nothing here is global:
// Load takes the environment as a lookup function so that tests (and flags that mirror the
// variables) can supply their own.
//
// Bad configuration stops start-up with an error that names the variable. The secret key is
// never printed: SecretKey formats as "[redacted]" and Config logs without it.
package config
