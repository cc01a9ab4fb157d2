package pages

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"intracal/app/accounts"
	"intracal/app/view"
)

// People is the directory: everyone's name, address and profile fields, with search.
type People struct {
	frame
	profiles *accounts.Profiles
}

// NewPeople is the directory pages on the profiles.
func NewPeople(pages *view.Renderer, fr view.Frame, profiles *accounts.Profiles) *People {
	return &People{frame: frame{pages, fr}, profiles: profiles}
}

// peoplePage is the data of people.html.
type peoplePage struct {
	view.Page
	Q, Department string
	Departments   []string
	People        []personCard
	Total         int64
	// More is the address of the next page, "" on the last.
	More string
}

// personCard is one person of the directory.
type personCard struct {
	Name, Email                          string
	JobTitle, Department, OfficeLocation string
	OfficePhone, Mobile                  string
	// The phones as tel: links, made of digits and a leading + only.
	OfficePhoneTel, MobileTel template.URL
}

// peoplePerPage is how many people one page of the directory shows.
const peoplePerPage = 50

// List is GET /people[?q=][&department=][&page=N].
func (h *People) List(c echo.Context) error {
	ctx := c.Request().Context()
	q := strings.TrimSpace(c.QueryParam("q"))
	dep := strings.TrimSpace(c.QueryParam("department"))
	pageNo, err := strconv.Atoi(c.QueryParam("page"))
	if err != nil || pageNo < 1 {
		pageNo = 1
	}
	if len(q) > 200 || len(dep) > 255 || pageNo > 10000 {
		return echo.NewHTTPError(http.StatusBadRequest, "The search is too long.")
	}
	entries, total, err := h.profiles.Directory(ctx, accounts.DirectoryQuery{Q: q, Department: dep, Limit: peoplePerPage, Offset: (pageNo - 1) * peoplePerPage})
	if err != nil {
		return err
	}
	deps, err := h.profiles.Departments(ctx)
	if err != nil {
		return err
	}
	p := peoplePage{Page: h.page(c, "People"), Q: q, Department: dep, Departments: deps, Total: total}
	for _, e := range entries {
		p.People = append(p.People, personCard{Name: e.User.Name, Email: e.User.Email,
			JobTitle: e.Profile.JobTitle, Department: e.Profile.Department, OfficeLocation: e.Profile.OfficeLocation,
			OfficePhone: e.Profile.OfficePhone, OfficePhoneTel: telURI(e.Profile.OfficePhone),
			Mobile: e.Profile.MobilePhone, MobileTel: telURI(e.Profile.MobilePhone)})
	}
	if int64(pageNo*peoplePerPage) < total {
		p.More = "/people?" + url.Values{"q": {q}, "department": {dep}, "page": {strconv.Itoa(pageNo + 1)}}.Encode()
	}
	return h.pages.Render(c, http.StatusOK, "people.html", p)
}

// telURI is a phone number as a tel: link (digits and a leading +), "" for none. It holds
// nothing else, so it is safe as a link.
func telURI(phone string) template.URL {
	var b strings.Builder
	main, _, _ := strings.Cut(strings.NewReplacer("ext.", "x", "ext", "x").Replace(phone), "x")
	for i, r := range main {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return template.URL("tel:" + b.String()) //nolint:gosec // digits and + only
}
