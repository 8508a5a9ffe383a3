# Sourced by run.sh, variants.sh and the trial AUC scripts: builds candor into a temporary $work
# (removed on exit), unpacks the repository's three data sets there
# (german.csv, bank.csv, telco.csv), and defines split_rows, table_sets and
# rotation_aucs.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$root" && go build -o "$work/candor" ./cmd/candor)
gunzip -c "$root/examples/datasets/german_credit.csv.gz" > "$work/german.csv"
gunzip -c "$root/examples/datasets/bank_marketing.csv.gz" > "$work/bank.csv"
gunzip -c "$root/examples/datasets/telco_churn.csv.gz" > "$work/telco.csv"

# split_rows NAME CSV writes $work/NAME.train.csv and $work/NAME.test.csv: data
# row i (0-based) is test when (i - ROTATE) % 10 < 3 (ROTATE unset: 0).
split_rows() {
	awk -v k="${ROTATE:-0}" -v tr="$work/$1.train.csv" -v te="$work/$1.test.csv" \
		'NR==1 {print > tr; print > te; next} {i = NR-2-k; if ((i % 10 + 10) % 10 < 3) print > te; else print > tr}' "$2"
}

# table_sets calls the caller's one NAME CSV TARGET EVENT EXCLUDE for the
# six data sets of the AUC table (the outside ones from $ext).
table_sets() {
	one german_credit "$work/german.csv" creditability bad ""
	one bank_marketing "$work/bank.csv" y yes duration
	one telco_churn "$work/telco.csv" Churn Yes customerID
	one heloc "$ext/heloc.csv" RiskPerformance Bad ""
	one uci_credit_card "$ext/uci_credit_card.csv" default Y ID
	one churn_modelling "$ext/churn_modelling.csv" Exited 1 RowNumber,CustomerId,Surname
}

# rotation_aucs NAME CSV TARGET EVENT EXCLUDE SCORECARDPY_SRC prints one JSON
# line per rotation k = 0, 1, 2, 6, 7, 8, 9 of the split (split_rows): the
# held-out AUC of candor's default scorecard and of scorecardpy's documented
# pipeline (scorecardpy_auc.py) on the same rows.
rotation_aucs() {
	local name=$1 csv=$2 target=$3 event=$4 exclude=$5 scpy=$6 k auc ref
	local flags=(--model scorecard --data "$work/$name.train.csv" --target "$target" --event "$event" --out "$work/$name.json")
	[ -n "$exclude" ] && flags+=(--exclude "$exclude")
	for k in 0 1 2 6 7 8 9; do
		ROTATE=$k split_rows "$name" "$csv"
		"$work/candor" fit "${flags[@]}" 2> /dev/null
		auc=$("$work/candor" monitor --model "$work/$name.json" --baseline "$work/$name.train.csv" --current "$work/$name.test.csv" --format json 2> /dev/null |
			/usr/bin/python3 -c 'import json, sys; print(round(json.load(sys.stdin)["current_performance"]["auc"], 4))')
		ref=$({ yes 1 || true; } | ROTATE=$k PYTHONPATH="$scpy" /usr/bin/python3 "$here/scorecardpy_auc.py" "$name" "$csv" "$target" "$event" "$exclude" 2> /dev/null |
			grep '^{' | /usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["auc"])')
		echo "{\"rotate\": $k, \"candor\": $auc, \"scorecardpy\": $ref}"
	done
}
