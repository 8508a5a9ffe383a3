#!/usr/bin/env bash
# The streaming benchmarks of the README's "Scoring a whole book": candor
# score, score --reasons 4, explain --format json and recourse on
# German-credit-shaped rows (testdata/bench/gengerman), and the peer,
# chunked pandas + scikit-learn (testdata/bench/peer_sklearn.py, Debian's
# /usr/bin/python3), in the same run. Each line gives wall time, CPU time
# (user + system) and peak resident memory (/usr/bin/time's %M). Outputs go
# to /dev/null, so that the figures are the programs' and not the disk's.
#
#   bash testdata/bench/run.sh [SCRATCH]     # default /tmp/candor-bench
#   ROWS="1000000" bash testdata/bench/run.sh
#
# The scratch folder (outside the repository) holds the generated files:
# about 270 MB per million rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=${1:-/tmp/candor-bench}
rows=${ROWS:-"1000000 10000000"}
mkdir -p "$dir"
go build -o "$dir/candor" ./cmd/candor
gunzip -c examples/datasets/german_credit.csv.gz > "$dir/german.csv"
"$dir/candor" fit --data "$dir/german.csv" --target creditability --event bad --out "$dir/model.json" 2> /dev/null
printf '%s\n' '{"features": {"duration_in_month": {"direction": "decrease"}, "credit_amount": {"direction": "decrease"},' \
  '  "savings_account_and_bonds": {}, "status_of_existing_checking_account": {}}}' > "$dir/actions.json"

# measure NAME ROWS COMMAND...: one line of figures.
measure() {
  local name=$1 n=$2
  shift 2
  /usr/bin/time -f "%e %U %S %M" -o "$dir/time.txt" "$@" > /dev/null 2> "$dir/stderr.txt" || {
    echo "$name failed:"; cat "$dir/stderr.txt"; exit 1; }
  read -r wall user sys kb < <(tail -1 "$dir/time.txt")
  awk -v name="$name" -v n="$n" -v w="$wall" -v u="$user" -v s="$sys" -v kb="$kb" 'BEGIN {
    printf "%-44s %9d rows %7.1f s wall %7.1f s cpu %6.0f MB peak %6.2f us/row cpu\n", name, n, w, u + s, kb / 1024, (u + s) * 1e6 / n }'
}

for n in $rows; do
  f="$dir/german$n.csv"
  [ -s "$f" ] || go run ./testdata/bench/gengerman -rows "$n" -out "$f"
  measure "candor score" "$n" "$dir/candor" score --model "$dir/model.json" --data "$f" --out /dev/null
  measure "candor score --reasons 4" "$n" "$dir/candor" score --model "$dir/model.json" --data "$f" --reasons 4 --out /dev/null
  measure "pandas + scikit-learn, chunks of 100,000" "$n" /usr/bin/python3 testdata/bench/peer_sklearn.py \
    --train "$dir/german.csv" --data "$f" --out /dev/null
done
n=$(echo "$rows" | awk '{print $1}')
f="$dir/german$n.csv"
measure "candor explain --format json" "$n" "$dir/candor" explain --model "$dir/model.json" --data "$f" --format json --out /dev/null
measure "candor recourse (first 100,000 rows)" 100000 "$dir/candor" recourse --model "$dir/model.json" --data "$f" \
  --actions "$dir/actions.json" --rows 1-100000 --out /dev/null
