#!/usr/bin/env bash
# Held-out AUC on the Iranian churn file (trial3 log): candor's logistic,
# scorecard and boosted fits with defaults and no declarations, scikit-learn's
# HistGradientBoostingClassifier (defaults), and scorecardpy's documented
# pipeline (testdata/auc/scorecardpy_auc.py), on the repository's split
# (data row i, 0-based, is test when i % 10 < 3) of the file as it comes and
# of the file shuffled by pandas' sample(frac=1, random_state=0).
#
#   testdata/trials/2026-12-02-trial3-auc.sh CHURN_CSV SCORECARDPY_SRC
#
# CHURN_CSV: Customer_Churn.csv of github.com/Sabreen-Nazar/Iranian_Churn at
# 5e7a7632b1efe30aff8417cb78cf01c3f017ac75 (md5 07311e7080c0fb5b0ce94f5977abc4d5).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
csv=$1
scpy=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/candor" ./cmd/candor)
/usr/bin/python3 -c "import pandas as pd; pd.read_csv('$csv').sample(frac=1, random_state=0).to_csv('$work/shuffled.csv', index=False)"
cp "$csv" "$work/asis.csv"
for name in asis shuffled; do
	awk -v tr="$work/$name.train.csv" -v te="$work/$name.test.csv" \
		'NR==1 {print > tr; print > te; next} {i = NR - 2; if (i % 10 < 3) print > te; else print > tr}' "$work/$name.csv"
	for model in logistic scorecard boosted; do
		"$work/candor" fit --model "$model" --data "$work/$name.train.csv" --target Churn --event 1 --out "$work/$name.$model.json" 2> /dev/null
		auc=$("$work/candor" monitor --model "$work/$name.$model.json" --baseline "$work/$name.train.csv" --current "$work/$name.test.csv" --format json 2> /dev/null |
			/usr/bin/python3 -c 'import json, sys; print(round(json.load(sys.stdin)["current_performance"]["auc"], 4))')
		echo "{\"file\": \"$name\", \"model\": \"candor $model\", \"auc\": $auc}"
	done
	/usr/bin/python3 -c "
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
tr = pd.read_csv('$work/$name.train.csv'); te = pd.read_csv('$work/$name.test.csv')
h = HistGradientBoostingClassifier().fit(tr.drop(columns='Churn'), tr.Churn)
print('{\"file\": \"$name\", \"model\": \"sklearn HistGradientBoosting\", \"auc\": %s}' % round(roc_auc_score(te.Churn, h.predict_proba(te.drop(columns='Churn'))[:, 1]), 4))"
	ref=$({ yes 1 || true; } | PYTHONPATH="$scpy" /usr/bin/python3 "$root/testdata/auc/scorecardpy_auc.py" "$name" "$work/$name.csv" Churn 1 "" 2> /dev/null |
		grep '^{' | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["auc"])')
	echo "{\"file\": \"$name\", \"model\": \"scorecardpy\", \"auc\": $ref}"
done
