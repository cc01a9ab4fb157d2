package contacts

import (
	"context"
	"errors"
	"net/http"

	"golang.org/x/oauth2"
)

// Mailbox is what pushing needs of a target mailbox, reached by the app signed in as itself.
// outlooksync/graph implements it (a client from graph.NewForUser).
type Mailbox interface {
	// EnsureContactFolder returns the id of the mailbox's contact folder of that name
	// (ignoring case), creating it when there is none.
	EnsureContactFolder(ctx context.Context, name string) (string, error)
	// ManagedContacts lists the contacts of a folder ("" is the default Contacts folder)
	// that carry the list's id, with the person id each carries.
	ManagedContacts(ctx context.Context, folderID string, listID int64) ([]Remote, error)
	// ApplyContacts creates, changes and deletes contacts in a folder, in $batch requests;
	// one result per operation, in order.
	ApplyContacts(ctx context.Context, folderID string, ops []Op) []Result
}

// Remote is a managed contact as the mailbox holds it.
type Remote struct {
	ID       string
	PersonID int64
	Contact  Contact
}

// OpKind is what an operation does; remember (within a run) records a contact found as it should be.
type OpKind int

const (
	Create OpKind = iota
	Update
	Delete
	remember OpKind = -1
)

// Op is one write: a contact to create (with the list's and person's marks), the fields of
// one to change, or one to delete.
type Op struct {
	Kind     OpKind
	ID       string
	ListID   int64
	PersonID int64
	Contact  Contact
	Fields   []string // the optional fields an Update or Create writes
}

// Result is how an operation went: the new contact's id after a Create.
type Result struct {
	ID  string
	Err error
}

// ErrGone is a contact or folder that no longer exists (404).
var ErrGone = errors.New("contacts: gone from the mailbox")

// MailboxFactory reaches a target mailbox by e-mail address.
type MailboxFactory func(ctx context.Context, address string) (Mailbox, error)

// AppMailboxFactory builds the client of a mailbox reached as the app itself: the Graph base
// URL, the app's token source, the HTTP client and the address (graph.NewForUser).
type AppMailboxFactory func(baseURL string, ts oauth2.TokenSource, hc *http.Client, address string) (Mailbox, error)
