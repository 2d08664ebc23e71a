#!/usr/bin/env bash
# Input benchmark: the same generated rows as CSV and as an .xlsx workbook, each synced with
# `top blacklist sync` against a local `top sandbox` (and checked with --dry-run), in one
# run: peak RSS of `top` (GNU time) and wall time, and the workbook/CSV ratio.
#
#   bash benches/inputs.sh [ROWS]        # default: 1000000
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-1000000}

cargo build --quiet --release -p top-cli --bin top --example make_input
target_dir=$(cargo metadata --no-deps --format-version 1 \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
top="$target_dir/release/top"
make_input="$target_dir/release/examples/make_input"
work=$(mktemp -d)
trap 'kill $sandbox_pid 2>/dev/null || true; rm -rf "$work"' EXIT

"$make_input" csv "$work/list.csv" "$ROWS"
"$make_input" xlsx "$work/list.xlsx" "$ROWS"

"$top" sandbox --listen 127.0.0.1:0 >"$work/sandbox.out" 2>&1 &
sandbox_pid=$!
for _ in $(seq 50); do grep -q 'listening on' "$work/sandbox.out" && break; sleep 0.1; done
export TOP_ENDPOINT=$(grep -o 'http://[^ ]*' "$work/sandbox.out" | head -1)
export TOP_APP_KEY=10000001 TOP_APP_SECRET=sandbox-secret

measure() { # name mode file
  local name=$1 mode=$2 file=$3 extra=()
  [ "$mode" = dry-run ] && extra=(--dry-run)
  rm -f "$file.journal"*
  /usr/bin/time -v -o "$work/time" "$top" blacklist sync "$file" --supplier-id "S-$name-$mode" \
    --qps 1000000 --concurrency 8 --output json "${extra[@]}" >"$work/summary.json" 2>/dev/null || true
  python3 - "$work/summary.json" "$ROWS" <<'PY'
import json, sys
s = json.load(open(sys.argv[1])); rows = int(sys.argv[2])
done = s.get("valid", s.get("done"))
assert done == rows, s
PY
  local rss wall
  rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.1f", $2/1024}' "$work/time")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; printf "%.2f", s}' "$work/time")
  printf '%-5s %-8s %9s %14s %10s\n' "$name" "$mode" "$ROWS" "$rss" "$wall"
  echo "$name $mode $rss" >>"$work/rss"
}

printf '%-5s %-8s %9s %14s %10s\n' input mode rows "peak RSS MiB" "wall s"
ls -l "$work/list.csv" "$work/list.xlsx" | awk '{print "  " $9 ": " $5 " bytes"}' >&2
for mode in sync dry-run; do
  measure csv "$mode" "$work/list.csv"
  measure xlsx "$mode" "$work/list.xlsx"
done
awk '{rss[$1" "$2]=$3} END {
  printf "xlsx/csv peak RSS: sync %.2fx, dry run %.2fx\n", rss["xlsx sync"]/rss["csv sync"], rss["xlsx dry-run"]/rss["csv dry-run"]
}' "$work/rss"
