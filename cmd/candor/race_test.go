//go:build race

package main

// raceEnabled: the race detector is on, and tests stream fewer rows.
const raceEnabled = true
