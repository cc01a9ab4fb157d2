package synce2e

import "intracal/calendar"

// wallp reads an edit's start or end as the pages and the API do.
func wallp(s string) *calendar.WallInput { w := calendar.ParseWallInput(s); return &w }
