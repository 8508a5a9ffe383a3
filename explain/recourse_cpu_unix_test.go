//go:build unix

package explain_test

import "syscall"

// processCPU is the process's user+system CPU time in nanoseconds: with
// GOMAXPROCS=1 it measures the benchmark's own work even when other
// processes load the machine (wall-clock ns/op does not).
func processCPU() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano() + ru.Stime.Nano())
}
