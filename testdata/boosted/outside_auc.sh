#!/usr/bin/env bash
# Held-out AUC of candor's boosted additive model (main effects, and with
# `--interactions auto`), its scorecard and its logistic model (defaults),
# beside scikit-learn's HistGradientBoostingClassifier (outside_hgb.py: default
# settings, then restricted to main effects, then to pairs), on five public
# data sets that are not in the repository (README.md here names
# each file's source and md5). Split: data row i (0-based) is test when
# i % 10 < 3. Writes one JSON line per data set to stdout; outside_auc.json
# is its committed output.
#
#   testdata/boosted/outside_auc.sh EXTERNAL_DIR NEW_DIR > testdata/boosted/outside_auc.json
#
# EXTERNAL_DIR: heloc.csv, uci_credit_card.csv, churn_modelling.csv (made by
# testdata/auc/prepare.sh); NEW_DIR: hmeq.csv, bankchurners.csv (taken as
# they are, testdata/auc/README.md). The logistic model is unpenalised; when
# that fit fails it is refitted with --l2 1 ("logistic_l2": 1), then with
# --missing indicator ("logistic_missing": "indicator"; HMEQ's blank cells,
# which a logistic regression otherwise refuses), then with both; when every
# fit fails its AUC is null and "logistic_error" holds what the last fit's
# first line says failed.
set -euo pipefail
ext=$1
new=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/candor" ./cmd/candor)

# auc NAME MODEL prints the held-out AUC of $work/NAME.MODEL.json.
auc() {
	"$work/candor" monitor --model "$work/$1.$2.json" --baseline "$work/$1.train.csv" --current "$work/$1.test.csv" --format json 2>/dev/null |
		/usr/bin/python3 -c 'import json, sys; print(round(json.load(sys.stdin)["current_performance"]["auc"], 4))'
}

# one NAME CSV TARGET EVENT EXCLUDE
one() {
	local name=$1 csv=$2 target=$3 event=$4 exclude=$5
	awk -v tr="$work/$name.train.csv" -v te="$work/$name.test.csv" \
		'NR==1 {print > tr; print > te; next} {i = NR-2; if (i % 10 < 3) print > te; else print > tr}' "$csv"
	local base=(--data "$work/$name.train.csv" --target "$target" --event "$event")
	[ -n "$exclude" ] && base+=(--exclude "$exclude")
	"$work/candor" fit --model boosted "${base[@]}" --out "$work/$name.mains.json" 2> "$work/$name.mains.report"
	"$work/candor" fit --model boosted --interactions auto "${base[@]}" --out "$work/$name.pairs.json" 2> "$work/$name.pairs.report"
	"$work/candor" fit --model scorecard "${base[@]}" --out "$work/$name.scorecard.json" 2> "$work/$name.scorecard.report"
	local logistic="null" l2=0 lerr="" missing=error
	if "$work/candor" fit --model logistic "${base[@]}" --out "$work/$name.logistic.json" 2> "$work/$name.logistic.report"; then
		logistic=$(auc "$name" logistic)
	elif "$work/candor" fit --model logistic --l2 1 "${base[@]}" --out "$work/$name.logistic.json" 2> "$work/$name.logistic.report"; then
		logistic=$(auc "$name" logistic) l2=1
	elif "$work/candor" fit --model logistic --missing indicator "${base[@]}" --out "$work/$name.logistic.json" 2> "$work/$name.logistic.report"; then
		logistic=$(auc "$name" logistic) missing=indicator
	elif "$work/candor" fit --model logistic --missing indicator --l2 1 "${base[@]}" --out "$work/$name.logistic.json" 2> "$work/$name.logistic.report"; then
		logistic=$(auc "$name" logistic) missing=indicator l2=1
	else
		lerr=$(head -n 1 "$work/$name.logistic.report" | cut -d: -f3 | sed "s/^ //")
	fi
	local pairs
	pairs=$(grep -c '^pair ' "$work/$name.pairs.report" || true)
	local hgb
	hgb=$(/usr/bin/python3 "$here/outside_hgb.py" "$name" "$csv" "$target" "$event" "$exclude")
	NAME=$name MAINS=$(auc "$name" mains) PAIRS=$(auc "$name" pairs) NPAIRS=$pairs SCORECARD=$(auc "$name" scorecard) \
		LOGISTIC=$logistic L2=$l2 LMISSING=$missing LERR=$lerr HGB=$hgb /usr/bin/python3 -c '
import json, os
e = os.environ
h = json.loads(e["HGB"])
out = {"data": e["NAME"], "boosted_mains": float(e["MAINS"]), "boosted_pairs": float(e["PAIRS"]), "pairs": int(e["NPAIRS"]),
       "scorecard": float(e["SCORECARD"]), "logistic": None if e["LOGISTIC"] == "null" else float(e["LOGISTIC"]),
       "logistic_l2": float(e["L2"]), "logistic_missing": e["LMISSING"], "hgb": h["hgb"], "hgb_mains": h["hgb_mains"], "hgb_pairs": h["hgb_pairs"], "sklearn": h["sklearn"]}
if e["LERR"]:
    out["logistic_error"] = e["LERR"]
print(json.dumps(out))'
}

nb=Naive_Bayes_Classifier_Attrition_Flag_Card_Category_Contacts_Count_12_mon_Dependent_count_Education_Level_Months_Inactive_12_mon_
one heloc "$ext/heloc.csv" RiskPerformance Bad ""
one uci_credit_card "$ext/uci_credit_card.csv" default Y ID
one churn_modelling "$ext/churn_modelling.csv" Exited 1 RowNumber,CustomerId,Surname
one hmeq "$new/hmeq.csv" BAD 1 ""
one bankchurners "$new/bankchurners.csv" Attrition_Flag "Attrited Customer" "CLIENTNUM,${nb}1,${nb}2"
