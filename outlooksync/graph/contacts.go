package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	abs "github.com/microsoft/kiota-abstractions-go"
	msgraphcore "github.com/microsoftgraph/msgraph-sdk-go-core"
	"github.com/microsoftgraph/msgraph-sdk-go/models"
	"github.com/microsoftgraph/msgraph-sdk-go/users"

	"intracal/outlooksync"
	"intracal/outlooksync/contacts"
)

// Contact lists (outlooksync/contacts): a mailbox's contact folders and the contacts a list
// manages there, found by the list's extended property (singlevaluelegacyextendedproperty-get.md
// filters contacts as it does events), written in $batch requests of BatchSize.

// gone turns a 404 into contacts.ErrGone.
func gone(err error) error {
	if errors.Is(err, outlooksync.ErrRemoteNotFound) {
		return fmt.Errorf("%w: %w", contacts.ErrGone, err)
	}
	return err
}

// EnsureContactFolder returns the id of the mailbox's contact folder named name (ignoring
// case), creating it when there is none (user-post-contactfolders.md).
func (c *Client) EnsureContactFolder(ctx context.Context, name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", errors.New("graph: a contact folder needs a name")
	}
	release, err := c.acquire(ctx, 1)
	if err != nil {
		return "", err
	}
	defer release()
	resp, err := c.me.ContactFolders().Get(ctx, &users.ItemContactFoldersRequestBuilderGetRequestConfiguration{
		QueryParameters: &users.ItemContactFoldersRequestBuilderGetQueryParameters{Select: []string{"id", "displayName"}},
	})
	for err == nil {
		for _, f := range resp.GetValue() {
			if strings.EqualFold(deref(f.GetDisplayName()), name) {
				return deref(f.GetId()), nil
			}
		}
		next := resp.GetOdataNextLink()
		if next == nil || *next == "" {
			break
		}
		resp, err = c.me.ContactFolders().WithUrl(*next).Get(ctx, nil)
	}
	if err != nil {
		return "", mapError("list contact folders", err)
	}
	body := models.NewContactFolder()
	body.SetDisplayName(&name)
	created, err := c.me.ContactFolders().Post(ctx, body, nil)
	if err != nil {
		return "", mapError("create contact folder", err)
	}
	return deref(created.GetId()), nil
}

// markFilter finds a list's contacts by its extended property.
func markFilter(listID int64) string {
	return fmt.Sprintf("singleValueExtendedProperties/any(ep: ep/id eq '%s' and ep/value eq '%d')", contacts.ListProperty, listID)
}

func markExpand() string {
	return fmt.Sprintf("singleValueExtendedProperties($filter=id eq '%s' or id eq '%s')", contacts.ListProperty, contacts.PersonProperty)
}

// ManagedContacts lists the contacts of a folder ("" is the default Contacts folder) that
// carry the list's id, 1,000 a page.
func (c *Client) ManagedContacts(ctx context.Context, folderID string, listID int64) ([]contacts.Remote, error) {
	release, err := c.acquire(ctx, 1)
	if err != nil {
		return nil, err
	}
	defer release()
	top := int32(1000)
	filter, expand := markFilter(listID), []string{markExpand()}
	var resp models.ContactCollectionResponseable
	if folderID == "" {
		resp, err = c.me.Contacts().Get(ctx, &users.ItemContactsRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.ItemContactsRequestBuilderGetQueryParameters{Top: &top, Filter: &filter, Expand: expand}})
	} else {
		resp, err = c.me.ContactFolders().ByContactFolderId(folderID).Contacts().Get(ctx, &users.ItemContactFoldersItemContactsRequestBuilderGetRequestConfiguration{
			QueryParameters: &users.ItemContactFoldersItemContactsRequestBuilderGetQueryParameters{Top: &top, Filter: &filter, Expand: expand}})
	}
	var out []contacts.Remote
	for err == nil {
		for _, ct := range resp.GetValue() {
			if r, ok := remoteContact(ct); ok {
				out = append(out, r)
			}
		}
		next := resp.GetOdataNextLink()
		if next == nil || *next == "" {
			return out, nil
		}
		resp, err = c.me.Contacts().WithUrl(*next).Get(ctx, nil)
	}
	return nil, gone(mapError("list managed contacts", err))
}

// remoteContact reads a managed contact; ok is false for one without the person's mark.
func remoteContact(ct models.Contactable) (contacts.Remote, bool) {
	r := contacts.Remote{ID: deref(ct.GetId())}
	for _, ep := range ct.GetSingleValueExtendedProperties() {
		if strings.EqualFold(deref(ep.GetId()), contacts.PersonProperty) {
			r.PersonID, _ = strconv.ParseInt(deref(ep.GetValue()), 10, 64)
		}
	}
	if r.PersonID == 0 {
		return r, false
	}
	k := contacts.Contact{DisplayName: deref(ct.GetDisplayName()), GivenName: deref(ct.GetGivenName()), Surname: deref(ct.GetSurname()),
		Values: map[string]string{
			contacts.FieldJobTitle: deref(ct.GetJobTitle()), contacts.FieldDepartment: deref(ct.GetDepartment()),
			contacts.FieldOfficeLocation: deref(ct.GetOfficeLocation()), contacts.FieldMobilePhone: deref(ct.GetMobilePhone()),
		}}
	if phones := ct.GetBusinessPhones(); len(phones) > 0 {
		k.Values[contacts.FieldOfficePhone] = phones[0]
	} else {
		k.Values[contacts.FieldOfficePhone] = ""
	}
	if mails := ct.GetEmailAddresses(); len(mails) > 0 {
		k.Email = deref(mails[0].GetAddress())
	}
	r.Contact = k
	return r, true
}

