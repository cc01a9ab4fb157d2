package fakeoutlook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	abstractions "github.com/microsoft/kiota-abstractions-go"
	"github.com/microsoft/kiota-abstractions-go/authentication"
	"github.com/microsoft/kiota-abstractions-go/serialization"
	jsonserialization "github.com/microsoft/kiota-serialization-json-go"
	textserialization "github.com/microsoft/kiota-serialization-text-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/models/odataerrors"
	"github.com/microsoftgraph/msgraph-sdk-go/users"
	"golang.org/x/oauth2"
)

// These tests drive the fake through the real Graph SDK (its users and
// models packages and the core's adapter, middleware, page iterator and
// batch), so that every response shape the fake sends is one the SDK
// parses. They deliberately avoid the SDK's root package, whose build is
// slow.

// tokenProvider gives the SDK tokens from an oauth2.TokenSource, for the
// allowed hosts only.
type tokenProvider struct {
	ts    oauth2.TokenSource
	hosts *authentication.AllowedHostsValidator
}

func (p *tokenProvider) GetAuthorizationToken(ctx context.Context, u *url.URL, _ map[string]any) (string, error) {
	if !p.hosts.IsUrlHostValid(u) {
		return "", nil
	}
	tok, err := p.ts.Token()
	if err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	return tok.AccessToken, nil
}

func (p *tokenProvider) GetAllowedHostsValidator() *authentication.AllowedHostsValidator {
	return p.hosts
}

// sdkAdapter signs a mailbox in with x/oauth2's password grant against the
// fake and returns a Graph request adapter with the SDK's default
// middleware (compression, retries, the /me rewrite).
func (f *fixture) sdkAdapter(email string) *msgraphcore.GraphRequestAdapterBase {
	f.t.Helper()
	// Without the SDK's root package nobody registers kiota's JSON and
	// text factories; registering again is harmless.
	abstractions.RegisterDefaultSerializer(func() serialization.SerializationWriterFactory {
		return jsonserialization.NewJsonSerializationWriterFactory()
	})
	abstractions.RegisterDefaultSerializer(func() serialization.SerializationWriterFactory {
		return textserialization.NewTextSerializationWriterFactory()
	})
	abstractions.RegisterDefaultDeserializer(func() serialization.ParseNodeFactory {
		return jsonserialization.NewJsonParseNodeFactory()
	})
	abstractions.RegisterDefaultDeserializer(func() serialization.ParseNodeFactory {
		return textserialization.NewTextParseNodeFactory()
	})

	conf := oauth2.Config{ClientID: DemoClientID, ClientSecret: DemoClientSecret,
		Endpoint: oauth2.Endpoint{TokenURL: f.srv.URL + "/organizations/oauth2/v2.0/token"},
		Scopes:   []string{"offline_access", "Calendars.ReadWrite", "User.Read"}}
	ctx := context.Background()
	tok, err := conf.PasswordCredentialsToken(ctx, email, "pw")
	if err != nil {
		f.t.Fatalf("password grant through x/oauth2: %v", err)
	}
	hosts, err := authentication.NewAllowedHostsValidatorErrorCheck([]string{"127.0.0.1"})
	if err != nil {
		f.t.Fatal(err)
	}
	auth := authentication.NewBaseBearerTokenAuthenticationProvider(&tokenProvider{ts: conf.TokenSource(ctx, tok), hosts: hosts})
	adapter, err := msgraphcore.NewGraphRequestAdapterBase(auth, msgraphcore.GraphClientOptions{GraphServiceVersion: "v1.0"})
	if err != nil {
		f.t.Fatal(err)
	}
	adapter.SetBaseUrl(f.srv.URL + "/v1.0")
	return adapter
}

// me is the path parameters of the SDK's Me() builders.
func me(extra ...string) map[string]string {
	p := map[string]string{"user%2Did": "me-token-to-replace"}
	for i := 0; i+1 < len(extra); i += 2 {
		p[extra[i]] = extra[i+1]
	}
	return p
}

