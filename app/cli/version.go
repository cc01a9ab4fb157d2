package cli

import (
	"fmt"
	"runtime/debug"
)

// Version names this build: the module version and, when known, the commit.
func Version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "calendar (unknown build)"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	var rev, modified string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				modified = "+changes"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		return fmt.Sprintf("calendar %s (%s%s, %s)", v, rev, modified, info.GoVersion)
	}
	return fmt.Sprintf("calendar %s (%s)", v, info.GoVersion)
}
