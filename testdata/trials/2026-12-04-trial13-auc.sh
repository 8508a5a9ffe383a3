#!/usr/bin/env bash
# Held-out AUC on the LendingClub loan extract (trial13 log): candor's
# default scorecard (no declarations) and scorecardpy's documented pipeline
# (testdata/auc/scorecardpy_auc.py) on seven rotations of the repository's
# split (data row i, 0-based, is test when (i - k) % 10 < 3, k = 0, 1, 2, 6,
# 7, 8, 9), one JSON line per rotation. The file's lines end in a lone
# carriage return; candor reads it as it is, and so does pandas, but the
# split is made on a copy with "\n" line ends (awk reads lines by "\n").
#
#   testdata/trials/2026-12-04-trial13-auc.sh LOAN_DATA_CSV SCORECARDPY_SRC
#
# LOAN_DATA_CSV: loan_data.csv of github.com/Jatin-Mehra119/loan_dataset at
# 2b4ed976a975cbaa1ffa509f075a8f9889be1fba (md5 8256d38eed367beddc375ef7dd4ecc4e).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
csv=$1
scpy=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/candor" ./cmd/candor)
tr '\r' '\n' < "$csv" > "$work/loan.csv"
for k in 0 1 2 6 7 8 9; do
	awk -v k="$k" -v tr="$work/tr.csv" -v te="$work/te.csv" \
		'NR==1 {print > tr; print > te; next} {i = NR - 2 - k; if ((i % 10 + 10) % 10 < 3) print > te; else print > tr}' "$work/loan.csv"
	"$work/candor" fit --model scorecard --data "$work/tr.csv" --target not.fully.paid --event 1 --out "$work/m.json" 2> /dev/null
	auc=$("$work/candor" monitor --model "$work/m.json" --baseline "$work/tr.csv" --current "$work/te.csv" --format json 2> /dev/null |
		/usr/bin/python3 -c 'import json, sys; print(round(json.load(sys.stdin)["current_performance"]["auc"], 4))')
	ref=$({ yes 1 || true; } | ROTATE=$k PYTHONPATH="$scpy" /usr/bin/python3 "$root/testdata/auc/scorecardpy_auc.py" lendingclub "$work/loan.csv" not.fully.paid 1 "" 2> /dev/null |
		grep '^{' | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["auc"])')
	echo "{\"rotate\": $k, \"candor\": $auc, \"scorecardpy\": $ref}"
done