func str(s string) *string { return &s }

func dtz(dateTime, zone string) models.DateTimeTimeZoneable {
	d := models.NewDateTimeTimeZone()
	d.SetDateTime(&dateTime)
	d.SetTimeZone(&zone)
	return d
}

// sdkWeeklySeries is a weekly Monday series of n occurrences from 6 January.
func sdkWeeklySeries(subject string, n int32) models.Eventable {
	ev := models.NewEvent()
	ev.SetSubject(&subject)
	ev.SetStart(dtz("2025-01-06T09:00:00", "W. Europe Standard Time"))
	ev.SetEnd(dtz("2025-01-06T09:30:00", "W. Europe Standard Time"))
	pattern := models.NewRecurrencePattern()
	weekly := models.WEEKLY_RECURRENCEPATTERNTYPE
	pattern.SetTypeEscaped(&weekly)
	one := int32(1)
	pattern.SetInterval(&one)
	pattern.SetDaysOfWeek([]models.DayOfWeek{models.MONDAY_DAYOFWEEK})
	rng := models.NewRecurrenceRange()
	numbered := models.NUMBERED_RECURRENCERANGETYPE
	rng.SetTypeEscaped(&numbered)
	rng.SetStartDate(serialization.NewDateOnly(time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)))
	rng.SetNumberOfOccurrences(&n)
	rec := models.NewPatternedRecurrence()
	rec.SetPattern(pattern)
	rec.SetRangeEscaped(rng)
	ev.SetRecurrence(rec)
	return ev
}

func odataError(t *testing.T, err error) (int, string) {
	t.Helper()
	var oe *odataerrors.ODataError
	if !errors.As(err, &oe) {
		t.Fatalf("error %v (%T) is not an ODataError", err, err)
	}
	return oe.ResponseStatusCode, *oe.GetErrorEscaped().GetCode()
}

func TestSDKCreatesAndReadsASeries(t *testing.T) {
	f := newFixture(t, Options{})
	adapter := f.sdkAdapter("ada@example.com")
	ctx := context.Background()

	created, err := users.NewItemEventsRequestBuilderInternal(me(), adapter).Post(ctx, sdkWeeklySeries("Sync", 4), nil)
	if err != nil {
		t.Fatalf("POST events through the SDK (gzipped body): %v", err)
	}
	if *created.GetTypeEscaped() != models.SERIESMASTER_EVENTTYPE || created.GetRecurrence() == nil ||
		*created.GetRecurrence().GetRangeEscaped().GetNumberOfOccurrences() != 4 ||
		*created.GetOriginalStartTimeZone() != "W. Europe Standard Time" {
		t.Fatalf("created %v %v", created.GetTypeEscaped(), created.GetOriginalStartTimeZone())
	}
	id := *created.GetId()

	item := users.NewItemEventsEventItemRequestBuilderInternal(me("event%2Did", id), adapter)
	start, end := "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z"
	inst, err := item.Instances().Get(ctx, &users.ItemEventsItemInstancesRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemEventsItemInstancesRequestBuilderGetQueryParameters{StartDateTime: &start, EndDateTime: &end}})
	if err != nil {
		t.Fatalf("instances: %v", err)
	}
	list := inst.GetValue()
	if len(list) != 4 {
		t.Fatalf("%d instances, want 4", len(list))
	}
	second := list[1]
	if second.GetOriginalStart() == nil || !second.GetOriginalStart().Equal(time.Date(2025, 1, 13, 8, 0, 0, 0, time.UTC)) ||
		*second.GetSeriesMasterId() != id || *second.GetTypeEscaped() != models.OCCURRENCE_EVENTTYPE {
		t.Fatalf("second instance: originalStart %v, type %v", second.GetOriginalStart(), second.GetTypeEscaped())
	}

	// The occurrence id holds '=' padding, which the SDK percent-encodes.
	if err := users.NewItemEventsEventItemRequestBuilderInternal(me("event%2Did", *second.GetId()), adapter).Delete(ctx, nil); err != nil {
		t.Fatalf("delete occurrence: %v", err)
	}
	master, err := item.Get(ctx, &users.ItemEventsEventItemRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemEventsEventItemRequestBuilderGetQueryParameters{Select: []string{"subject", "recurrence", "cancelledOccurrences"}}})
	if err != nil {
		t.Fatalf("get master: %v", err)
	}
	if got := master.GetCancelledOccurrences(); len(got) != 1 || got[0] != "OID."+id+".2025-01-13" {
		t.Errorf("cancelledOccurrences %v", got)
	}
	if r := master.GetRecurrence().GetPattern(); *r.GetFirstDayOfWeek() != models.SUNDAY_DAYOFWEEK || *r.GetIndex() != models.FIRST_WEEKINDEX {
		t.Errorf("pattern defaults not parsed: %v %v", r.GetFirstDayOfWeek(), r.GetIndex())
	}
}

