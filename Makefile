# The two commands most people need: `make run` and `make test`.
GO       ?= go
FUZZTIME ?= 10s

.PHONY: build run reset test fuzz-short bench bench-http lint

build:
	$(GO) build -o bin/calendar .

# Serve on a local SQLite database in data/ with demo users and events; the program prints
# the address and the demo logins. The fake Outlook runs beside it on FAKE_OUTLOOK, with a
# mailbox for each demo user, and the System Properties name its fixed demo app (see
# docs/fake-outlook.md), so "Connect to Outlook" works with no Microsoft account; its pages
# at http://FAKE_OUTLOOK/outlook/ let you act as the Outlook user. Stopping the app (Ctrl+C)
# stops the fake too. Both keep their data in data/ (the fake in FAKE_STATE), so a second
# `make run` goes on where the first stopped; `make reset` starts afresh.
FAKE_OUTLOOK   ?= 127.0.0.1:9090
FAKE_STATE     ?= data/fakeoutlook.json
DEMO_MAILBOXES ?= admin@example.com,alice@example.com,bob@example.com,carol@example.com,dave@example.com
run: build
	@set -e; \
	export CALENDAR_DB=sqlite:data/calendar.db CALENDAR_DATA_DIR=data \
		CALENDAR_MS_LOGIN_URL=http://$(FAKE_OUTLOOK) CALENDAR_MS_GRAPH_URL=http://$(FAKE_OUTLOOK); \
	mkdir -p data; \
	bin/calendar fakeoutlook --addr $(FAKE_OUTLOOK) --demo --demo-zone Europe/Berlin --demo-users $(DEMO_MAILBOXES) \
		--admin-consent Calendars.ReadWrite,Contacts.ReadWrite --state $(FAKE_STATE) & fake=$$!; \
	trap 'kill $$fake 2>/dev/null || true; wait $$fake 2>/dev/null || true' EXIT INT TERM; \
	bin/calendar property set EnableThirdPartyCalendarSync true; \
	bin/calendar property set OutlookApiClientID 8f0c2a71-5d3e-4b6a-9c1f-2e7d4a6b9c30; \
	printf '%s\n' 'fake8Q~outlook-demo-secret-not-a-real-one' | bin/calendar property set OutlookApiClientSecret -; \
	bin/calendar property set SAMLTenantID 3c9d1e5f-7a2b-4c8d-9e0f-1a2b3c4d5e6f; \
	bin/calendar property set MicrosoftSignIn true; \
	bin/calendar serve --demo

# Forget the demo: the app's database in data/ (people, events, Outlook connections) and the
# fake Outlook's state file, so that the next `make run` seeds both afresh. The secret key in
# data/ stays. Stop `make run` first.
reset:
	rm -f data/calendar.db data/calendar.db-wal data/calendar.db-shm data/calendar.db-journal $(FAKE_STATE)

# The whole suite, on SQLite and on a throwaway PostgreSQL that .ci/test-deps installs and
# starts (and that is stopped again whatever the outcome).
test:
	@set -e; \
	deps=$$(.ci/test-deps) || exit 1; \
	eval "$$deps"; \
	trap '.ci/test-deps stop "$${CALENDAR_TEST_PGDIR:-}"' EXIT; \
	export CALENDAR_TEST_POSTGRES; \
	$(GO) test -race -count=1 ./...

# Every fuzz target for FUZZTIME each (go test runs one target per invocation). A failing input
# is written to testdata/fuzz/<target>/ and fails the run. Go 1.26's fuzzing coordinator can
# also fail a target at the end of FUZZTIME with a bare "context deadline exceeded" and no
# input written (golang/go#75804, fixed in Go 1.27): such a run, and only such a run, is
# repeated once.
fuzz-short:
	@set -e; \
	for file in $$(grep -rl --include='*_test.go' '^func Fuzz' .); do \
		dir=$$(dirname "$$file"); \
		for name in $$(sed -n 's/^func \(Fuzz[A-Za-z0-9_]*\).*/\1/p' "$$file"); do \
			echo "fuzz $$dir $$name ($(FUZZTIME))"; \
			corpus="$$dir/testdata/fuzz/$$name"; \
			before=$$(ls "$$corpus" 2>/dev/null | wc -l); \
			if ! $(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) "./$$dir"; then \
				if [ "$$(ls "$$corpus" 2>/dev/null | wc -l)" != "$$before" ]; then exit 1; fi; \
				echo "fuzz $$dir $$name: failed with no input written (golang/go#75804): once more"; \
				$(GO) test -run='^$$' -fuzz="^$$name\$$" -fuzztime=$(FUZZTIME) "./$$dir"; \
			fi; \
		done; \
	done

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./...

# Requests per second and p50/p99 latency of the month view page and the occurrences API for a
# person with 200 series, 16 keep-alive clients on loopback (docs/benchmarks.md).
bench-http:
	$(GO) test -run='^$$' -bench='HTTP' -benchtime=10s ./app

lint:
	@out=$$(gofmt -l .); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
