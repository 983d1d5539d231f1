#!/usr/bin/env bash
# Takes every figure of docs/performance.md (weft-sync, scheduler, timers, structured
# concurrency, join!/select!, I/O, HTTP and bytes per task), and keeps the output in one folder.
#
#   benches/run-all.sh                 # the documented settings
#   QUICK=1 benches/run-all.sh         # a rough pass (criterion's --quick, 2 s echo runs)
#
# CARGO_TARGET_DIR is honoured (criterion keeps its results under it). The output goes
# to $OUT, by default target/bench-results/<date>-<time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${CARGO_TARGET_DIR:-target}
out=${OUT:-$target/bench-results/$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out"

if [[ -n ${QUICK:-} ]]; then
    criterion_args=(--quick)
    echo_args=(--connections 1,50,500 --duration 2 --warmup 0.5 --workers 2)
else
    criterion_args=(--warm-up-time 1 --measurement-time 3)
    echo_args=(--connections 1,50,500 --duration 3 --warmup 1 --workers 2 --rounds 10)
fi

cargo bench -p weft-benches --bench scheduler -- "${criterion_args[@]}" | tee "$out/scheduler.txt"
cargo bench -p weft-benches --bench timers -- "${criterion_args[@]}" | tee "$out/timers.txt"
cargo bench -p weft-benches --bench structured -- "${criterion_args[@]}" | tee "$out/structured.txt"
cargo bench -p weft-benches --bench sync -- "${criterion_args[@]}" | tee "$out/sync.txt"
cargo bench -p weft-benches --bench stacks -- "${criterion_args[@]}" | tee "$out/stacks.txt"
cargo bench -p weft-benches --bench hyper_io -- "${criterion_args[@]}" | tee "$out/hyper_io.txt"
cargo bench -p weft-benches --bench tls -- "${criterion_args[@]}" | tee "$out/tls.txt"
cargo bench -p weft-benches --bench join -- "${criterion_args[@]}" | tee "$out/join.txt"
cargo run --release -p weft-benches --bin bench_table -- \
    spawn_many_local spawn_many_remote_idle yield_many ping_pong chained_spawn \
    sleep_many timeout_register_drop timeout_ready \
    gather_1000 task_group_1000 eager_spawn_1000 \
    lock_uncontended lock_contended lock_contended_short \
    semaphore_uncontended semaphore_contended semaphore_contended_short \
    queue_mpmc_4p4c_bounded1000 lock_contended_stack semaphore_contended_stack \
    tls_split_echo_1mib \
    join2_ready join8_ready join2_yield join8_yield \
    select2_ready select8_ready select2_yield select8_yield | tee "$out/table.md"
cargo run --release -p weft-benches --bin task_bytes | tee "$out/task_bytes.md"
cargo run --release -p weft-benches --bin echo_load -- "${echo_args[@]}" | tee "$out/echo_load.md"
cargo run --release -p weft-benches --bin http_load -- "${echo_args[@]}" | tee "$out/http_load.md"

echo "results in $out"