func TestSDKStaleIfMatchIsAnODataError412(t *testing.T) {
	f := newFixture(t, Options{})
	adapter := f.sdkAdapter("ada@example.com")
	ctx := context.Background()
	ev := models.NewEvent()
	ev.SetSubject(str("One-off"))
	ev.SetStart(dtz("2025-01-07T10:00:00", "UTC"))
	ev.SetEnd(dtz("2025-01-07T11:00:00", "UTC"))
	created, err := users.NewItemEventsRequestBuilderInternal(me(), adapter).Post(ctx, ev, nil)
	if err != nil {
		t.Fatal(err)
	}
	item := users.NewItemEventsEventItemRequestBuilderInternal(me("event%2Did", *created.GetId()), adapter)
	patch := func(subject string) error {
		h := abstractions.NewRequestHeaders()
		h.Add("If-Match", `W/"`+*created.GetChangeKey()+`"`)
		body := models.NewEvent()
		body.SetSubject(&subject)
		_, err := item.Patch(ctx, body, &users.ItemEventsEventItemRequestBuilderPatchRequestConfiguration{Headers: h})
		return err
	}
	if err := patch("first"); err != nil {
		t.Fatalf("first PATCH: %v", err)
	}
	status, code := odataError(t, patch("second"))
	if status != http.StatusPreconditionFailed || code != "ErrorIrresolvableConflict" {
		t.Errorf("stale PATCH: %d %s", status, code)
	}
	_, err = users.NewItemEventsEventItemRequestBuilderInternal(me("event%2Did", newEventID()), adapter).Get(ctx, nil)
	if status, code := odataError(t, err); status != http.StatusNotFound || code != "ErrorItemNotFound" {
		t.Errorf("missing event: %d %s", status, code)
	}
}

