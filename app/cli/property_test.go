package cli

import (
	"errors"
	"strings"
	"testing"
)

func TestPropertyCommand(t *testing.T) {
	e := newCLIEnv(t)
	if _, _, err := e.run(RunProperty, "", "set", "OutlookApiClientID", "nope"); err == nil ||
		!strings.Contains(err.Error(), "must be a GUID like 00000000-0000-0000-0000-000000000000") {
		t.Errorf("set a bad GUID: %v", err)
	}
	if _, _, err := e.run(RunProperty, "", "set", "OutlookApiClientID", "8f0c2a71-5d3e-4b6a-9c1f-2e7d4a6b9c30"); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := e.run(RunProperty, testSecret+"\n", "set", "OutlookApiClientSecret", "-")
	if err != nil || strings.Contains(stderr, "s3cr3t") || !strings.Contains(stderr, "OutlookApiClientSecret: set") {
		t.Fatalf("set the secret from stdin: %q, %v", stderr, err)
	}
	out, _, err := e.run(RunProperty, "", "get", "OutlookApiClientID")
	if err != nil || out != "8f0c2a71-5d3e-4b6a-9c1f-2e7d4a6b9c30\n" {
		t.Errorf("get: %q, %v", out, err)
	}
	out, _, err = e.run(RunProperty, "", "get", "OutlookApiClientSecret")
	if err != nil || !strings.HasPrefix(out, "set ") || strings.Contains(out, "s3cr3t") {
		t.Errorf("get the secret: %q, %v; want only that it is set", out, err)
	}
	out, _, err = e.run(RunProperty, "", "list", "outlook")
	if err != nil || strings.Contains(out, "s3cr3t") || strings.Count(out, "\n") != 4 ||
		!strings.Contains(out, "UseSAMLtenantIDForOutlook") || strings.Contains(out, "SAMLTenantID ") {
		t.Errorf("list outlook:\n%s%v", out, err)
	}
	for _, args := range [][]string{{}, {"get"}, {"set", "OutlookApiClientID"}, {"frobnicate"}} {
		if _, _, err := e.run(RunProperty, "", args...); !errors.Is(err, ErrUsage) {
			t.Errorf("property %v: %v, want a usage error", args, err)
		}
	}
}
