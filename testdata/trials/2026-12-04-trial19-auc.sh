#!/usr/bin/env bash
# Held-out AUC on IBM's telecom churn file in its ';' and decimal-comma
# form (trial19 log): candor's default scorecard (no declarations) and
# scorecardpy's documented pipeline (testdata/auc/scorecardpy_auc.py) on
# seven rotations of the repository's split (data row i, 0-based, is test
# when (i - k) % 10 < 3, k = 0, 1, 2, 6, 7, 8, 9), one JSON line per rotation
# (testdata/auc/common.sh's rotation_aucs). The file is rewritten as a ','
# file with decimal points (so that both tools read it alike), its
# byte-order mark dropped, and left out: the identifier, the city (1,129
# levels) and the pair of coordinates (1,652), the three columns named
# after the target (Churn Value, Churn Reason, Churn Score) and the
# constant Count, Country and State.
#
#   testdata/trials/2026-12-04-trial19-auc.sh TELCO_CUSTOMER_CHURN_CSV SCORECARDPY_SRC
#
# TELCO_CUSTOMER_CHURN_CSV: data/Telco_customer_churn.csv of
# github.com/marcelobour/telco_churn at 8b8fb4ddb5d9003f10dfc6b5de0724870131408f
# (md5 cba2bb841c63941ff543d7ff242d6125).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
source "$(dirname "$0")/../auc/common.sh"
/usr/bin/python3 - "$1" "$work/ibm.csv" <<'PY'
import sys
import pandas as pd
d = pd.read_csv(sys.argv[1], sep=";", encoding="utf-8-sig", dtype=str, keep_default_na=False)
for c in ["Latitude", "Longitude", "Monthly Charges", "Total Charges"]:
    d[c] = d[c].str.replace(",", ".", regex=False)
d = d.drop(columns=["CustomerID", "City", "Lat Long", "Churn Value", "Churn Reason", "Churn Score", "Count", "Country", "State"])
d.to_csv(sys.argv[2], index=False)
PY
rotation_aucs ibm_telco "$work/ibm.csv" "Churn Label" Yes "" "$2"