func TestSDKFollowsDeltaWithThePageIterator(t *testing.T) {
	f := newFixture(t, Options{})
	adapter := f.sdkAdapter("ada@example.com")
	ctx := context.Background()
	created, err := users.NewItemEventsRequestBuilderInternal(me(), adapter).Post(ctx, sdkWeeklySeries("Sync", 3), nil)
	if err != nil {
		t.Fatal(err)
	}
	single := models.NewEvent()
	single.SetSubject(str("Single"))
	single.SetStart(dtz("2025-01-08T10:00:00", "UTC"))
	single.SetEnd(dtz("2025-01-08T11:00:00", "UTC"))
	singleEv, err := users.NewItemEventsRequestBuilderInternal(me(), adapter).Post(ctx, single, nil)
	if err != nil {
		t.Fatal(err)
	}

	headers := abstractions.NewRequestHeaders()
	headers.Add("Prefer", "odata.maxpagesize=2")
	start, end := "2025-01-01T00:00:00Z", "2025-02-01T00:00:00Z"
	round := func(first ItemDeltaFirst) (map[string]int, string) {
		t.Helper()
		resp, err := first()
		if err != nil {
			t.Fatalf("delta: %v", err)
		}
		it, err := msgraphcore.NewPageIterator[models.Eventable](resp, adapter, users.CreateItemCalendarViewDeltaGetResponseFromDiscriminatorValue)
		if err != nil {
			t.Fatal(err)
		}
		it.SetHeaders(headers)
		counts := map[string]int{}
		err = it.Iterate(ctx, func(ev models.Eventable) bool {
			if _, ok := ev.GetAdditionalData()["@removed"]; ok {
				counts["removed"]++
			} else if ev.GetTypeEscaped() != nil {
				counts[ev.GetTypeEscaped().String()]++
			}
			return true
		})
		if err != nil {
			t.Fatalf("iterate: %v", err)
		}
		link := it.GetOdataDeltaLink()
		if link == nil {
			t.Fatal("no delta link after the last page")
		}
		return counts, *link
	}

	counts, deltaLink := round(func() (users.ItemCalendarViewDeltaGetResponseable, error) {
		return users.NewItemCalendarViewDeltaRequestBuilderInternal(me(), adapter).GetAsDeltaGetResponse(ctx,
			&users.ItemCalendarViewDeltaRequestBuilderGetRequestConfiguration{Headers: headers,
				QueryParameters: &users.ItemCalendarViewDeltaRequestBuilderGetQueryParameters{StartDateTime: &start, EndDateTime: &end}})
	})
	if counts["seriesMaster"] != 0 || counts["occurrence"] != 3 || counts["singleInstance"] != 1 {
		t.Fatalf("first round %v, want 3 occurrences and the single (no master)", counts)
	}

	if err := users.NewItemEventsEventItemRequestBuilderInternal(me("event%2Did", *singleEv.GetId()), adapter).Delete(ctx, nil); err != nil {
		t.Fatal(err)
	}
	counts, _ = round(func() (users.ItemCalendarViewDeltaGetResponseable, error) {
		return users.NewItemCalendarViewDeltaRequestBuilderInternal(me(), adapter).WithUrl(deltaLink).GetAsDeltaGetResponse(ctx,
			&users.ItemCalendarViewDeltaRequestBuilderGetRequestConfiguration{Headers: headers})
	})
	if counts["removed"] != 1 || len(counts) != 1 {
		t.Errorf("second round %v, want one @removed", counts)
	}
	_ = created

	f.fake.InjectFault(Fault{Kind: FaultDeltaGone, Times: 1})
	_, err = users.NewItemCalendarViewDeltaRequestBuilderInternal(me(), adapter).WithUrl(deltaLink).GetAsDeltaGetResponse(ctx, nil)
	if status, code := odataError(t, err); status != http.StatusGone || code != "SyncStateNotFound" {
		t.Errorf("expired token: %d %s", status, code)
	}
}

// ItemDeltaFirst fetches the first page of a delta round.
type ItemDeltaFirst func() (users.ItemCalendarViewDeltaGetResponseable, error)

