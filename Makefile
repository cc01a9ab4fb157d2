# The two commands most people need: `make run` and `make test`.
GO       ?= go
FUZZTIME ?= 10s

.PHONY: build run test fuzz-short bench lint

build:
	$(GO) build -o bin/calendar .

# Serve on a local SQLite database in data/ with demo users and events; the program prints
# the address and the demo logins.
run: build
	CALENDAR_DB=sqlite:data/calendar.db CALENDAR_DATA_DIR=data bin/calendar serve --demo

# The whole suite, on SQLite and on a throwaway PostgreSQL that .ci/test-deps installs and
# starts (and that is stopped again whatever the outcome).
test:
	@set -e; \
	deps=$$(.ci/test-deps) || exit 1; \
	eval "$$deps"; \
	trap '.ci/test-deps stop "$${CALENDAR_TEST_PGDIR:-}"' EXIT; \
	export CALENDAR_TEST_POSTGRES; \
	$(GO) test -race -count=1 ./...

# Every fuzz target for FUZZTIME each (go test runs one target per invocation).
fuzz-short:
	@set -e; \
	for file in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
		dir=$$(dirname "$$file"); \
		for name in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/p' "$$file"); do \
			echo "fuzz $$dir $$name ($(FUZZTIME))"; \
			$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) "./$$dir"; \
		done; \
	done

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
