#!/bin/sh
# Run one fuzz target of tests/suite/fuzz.rs for a while.
#
#   scripts/fuzz.sh TARGET SECONDS [SEED]
#
# TARGET: report | narrative | import | workspace | all
# A finding is saved in target/tmp/fuzz/TARGET-finding-N; if the process
# aborts (a stack overflow), the input it was trying is target/tmp/fuzz/TARGET.last.
# Repeat a run with the same SEED.
set -eu
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS [SEED]}
seconds=${2:-60}
seed=${3:-$(date +%s)}
cd "$(dirname "$0")/.."
if [ "$target" = all ]; then
    for t in report narrative import workspace; do
        "$0" "$t" "$seconds" "$seed"
    done
    exit 0
fi
echo "fuzz $target: $seconds s, seed $seed" >&2
status=0
GXGEN_FUZZ_SECONDS=$seconds GXGEN_FUZZ_SEED=$seed \
    cargo test --test suite "fuzz::$target" -- --exact --nocapture --test-threads 1 || status=$?
if [ "$status" -ne 0 ]; then
    echo "fuzz $target failed (exit $status); the input last tried: target/tmp/fuzz/$target.last" >&2
fi
exit "$status"