func TestSDKAnswersAndCancelsMeetings(t *testing.T) {
	f := newFixture(t, Options{})
	ada, bob := f.sdkAdapter("ada@example.com"), f.sdkAdapter("bob@example.com")
	ctx := context.Background()
	ev := sdkWeeklySeries("Review", 4)
	att := models.NewAttendee()
	addr := models.NewEmailAddress()
	addr.SetAddress(str("bob@example.com"))
	att.SetEmailAddress(addr)
	required := models.REQUIRED_ATTENDEETYPE
	att.SetTypeEscaped(&required)
	ev.SetAttendees([]models.Attendeeable{att})
	master, err := users.NewItemEventsRequestBuilderInternal(me(), ada).Post(ctx, ev, nil)
	if err != nil {
		t.Fatal(err)
	}
	bobs, err := users.NewItemEventsRequestBuilderInternal(me(), bob).Get(ctx, nil)
	if err != nil || len(bobs.GetValue()) != 1 {
		t.Fatalf("Bob's events: %v", err)
	}
	cp := bobs.GetValue()[0]
	if *cp.GetIsOrganizer() || *cp.GetICalUId() != *master.GetICalUId() || *cp.GetResponseStatus().GetResponse() != models.NOTRESPONDED_RESPONSETYPE {
		t.Fatalf("Bob's copy: organizer %v, response %v", *cp.GetIsOrganizer(), cp.GetResponseStatus().GetResponse())
	}

	body := users.NewItemEventsItemAcceptPostRequestBody()
	body.SetComment(str("see you"))
	yes := true
	body.SetSendResponse(&yes)
	if err := users.NewItemEventsEventItemRequestBuilderInternal(me("event%2Did", *cp.GetId()), bob).Accept().Post(ctx, body, nil); err != nil {
		t.Fatalf("accept (SDK sends Comment and SendResponse): %v", err)
	}
	org, err := users.NewItemEventsEventItemRequestBuilderInternal(me("event%2Did", *master.GetId()), ada).Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := *org.GetAttendees()[0].GetStatus().GetResponse(); got != models.ACCEPTED_RESPONSETYPE {
		t.Errorf("organizer sees %v", got.String())
	}

	cancel := users.NewItemEventsItemCancelPostRequestBody()
	cancel.SetComment(str("not mine"))
	err = users.NewItemEventsEventItemRequestBuilderInternal(me("event%2Did", *cp.GetId()), bob).Cancel().Post(ctx, cancel, nil)
	if status, _ := odataError(t, err); status != http.StatusBadRequest {
		t.Errorf("attendee cancel: %d", status)
	}
	if err := users.NewItemEventsEventItemRequestBuilderInternal(me("event%2Did", *master.GetId()), ada).Cancel().Post(ctx, cancel, nil); err != nil {
		t.Fatalf("organizer cancel: %v", err)
	}
}

