package migrations

// ApplyList lets the external tests apply a list of their own, such as one with a broken step.
var ApplyList = apply
