package fakeoutlook

import (
	"html/template"
	"net/http"
	"sort"
)

// pages are the few HTML pages of the fake identity platform.
type pages struct {
	index    *template.Template
	signIn   *template.Template
	formPost *template.Template
	errPage  *template.Template
}

func newPages() *pages {
	return &pages{
		index: template.Must(template.New("index").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fake Outlook</title></head>
<body><h1>Fake Outlook</h1>
<p>An in-memory fake of the Microsoft identity platform and the Graph calendar API, for tests and the demo.</p>
<h2>Apps</h2><ul>{{range .Apps}}<li>client id <code>{{.ClientID}}</code>, tenant <code>{{.TenantID}}</code>{{if .Multitenant}} (multitenant){{end}}</li>{{end}}</ul>
<p><a href="/outlook/">Outlook on the web</a>: act as the Outlook user of a mailbox.</p>
<h2>Mailboxes</h2><ul>{{range .Mailboxes}}<li>{{.Name}} &lt;{{.Email}}&gt; · <a href="/outlook/?mailbox={{.Email}}">open in Outlook on the web</a></li>{{else}}<li>none yet: a mailbox is created on its first sign-in</li>{{end}}</ul>
</body></html>`)),
		signIn: template.Must(template.New("signin").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title></head>
<body><h1>Sign in</h1>
<p>Fake Outlook: enter the email address of the mailbox to sign in as. No password is needed; a new address gets a new mailbox.</p>
{{if .Error}}<p role="alert">{{.Error}}</p>{{end}}
<form method="post" action="{{.Action}}">
{{range .Hidden}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<label>Email <input type="email" name="login" value="{{.Login}}" required autofocus></label>
<button type="submit">Sign in</button>
</form>
<form method="post" action="{{.Action}}">
{{range .Hidden}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<button type="submit" name="decline" value="1">Cancel</button>
</form></body></html>`)),
		formPost: template.Must(template.New("formpost").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Working...</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="{{.Action}}">
{{range .Hidden}}<input type="hidden" name="{{.Name}}" value="{{.Value}}">
{{end}}<noscript><button type="submit">Continue</button></noscript></form></body></html>`)),
		errPage: template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in to your account</title></head>
<body><h1>Sorry, but we're having trouble signing you in.</h1>
<p id="error">{{.}}</p></body></html>`)),
	}
}

type hiddenField struct{ Name, Value string }

// hiddenFields turns a form into sorted hidden inputs.
func hiddenFields(values map[string][]string, skip string) []hiddenField {
	var out []hiddenField
	for k, vs := range values {
		if k == skip || len(vs) == 0 {
			continue
		}
		out = append(out, hiddenField{Name: k, Value: vs[0]})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (s *Server) serveIndex(w http.ResponseWriter) {
	s.mu.Lock()
	var boxes []MailboxInfo
	for _, m := range s.mailboxes {
		boxes = append(boxes, m.info())
	}
	s.mu.Unlock()
	sort.Slice(boxes, func(i, j int) bool { return boxes[i].Email < boxes[j].Email })
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = s.pages.index.Execute(w, struct {
		Apps      []App
		Mailboxes []MailboxInfo
	}{s.opts.Apps, boxes})
}

// errorPage is what Microsoft shows when it cannot redirect back: an unknown
// app, a redirect URI that is not registered, a user of another tenant.
func (s *Server) errorPage(w http.ResponseWriter, e *identityError) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	_ = s.pages.errPage.Execute(w, e.description())
}
