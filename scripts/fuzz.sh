#!/usr/bin/env bash
# Runs libFuzzer over each target of ltxpipe-fuzz for a share of SECONDS, seeded from fixtures/ (and pipelines/),
# keeping the growing corpus and any finding under .build-fuzz/. Prints executions and findings per target.
# Usage: scripts/fuzz.sh BINARY SECONDS, or with FUZZ_RUNS=N in the environment: N inputs per target from a fixed
# seed after the seed corpus (deterministic, as CI runs it: a finding there is a real, reproducible crash).
set -u
binary=$1
seconds=${2:-60}
root=.build-fuzz
targets=(probe image sidecar pipeline)
share=$(( seconds / ${#targets[@]} ))
[ "$share" -ge 1 ] || share=1
mkdir -p "$root/findings"
status=0
for target in "${targets[@]}"; do
  corpus="$root/corpus/$target"
  mkdir -p "$corpus"
  case $target in
    probe)    seeds=$(find fixtures/media fixtures/damaged fixtures/hostile -type f -size -400k 2>/dev/null) ;;
    image)    seeds=$(find fixtures/media fixtures/damaged fixtures/hostile -type f -size -400k \( -name '*.png' -o -name '*.jpg' -o -name '*.gif' -o -name '*.webp' -o -name '*.bmp' -o -name '*.tif' \)) ;;
    sidecar)  seeds=$(find fixtures -type f -name '*.json') ;;
    pipeline) seeds=$(find pipelines -type f -name '*.yml') ;;
  esac
  for seed in $seeds; do cp -n "$seed" "$corpus/seed-$(basename "$seed")" 2>/dev/null; done
  log="$root/fuzz-$target.log"
  if [ -n "${FUZZ_RUNS:-}" ]; then limit=(-runs="$FUZZ_RUNS" -seed=1); else limit=(-max_total_time="$share"); fi
  SWIFT_BACKTRACE=enable=no LTXFUZZ_TARGET=$target LTXFUZZ_SCRATCH=${TMPDIR:-/tmp} "$binary" "$corpus" "${limit[@]}" -timeout=20 \
    -rss_limit_mb=2048 -max_len=1048576 -artifact_prefix="$root/findings/$target-" -print_final_stats=1 >"$log" 2>&1
  code=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
  findings=$(find "$root/findings" -name "$target-*" -type f | wc -l)
  if [ -n "${FUZZ_RUNS:-}" ]; then budget="$FUZZ_RUNS runs after the seeds, seed 1"; else budget="$share s"; fi
  echo "fuzz $target: ${execs:-?} executions ($budget), exit $code, $findings finding(s) in $root/findings (log $log)"
  [ "$code" -eq 0 ] || status=1
done
exit $status
