package crosscheck

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// Split returns the rows 0 to n-1 in a random order (a PCG seeded with
// seed) cut at random places into k non-empty parts (1 <= k <= n): the
// rows a stream or the workers of a cluster would each see.
func Split(n, k int, seed uint64) [][]int {
	rng := rand.New(rand.NewPCG(seed, 15))
	perm := rng.Perm(n)
	cuts := []int{0}
	for _, c := range rng.Perm(n - 1)[:k-1] {
		cuts = append(cuts, c+1)
	}
	cuts = append(cuts, n)
	slices.Sort(cuts)
	parts := make([][]int, k)
	for p := range parts {
		parts[p] = perm[cuts[p]:cuts[p+1]]
	}
	return parts
}

// Trees are the merge orders MergeTree knows.
var Trees = []string{"left", "right", "pairs"}

// MergeTree merges parts into one with merge(a, b), which adds b into a:
// "left" folds them in order, "right" in reverse order, "pairs" merges
// neighbours pairwise, level by level (a balanced tree).
func MergeTree[T any](parts []T, tree string, merge func(a, b T) error) (T, error) {
	var zero T
	if len(parts) == 0 {
		return zero, fmt.Errorf("crosscheck: nothing to merge")
	}
	parts = slices.Clone(parts)
	switch tree {
	case "right":
		slices.Reverse(parts)
		fallthrough
	case "left":
		for _, p := range parts[1:] {
			if err := merge(parts[0], p); err != nil {
				return zero, err
			}
		}
		return parts[0], nil
	case "pairs":
		for len(parts) > 1 {
			var next []T
			for a := 0; a < len(parts); a += 2 {
				if a+1 < len(parts) {
					if err := merge(parts[a], parts[a+1]); err != nil {
						return zero, err
					}
				}
				next = append(next, parts[a])
			}
			parts = next
		}
		return parts[0], nil
	}
	return zero, fmt.Errorf("crosscheck: no merge tree %q", tree)
}
