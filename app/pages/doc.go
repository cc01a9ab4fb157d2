// Package pages is what people see of the site in a browser, besides the Control Panel and
// the Outlook pages: My Calendar with its month, week and agenda views (Calendar), the event
// pages with their scoped edits, RSVP, deletion and invitations (Events), spaces with their
// calendars (the same views, their calendar a parameter), members and settings (Spaces), Your settings
// (Settings) and the sign-in form (Login). Each handler struct holds the stores it uses and
// the renderer and page frame from view; app's route table builds them and puts the
// permissions on their routes.
package pages