func TestSDKBatch(t *testing.T) {
	f := newFixture(t, Options{})
	adapter := f.sdkAdapter("ada@example.com")
	ctx := context.Background()
	batch := msgraphcore.NewBatchRequest(adapter)
	post, err := users.NewItemEventsRequestBuilderInternal(me(), adapter).ToPostRequestInformation(ctx, sdkWeeklySeries("Batched", 2), nil)
	if err != nil {
		t.Fatal(err)
	}
	first, err := batch.AddBatchRequestStep(*post)
	if err != nil {
		t.Fatal(err)
	}
	get, err := users.NewItemEventsRequestBuilderInternal(me(), adapter).ToGetRequestInformation(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	second, err := batch.AddBatchRequestStep(*get)
	if err != nil {
		t.Fatal(err)
	}
	second.DependsOnItem(first)
	resp, err := batch.Send(ctx, adapter)
	if err != nil {
		t.Fatalf("batch: %v", err)
	}
	ev, err := msgraphcore.GetBatchResponseById[models.Eventable](resp, *first.GetId(), models.CreateEventFromDiscriminatorValue)
	if err != nil {
		t.Fatalf("batch item: %v", err)
	}
	if *ev.GetSubject() != "Batched" || *ev.GetTypeEscaped() != models.SERIESMASTER_EVENTTYPE {
		t.Errorf("batched create answered %v", ev.GetSubject())
	}
	if codes := resp.GetStatusCodes(); codes[*first.GetId()] != 201 || codes[*second.GetId()] != 200 {
		t.Errorf("status codes %v", codes)
	}
}

func TestSDKRetriesAThrottledRequest(t *testing.T) {
	f := newFixture(t, Options{})
	adapter := f.sdkAdapter("ada@example.com")
	f.fake.InjectFault(Fault{Kind: FaultThrottle, Endpoint: EndpointListEvents, Times: 1, RetryAfter: 0})
	f.fake.ResetRequests()
	if _, err := users.NewItemEventsRequestBuilderInternal(me(), adapter).Get(context.Background(), nil); err != nil {
		t.Fatalf("the SDK did not get past one 429: %v", err)
	}
	if n := f.fake.RequestCount("ada@example.com", EndpointListEvents); n != 2 {
		t.Errorf("%d requests, want the throttled one and its retry", n)
	}
}

func TestSDKReadsUserAndExpandedExtendedProperties(t *testing.T) {
	f := newFixture(t, Options{})
	adapter := f.sdkAdapter("ada@example.com")
	ctx := context.Background()
	user, err := users.NewUserItemRequestBuilderInternal(me(), adapter).Get(ctx, nil)
	if err != nil || *user.GetMail() != "ada@example.com" {
		t.Fatalf("GET /me: %v", err)
	}
	const propID = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name intracal"
	ev := models.NewEvent()
	ev.SetSubject(str("Tagged"))
	ev.SetStart(dtz("2025-01-07T10:00:00", "UTC"))
	ev.SetEnd(dtz("2025-01-07T11:00:00", "UTC"))
	prop := models.NewSingleValueLegacyExtendedProperty()
	prop.SetId(str(propID))
	prop.SetValue(str("event-7"))
	ev.SetSingleValueExtendedProperties([]models.SingleValueLegacyExtendedPropertyable{prop})
	ev.SetTransactionId(str("tx-1"))
	created, err := users.NewItemEventsRequestBuilderInternal(me(), adapter).Post(ctx, ev, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := abstractions.NewRequestHeaders()
	h.Add("Prefer", `outlook.timezone="Tokyo Standard Time"`)
	got, err := users.NewItemEventsEventItemRequestBuilderInternal(me("event%2Did", *created.GetId()), adapter).Get(ctx,
		&users.ItemEventsEventItemRequestBuilderGetRequestConfiguration{Headers: h,
			QueryParameters: &users.ItemEventsEventItemRequestBuilderGetQueryParameters{
				Expand: []string{"singleValueExtendedProperties($filter=id eq '" + propID + "')"}}})
	if err != nil {
		t.Fatal(err)
	}
	props := got.GetSingleValueExtendedProperties()
	if len(props) != 1 || *props[0].GetValue() != "event-7" {
		t.Errorf("extended properties %v", props)
	}
	if *got.GetStart().GetDateTime() != "2025-01-07T19:00:00.0000000" || *got.GetStart().GetTimeZone() != "Tokyo Standard Time" {
		t.Errorf("start %s %s, want Tokyo time", *got.GetStart().GetDateTime(), *got.GetStart().GetTimeZone())
	}
	again, err := users.NewItemEventsRequestBuilderInternal(me(), adapter).Post(ctx, ev, nil)
	if err != nil || *again.GetId() != *created.GetId() {
		t.Errorf("a repeated POST with the same transactionId made another event (%v)", err)
	}
}

func TestSDKPagesThroughEvents(t *testing.T) {
	f := newFixture(t, Options{})
	adapter := f.sdkAdapter("ada@example.com")
	ctx := context.Background()
	for i := range 12 {
		ev := models.NewEvent()
		ev.SetSubject(str(fmt.Sprintf("e%02d", i)))
		ev.SetStart(dtz("2025-01-07T10:00:00", "UTC"))
		ev.SetEnd(dtz("2025-01-07T11:00:00", "UTC"))
		if _, err := users.NewItemEventsRequestBuilderInternal(me(), adapter).Post(ctx, ev, nil); err != nil {
			t.Fatal(err)
		}
	}
	first, err := users.NewItemEventsRequestBuilderInternal(me(), adapter).Get(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	it, err := msgraphcore.NewPageIterator[models.Eventable](first, adapter, models.CreateEventCollectionResponseFromDiscriminatorValue)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	if err := it.Iterate(ctx, func(models.Eventable) bool { n++; return true }); err != nil {
		t.Fatal(err)
	}
	if n != 12 {
		t.Errorf("iterated %d events, want 12 over two pages", n)
	}
}
