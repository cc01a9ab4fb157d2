package accounts

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestLoginRedirectStaysOnSite(t *testing.T) {
	tests := []struct{ next, want string }{
		{"", "/"},
		{"/calendar", "/calendar"},
		{"/calendar?view=month&d=2026-03-01", "/calendar?view=month&d=2026-03-01"},
		{"//evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"https://evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"calendar", "/"},
		{"/ok\r\nSet-Cookie: x=y", "/"},
	}
	for _, tt := range tests {
		if got := SafeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}

func TestLoginURLReturnsToThePage(t *testing.T) {
	tests := []struct{ method, target, want string }{
		{http.MethodGet, "/", "/login"},
		{http.MethodGet, "/calendar?view=week", "/login?next=%2Fcalendar%3Fview%3Dweek"},
		{http.MethodPost, "/events/7/edit", "/login"},
	}
	e := echo.New()
	for _, tt := range tests {
		c := e.NewContext(httptest.NewRequest(tt.method, tt.target, nil), httptest.NewRecorder())
		if got := LoginURL(c); got != tt.want {
			t.Errorf("loginURL(%s %s) = %q, want %q", tt.method, tt.target, got, tt.want)
		}
	}
}
