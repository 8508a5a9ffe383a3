#!/usr/bin/env bash
# Held-out AUC on the Give Me Some Credit extract (trial10 log): candor's
# default scorecard (no declarations) and scorecardpy's documented pipeline
# (testdata/auc/scorecardpy_auc.py) on seven rotations of the repository's
# split (data row i, 0-based, is test when (i - k) % 10 < 3, k = 0, 1, 2, 6,
# 7, 8, 9), one JSON line per rotation. The file is first given a name for
# its unnamed index column ("id", left out) and written back by pandas, so
# that its "NA" cells are blank, as a new user would after candor's error.
#
#   testdata/trials/2026-12-03-trial10-auc.sh CS_TRAINING_CSV SCORECARDPY_SRC
#
# CS_TRAINING_CSV: cs-training.csv of github.com/ioanageanta/ctrlaltelite at
# eba307337df2860cf12ce175f27d34432fa5b86f (md5 b54156c9e074cc6d3a7e3f7174489a77).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
csv=$1
scpy=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/candor" ./cmd/candor)
sed '1s/^,/id,/' "$csv" > "$work/named.csv"
/usr/bin/python3 -c "import pandas as pd; pd.read_csv('$work/named.csv').to_csv('$work/cs.csv', index=False)"
for k in 0 1 2 6 7 8 9; do
	awk -v k="$k" -v tr="$work/tr.csv" -v te="$work/te.csv" \
		'NR==1 {print > tr; print > te; next} {i = NR - 2 - k; if ((i % 10 + 10) % 10 < 3) print > te; else print > tr}' "$work/cs.csv"
	"$work/candor" fit --model scorecard --data "$work/tr.csv" --target SeriousDlqin2yrs --event 1 --exclude id --out "$work/m.json" 2> /dev/null
	auc=$("$work/candor" monitor --model "$work/m.json" --baseline "$work/tr.csv" --current "$work/te.csv" --format json 2> /dev/null |
		/usr/bin/python3 -c 'import json, sys; print(round(json.load(sys.stdin)["current_performance"]["auc"], 4))')
	ref=$({ yes 1 || true; } | ROTATE=$k PYTHONPATH="$scpy" /usr/bin/python3 "$root/testdata/auc/scorecardpy_auc.py" gmsc "$work/cs.csv" SeriousDlqin2yrs 1 id 2> /dev/null |
		grep '^{' | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["auc"])')
	echo "{\"rotate\": $k, \"candor\": $auc, \"scorecardpy\": $ref}"
done
