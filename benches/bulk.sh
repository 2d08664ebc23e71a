#!/usr/bin/env bash
# Bulk sync benchmark: `top blacklist sync` of generated files against a local `top sandbox`,
# rows/s and peak RSS (GNU time), medians over several runs.
#
#   bash benches/bulk.sh [ROWS...]        # default: 100000 1000000
#   RUNS=3 BATCH=100 CONCURRENCY=8 bash benches/bulk.sh 100000
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
BATCH=${BATCH:-100}
CONCURRENCY=${CONCURRENCY:-8}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)

cargo build --quiet --release -p top-cli
# Wherever cargo built it: CARGO_TARGET_DIR, a config's build.target-dir, or ./target.
target_dir=$(cargo metadata --no-deps --format-version 1 \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
top="$target_dir/release/top"
work=$(mktemp -d)
trap 'kill $sandbox_pid 2>/dev/null || true; rm -rf "$work"' EXIT

"$top" sandbox --listen 127.0.0.1:0 --max-blacklist-entries "$BATCH" >"$work/sandbox.out" 2>&1 &
sandbox_pid=$!
for _ in $(seq 50); do grep -q 'listening on' "$work/sandbox.out" && break; sleep 0.1; done
export TOP_ENDPOINT=$(grep -o 'http://[^ ]*' "$work/sandbox.out" | head -1)
export TOP_APP_KEY=10000001 TOP_APP_SECRET=sandbox-secret

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

printf '%-9s %-5s %12s %12s %14s\n' rows runs "rows/s" "wall s" "peak RSS MiB"
for rows in "${sizes[@]}"; do
  python3 - "$work/input.csv" "$rows" <<'PY'
import sys
path, rows = sys.argv[1], int(sys.argv[2])
with open(path, "w") as f:
    f.write("mobile,reason\n")
    for i in range(rows):
        f.write('13%09d,"%d"\n' % (i, i % 5 + 1))
PY
  : >"$work/rates"; : >"$work/walls"; : >"$work/rss"
  for run in $(seq "$RUNS"); do
    rm -f "$work/input.csv.journal"*
    /usr/bin/time -v -o "$work/time" "$top" blacklist sync "$work/input.csv" --supplier-id "S$rows-$run" \
      --qps 1000000 --concurrency "$CONCURRENCY" --batch-size "$BATCH" --output json >"$work/summary.json"
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["done"]==s["total"], s; print(s["rows_per_second"])' "$work/summary.json" >>"$work/rates"
    awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$work/time" >>"$work/walls"
    awk -F': ' '/Maximum resident set size/ {printf "%.1f\n", $2/1024}' "$work/time" >>"$work/rss"
  done
  printf '%-9s %-5s %12.0f %12.2f %14s\n' "$rows" "$RUNS" "$(median <"$work/rates")" "$(median <"$work/walls")" "$(median <"$work/rss")"
done
