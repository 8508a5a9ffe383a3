#!/usr/bin/env bash
# Held-out AUC on the e-commerce churn file (trial4 log): candor's logistic
# (--missing drop, --l2 1: with --l2 0 the fit separates on a level of 6
# rows), scorecard and boosted fits with defaults and no declarations but
# --exclude CustomerID, scikit-learn's HistGradientBoostingClassifier
# (defaults; text columns ordinal-coded, categorical_features on them), and
# scorecardpy's documented pipeline (testdata/auc/scorecardpy_auc.py), on the
# repository's split (data row i, 0-based, is test when i % 10 < 3) of the
# file as it comes and of the file shuffled by pandas' sample(frac=1,
# random_state=0). The logistic AUC is over the test rows without blanks.
#
#   testdata/trials/2026-12-02-trial4-auc.sh ECOM_CSV SCORECARDPY_SRC
#
# ECOM_CSV: "E Commerce Dataset.csv" of
# github.com/elixir06/Capstone-3-E-commerce-Customer-Churn-Classification at
# 3ddf602dd8aaee635ede6d0cbf0c28e8626465d9 (md5 2759d24033806a04a443e5633223a94e;
# ';'-separated, with a byte-order mark: rewritten here as a plain CSV).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
csv=$1
scpy=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/candor" ./cmd/candor)
/usr/bin/python3 -c "
import pandas as pd
d = pd.read_csv('$csv', sep=';', encoding='utf-8-sig', dtype=str, keep_default_na=False)
d.to_csv('$work/asis.csv', index=False)
d.sample(frac=1, random_state=0).to_csv('$work/shuffled.csv', index=False)"
for name in asis shuffled; do
	awk -v tr="$work/$name.train.csv" -v te="$work/$name.test.csv" \
		'NR==1 {print > tr; print > te; next} {i = NR - 2; if (i % 10 < 3) print > te; else print > tr}' "$work/$name.csv"
	for model in logistic scorecard boosted; do
		extra=""
		[ "$model" = logistic ] && extra="--missing drop --l2 1"
		# shellcheck disable=SC2086
		"$work/candor" fit --model "$model" --data "$work/$name.train.csv" --target Churn --event 1 --exclude CustomerID $extra \
			--out "$work/$name.$model.json" 2> /dev/null
		auc=$("$work/candor" monitor --model "$work/$name.$model.json" --baseline "$work/$name.train.csv" --current "$work/$name.test.csv" --format json 2> /dev/null |
			/usr/bin/python3 -c 'import json, sys; print(round(json.load(sys.stdin)["current_performance"]["auc"], 4))')
		echo "{\"file\": \"$name\", \"model\": \"candor $model\", \"auc\": $auc}"
	done
	/usr/bin/python3 -c "
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score
tr = pd.read_csv('$work/$name.train.csv'); te = pd.read_csv('$work/$name.test.csv')
X, Xt = tr.drop(columns=['Churn', 'CustomerID']), te.drop(columns=['Churn', 'CustomerID'])
cats = [c for c in X.columns if X[c].dtype == object]
for c in cats:
    codes = {v: k for k, v in enumerate(sorted(X[c].dropna().unique()))}
    X[c], Xt[c] = X[c].map(codes), Xt[c].map(codes)
h = HistGradientBoostingClassifier(categorical_features=[X.columns.get_loc(c) for c in cats]).fit(X, tr.Churn)
print('{\"file\": \"$name\", \"model\": \"sklearn HistGradientBoosting\", \"auc\": %s}' % round(roc_auc_score(te.Churn, h.predict_proba(Xt)[:, 1]), 4))"
	ref=$({ yes 1 || true; } | PYTHONPATH="$scpy" /usr/bin/python3 "$root/testdata/auc/scorecardpy_auc.py" "$name" "$work/$name.csv" Churn 1 CustomerID 2> /dev/null |
		grep '^{' | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["auc"])')
	echo "{\"file\": \"$name\", \"model\": \"scorecardpy\", \"auc\": $ref}"
done
