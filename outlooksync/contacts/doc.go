// Package contacts pushes contact lists, built from the site's directory, into target
// mailboxes' Outlook contacts, one way, as CiraSync's contact lists do: the source is the
// truth, and a managed contact the mailbox's owner changed or deleted (on a phone or in
// Outlook) is put back on the next check. The app signs in as itself (the tenant's admin
// consent for the application permission Contacts.ReadWrite).
//
// A list names a source (everyone, a department, a space's members, or nobody, plus people
// added and excluded by hand), targets (everyone, a department, a space's members), which
// fields are written when a contact is made (Write) and which are put back on every later
// run (Overwrite), and a folder: a contact folder named after the list, or the default
// Contacts folder (Android phones see no subfolders). Managed contacts carry two extended
// properties, the list's id and the person's, so that hand-made contacts are never touched
// and a lost database finds its contacts again.
//
// Runs come in two kinds. A check (on the list's schedule, and on Sync now) reads each target
// folder's managed contacts and puts back what the owner changed. A changes run (every
// minute) compares what the directory says with what was last written, from the database
// alone, and writes only the differences: a mailbox with nothing to change costs no request,
// one with a changed person one $batch. The Graph adapter (outlooksync/graph) implements
// Mailbox; this package does not import the Graph SDK.
package contacts
