package calendar

// Content changes: how an instance's override and an edit's change apply to a segment's content.

// effectiveContent is a segment's content with an instance's changes applied.
func effectiveContent(c Content, o *Override) Content {
	if o == nil {
		return c
	}
	if o.Title != nil {
		c.Title = *o.Title
	}
	if o.Description != nil {
		c.Description = *o.Description
	}
	if o.Location != nil {
		c.Location = *o.Location
	}
	return c
}

// applyContent copies the content fields that ch sets.
func applyContent(c *Content, ch Change) {
	if ch.Title != nil {
		c.Title = *ch.Title
	}
	if ch.Description != nil {
		c.Description = *ch.Description
	}
	if ch.Location != nil {
		c.Location = *ch.Location
	}
}

// differing returns &v when v differs from base, nil otherwise.
func differing(v, base string) *string {
	if v == base {
		return nil
	}
	return &v
}
