#!/usr/bin/env bash
# Held-out AUC of `candor fit --model scorecard` (defaults, no declarations;
# then HELOC with heloc_features.json) and of scorecardpy's documented
# pipeline (scorecardpy_auc.py), on the split: data row i (0-based) is test
# when i % 10 < 3 (ROTATE=k: (i - k) % 10 < 3). Writes one JSON line per
# data set to stdout; auc.json is its committed output.
#
#   testdata/auc/run.sh SCORECARDPY_SRC EXTERNAL_DIR > testdata/auc/auc.json
#
# SCORECARDPY_SRC: a checkout of github.com/ShichenXie/scorecardpy (run from
# source with Debian's python3-pandas, numpy, sklearn, statsmodels).
# EXTERNAL_DIR holds the public data sets that are not in the repository
# (see README.md here): heloc.csv, uci_credit_card.csv, churn_modelling.csv.
set -euo pipefail
scpy=$1
ext=$2
source "$(dirname "$0")/common.sh"

# one NAME CSV TARGET EVENT EXCLUDE [FEATURES [MODEL]]
one() {
	local name=$1 csv=$2 target=$3 event=$4 exclude=$5 features=${6:-} model=${7:-scorecard}
	split_rows "$name" "$csv"
	local flags=(--model "$model" --data "$work/$name.train.csv" --target "$target" --event "$event" --out "$work/$name.json")
	[ -n "$exclude" ] && flags+=(--exclude "$exclude")
	[ -n "$features" ] && flags+=(--features "$features")
	"$work/candor" fit "${flags[@]}" 2> "$work/$name.report"
	local auc
	auc=$("$work/candor" monitor --model "$work/$name.json" --baseline "$work/$name.train.csv" --current "$work/$name.test.csv" --format json 2>/dev/null \
		| /usr/bin/python3 -c 'import json, sys; print(round(json.load(sys.stdin)["current_performance"]["auc"], 4))')
	local ref="null"
	if [ -z "$features" ] && [ "$model" = scorecard ]; then
		ref=$({ yes 1 || true; } | PYTHONPATH="$scpy" /usr/bin/python3 "$here/scorecardpy_auc.py" "$name" "$csv" "$target" "$event" "$exclude" 2>/dev/null \
			| grep '^{' | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["auc"])')
	fi
	echo "{\"data\": \"$name\", \"model\": \"$model\", \"declarations\": $([ -n "$features" ] && echo true || echo false), \"candor\": $auc, \"scorecardpy\": $ref}"
}

table_sets
one heloc "$ext/heloc.csv" RiskPerformance Bad "" "$here/heloc_features.json"
# logistic regression on HELOC: numbers as numbers, then the declared codes as indicators
one heloc "$ext/heloc.csv" RiskPerformance Bad "" "" logistic
one heloc "$ext/heloc.csv" RiskPerformance Bad "" "$here/heloc_features.json" logistic
