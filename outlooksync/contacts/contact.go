package contacts

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
)

// The fields a list may write and overwrite, besides the name and the e-mail address,
// which every managed contact has and which are always put back.
const (
	FieldJobTitle       = "jobTitle"
	FieldDepartment     = "department"
	FieldOfficeLocation = "officeLocation"
	FieldOfficePhone    = "officePhone"
	FieldMobilePhone    = "mobilePhone"
)

// Fields are the optional fields in the order the pages show them.
func Fields() []string {
	return []string{FieldJobTitle, FieldDepartment, FieldOfficeLocation, FieldOfficePhone, FieldMobilePhone}
}

// FieldLabel is how the pages name a field.
func FieldLabel(f string) string {
	switch f {
	case FieldJobTitle:
		return "Job title"
	case FieldDepartment:
		return "Department"
	case FieldOfficeLocation:
		return "Office location"
	case FieldOfficePhone:
		return "Office phone"
	case FieldMobilePhone:
		return "Mobile phone"
	}
	return f
}

// Person is a person of the directory, as a contact shows them.
type Person struct {
	ID          int64
	Name, Email string
	Values      map[string]string // by field
}

// Contact is what a managed contact holds: the name and address, and the optional fields.
type Contact struct {
	DisplayName, GivenName, Surname, Email string
	Values                                 map[string]string // the optional fields written
}

// contactOf is the contact a person's entry makes with the fields chosen.
func contactOf(p Person, fields []string) Contact {
	given, sur := splitName(p.Name)
	c := Contact{DisplayName: p.Name, GivenName: given, Surname: sur, Email: p.Email, Values: map[string]string{}}
	for _, f := range fields {
		c.Values[f] = p.Values[f]
	}
	return c
}

// splitName splits a display name into given name and surname at its last space.
func splitName(name string) (string, string) {
	name = strings.TrimSpace(name)
	if i := strings.LastIndex(name, " "); i > 0 {
		return name[:i], name[i+1:]
	}
	return name, ""
}

// same reports whether the contact holds what want says of the fields (and always the name
// and address).
func (c Contact) same(want Contact, fields []string) bool {
	if c.DisplayName != want.DisplayName || !strings.EqualFold(c.Email, want.Email) {
		return false
	}
	for _, f := range fields {
		if c.Values[f] != want.Values[f] {
			return false
		}
	}
	return true
}

// digest names what was written of a contact's overwritten fields, so that a changes run
// knows from the database alone whether the directory moved since.
func digest(c Contact, fields []string) string {
	h := sha256.New()
	for _, s := range []string{c.DisplayName, strings.ToLower(c.Email)} {
		h.Write([]byte(strconv.Itoa(len(s)) + ":" + s))
	}
	fs := slices.Clone(fields)
	slices.Sort(fs)
	for _, f := range fs {
		v := c.Values[f]
		h.Write([]byte(f + "=" + strconv.Itoa(len(v)) + ":" + v))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// listDigest names everything a list should leave in a mailbox: each person with the digest
// of their overwritten fields. It is the same for every target, so a run computes it once, and
// a target whose last successful run left this has nothing to change.
func listDigest(people map[int64]Person, overwrite []string) string {
	ids := make([]int64, 0, len(people))
	for id := range people {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	h := sha256.New()
	for _, id := range ids {
		h.Write([]byte(strconv.FormatInt(id, 10) + ":" + digest(contactOf(people[id], overwrite), overwrite) + ";"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// The extended properties of a managed contact: MAPI named string properties in a property
// set of our own.
const (
	propertySet    = "{9d1e4c2a-6b7f-4e38-a0c5-3f2b8d61e7a4}"
	ListProperty   = "String " + propertySet + " Name IntracalContactList"
	PersonProperty = "String " + propertySet + " Name IntracalPerson"
)