// contactBody is what a Create or Update writes: the name and address always, the fields of
// the operation, and on a Create the list's and person's marks.
func contactBody(op contacts.Op) models.Contactable {
	body := models.NewContact()
	k := op.Contact
	body.SetDisplayName(&k.DisplayName)
	body.SetGivenName(&k.GivenName)
	body.SetSurname(&k.Surname)
	addr := models.NewEmailAddress()
	addr.SetAddress(&k.Email)
	addr.SetName(&k.DisplayName)
	body.SetEmailAddresses([]models.EmailAddressable{addr})
	for _, f := range op.Fields {
		v := k.Values[f]
		switch f {
		case contacts.FieldJobTitle:
			body.SetJobTitle(&v)
		case contacts.FieldDepartment:
			body.SetDepartment(&v)
		case contacts.FieldOfficeLocation:
			body.SetOfficeLocation(&v)
		case contacts.FieldMobilePhone:
			body.SetMobilePhone(&v)
		case contacts.FieldOfficePhone:
			phones := []string{}
			if v != "" {
				phones = []string{v}
			}
			body.SetBusinessPhones(phones)
		}
	}
	if op.Kind == contacts.Create {
		list, person := contacts.ListProperty, contacts.PersonProperty
		lv, pv := strconv.FormatInt(op.ListID, 10), strconv.FormatInt(op.PersonID, 10)
		a, b := models.NewSingleValueLegacyExtendedProperty(), models.NewSingleValueLegacyExtendedProperty()
		a.SetId(&list)
		a.SetValue(&lv)
		b.SetId(&person)
		b.SetValue(&pv)
		body.SetSingleValueExtendedProperties([]models.SingleValueLegacyExtendedPropertyable{a, b})
	}
	return body
}

// contactRequest builds one operation's request.
func (c *Client) contactRequest(ctx context.Context, folderID string, op contacts.Op) (*abs.RequestInformation, error) {
	switch op.Kind {
	case contacts.Create:
		if folderID == "" {
			return c.me.Contacts().ToPostRequestInformation(ctx, contactBody(op), nil)
		}
		return c.me.ContactFolders().ByContactFolderId(folderID).Contacts().ToPostRequestInformation(ctx, contactBody(op), nil)
	case contacts.Update:
		return c.me.Contacts().ByContactId(op.ID).ToPatchRequestInformation(ctx, contactBody(op), nil)
	case contacts.Delete:
		return c.me.Contacts().ByContactId(op.ID).ToDeleteRequestInformation(ctx, nil)
	}
	return nil, fmt.Errorf("graph: unknown contact operation %d", op.Kind)
}

// ApplyContacts writes the operations in $batch requests of BatchSize, each holding the
// mailbox's request slots while it runs (as Apply does, so that Outlook's four concurrent
// requests a mailbox are not exceeded); a throttled operation is sent again after the
// Retry-After it named, up to MaxRetries times when the wait is at most MaxBatchWait. One
// result per operation.
func (c *Client) ApplyContacts(ctx context.Context, folderID string, ops []contacts.Op) []contacts.Result {
	results := make([]contacts.Result, len(ops))
	c.inRounds(ctx, len(ops), func(chunk []int) { c.sendContactBatch(ctx, folderID, ops, chunk, results) },
		func(i int) error { return results[i].Err })
	return results
}

func (c *Client) sendContactBatch(ctx context.Context, folderID string, ops []contacts.Op, idx []int, results []contacts.Result) {
	batch := msgraphcore.NewBatchRequest(c.adapter)
	byItem := map[string]int{}
	for _, i := range idx {
		info, err := c.contactRequest(ctx, folderID, ops[i])
		if err == nil {
			var item msgraphcore.BatchItem
			if item, err = batch.AddBatchRequestStep(*info); err == nil {
				byItem[deref(item.GetId())] = i
				continue
			}
		}
		results[i] = contacts.Result{Err: fmt.Errorf("graph contact: %w", err)}
	}
	if len(byItem) == 0 {
		return
	}
	release, err := c.acquire(ctx, min(len(byItem), c.opts.BatchParallelism))
	if err != nil {
		for _, i := range byItem {
			results[i] = contacts.Result{Err: err}
		}
		return
	}
	resp, err := batch.Send(ctx, c.adapter)
	release()
	if err != nil {
		err = mapError("contacts batch", err)
		for _, i := range byItem {
			results[i] = contacts.Result{Err: err}
		}
		return
	}
	answered := map[int]bool{}
	for _, it := range resp.GetResponses() {
		i, ok := byItem[deref(it.GetId())]
		if !ok {
			continue
		}
		answered[i] = true
		status := int(deref(it.GetStatus()))
		if status < 200 || status >= 400 {
			results[i] = contacts.Result{Err: gone(c.batchError("contact", status, it.GetHeaders(), it.GetBody()))}
			continue
		}
		if ops[i].Kind == contacts.Create {
			data, _ := json.Marshal(map[string]any(it.GetBody()))
			var created struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(data, &created); err != nil || created.ID == "" {
				results[i] = contacts.Result{Err: errors.New("graph contact: the answer to a create has no id")}
				continue
			}
			results[i] = contacts.Result{ID: created.ID}
		}
	}
	for _, i := range byItem {
		if !answered[i] {
			results[i] = contacts.Result{Err: errors.New("graph contact: the $batch answer has no response for this request")}
		}
	}
}
