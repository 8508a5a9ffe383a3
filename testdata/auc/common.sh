# Sourced by run.sh and variants.sh: builds candor into a temporary $work
# (removed on exit), unpacks the repository's three data sets there
# (german.csv, bank.csv, telco.csv), and defines split_rows and table_sets.
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
