#!/usr/bin/env bash
# Runs the whole test suite under a sanitizer:  scripts/sanitize.sh address|thread [swift test args...]
#
# Builds into its own scratch path (.build-asan / .build-tsan, or $SANITIZE_SCRATCH) so the
# normal debug build is left alone. DATAPREP_SANITIZER is exported for the tests: none needs it
# today (the whole suite passes under both), but a test that cannot be meaningful under a
# sanitizer (a wall-clock budget) should skip with a printed reason when it is set.
# Leak checking is off: with it on, LeakSanitizer fails every sanitized `dataprep` process the
# CLI tests spawn (exit 1) over runtime allocations kept until exit, which are not bugs.
# Prints the wall time at the end (the number CI's time budget is judged by).
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:?usage: scripts/sanitize.sh address|thread [swift test args...]}
shift
case $kind in
    address) scratch=.build-asan ;;
    thread)  scratch=.build-tsan ;;
    *) echo "unknown sanitizer '$kind' (address or thread)" >&2; exit 64 ;;
esac
export DATAPREP_SANITIZER=$kind
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=0}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=0:second_deadlock_stack=1}
start=$(date +%s)
status=0
swift test --sanitize="$kind" --scratch-path "${SANITIZE_SCRATCH:-$scratch}" "$@" || status=$?
echo "sanitize $kind: exit $status after $(( $(date +%s) - start )) s" >&2
exit $status
