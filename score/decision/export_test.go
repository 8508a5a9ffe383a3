package decision

// CachedViews exposes the number of consent views a Decider keeps.
func CachedViews(d *Decider) int { return d.cachedViews() }
