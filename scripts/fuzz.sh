#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/ (address sanitizer on) and runs each for a while.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]      default: 60 s, every target
#   FUZZ_RUNS=1000000 scripts/fuzz.sh 3600                  stop each target after N executions
#                                                           (or the time limit, whichever first)
#   targets: idx cifar tar gzip zip jpeg png checkpoint modelspec pipeline
#
# Each target's corpus lives in out/fuzz/corpus-TARGET (git-ignored; kept between runs so
# coverage accumulates), seeded from Fixtures/, Fixtures/regressions/TARGET and Fuzz/seeds/TARGET.
# Findings land in out/fuzz/artifacts-TARGET/ (crash-*, timeout-*, oom-*, plus libFuzzer's log
# in out/fuzz/TARGET.log); the table counts every finding still in that folder, so delete one
# once its fix and regression test are in. Targets run one at a time (one core each). Prints a
# table at the end; exits 1 if any target stopped on a finding.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
all=(idx cifar tar gzip zip jpeg png checkpoint modelspec pipeline)
[[ $# -gt 0 ]] && targets=("$@") || targets=("${all[@]}")

# Seeds per target: Fixtures/ files of that format (corrupt twins included: they reach error paths).
seeds() {
    case $1 in
        idx)        find Fixtures/idx -type f ;;
        cifar)      find Fixtures/cifar -type f -name '*.bin' ;;
        tar)        find Fixtures -type f \( -name '*.tar' -o -name '*.tar.gz' \) -size -256k ;;
        gzip)       find Fixtures -type f -name '*.gz' -size -256k ;;
        zip)        find Fixtures -type f -name '*.zip' -size -256k ;;
        jpeg)       find Fixtures -type f \( -name '*.jpg' -o -name '*.jpeg' \) -size -256k ;;
        png)        find Fixtures -type f -name '*.png' -size -256k ;;
        checkpoint|modelspec|pipeline) true ;;
        *) echo "unknown target '$1' (known: ${all[*]})" >&2; exit 64 ;;
    esac
    [[ -d Fixtures/regressions/$1 ]] && find "Fixtures/regressions/$1" -type f
    [[ -d Fuzz/seeds/$1 ]] && find "Fuzz/seeds/$1" -type f
    true
}

# Longest input worth mutating: a few records/members/chunks; longer ones only slow each run.
max_len() {
    case $1 in
        modelspec|pipeline) echo 4096 ;;
        idx) echo 16384 ;;
        cifar) echo 6200 ;;  # two CIFAR-100 records and change
        *) echo 65536 ;;
    esac
}

for t in "${targets[@]}"; do seeds "$t" > /dev/null; done   # reject unknown names before building

echo "building fuzz targets (release, -sanitize=fuzzer,address)..." >&2
swift build -c release --package-path Fuzz --scratch-path Fuzz/.build \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library >&2
bin=Fuzz/.build/release

# The Swift runtime's backtracer reads other threads' memory, which ASan then reports as a
# second, bogus error; libFuzzer's own ASan stack trace is the one wanted.
export SWIFT_BACKTRACE=enable=no
mkdir -p out/fuzz
rows=()
status=0
for t in "${targets[@]}"; do
    corpus=out/fuzz/corpus-$t
    artifacts=out/fuzz/artifacts-$t
    mkdir -p "$corpus" "$artifacts"
    while IFS= read -r f; do
        cp "$f" "$corpus/seed-$(echo "$f" | tr '/' '_')"
    done < <(seeds "$t")
    before=$(find "$artifacts" -type f | wc -l)
    echo "fuzzing $t for ${seconds}s ($(find "$corpus" -type f | wc -l) corpus files)..." >&2
    start=$(date +%s)
    set +e
    "$bin/fuzz-$t" "$corpus" -max_total_time="$seconds" ${FUZZ_RUNS:+-runs="$FUZZ_RUNS"} -max_len="$(max_len "$t")" \
        -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$artifacts/" > "out/fuzz/$t.log" 2>&1
    rc=$?
    set -e
    elapsed=$(( $(date +%s) - start ))
    execs=$(grep -ao 'stat::number_of_executed_units: *[0-9]*' "out/fuzz/$t.log" | grep -o '[0-9]*$' | tail -1)
    execs=${execs:-$(grep -aoE '^#[0-9]+' "out/fuzz/$t.log" | tail -1 | tr -d '#')}
    execs=${execs:-0}
    crashes=$(find "$artifacts" -type f -name 'crash-*' | wc -l)
    timeouts=$(find "$artifacts" -type f -name 'timeout-*' | wc -l)
    ooms=$(find "$artifacts" -type f -name 'oom-*' | wc -l)
    after=$(find "$artifacts" -type f | wc -l)
    if [[ $rc -ne 0 || $after -gt $before ]]; then
        status=1
        echo "  $t: libFuzzer exited $rc; see out/fuzz/$t.log and $artifacts/" >&2
    fi
    rows+=("$(printf '%-11s %12s %8s %10s %8s %8s %8s' "$t" "$execs" "$elapsed" "$(( execs / (elapsed > 0 ? elapsed : 1) ))" "$crashes" "$timeouts" "$ooms")")
done

printf '%-11s %12s %8s %10s %8s %8s %8s\n' target executions seconds exec/s crashes timeouts ooms
printf '%s\n' "${rows[@]}"
exit $status
