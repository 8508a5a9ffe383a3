#!/usr/bin/env bash
# Held-out AUC on the Maven telecom churn file (trial14 log): candor's
# default scorecard (no declarations) and scorecardpy's documented pipeline
# (testdata/auc/scorecardpy_auc.py) on seven rotations of the repository's
# split (data row i, 0-based, is test when (i - k) % 10 < 3, k = 0, 1, 2, 6,
# 7, 8, 9), one JSON line per rotation (testdata/auc/common.sh's
# rotation_aucs). The file is prepared as in the log: the 454 "Joined"
# customers (no outcome yet) left out, the header's names stripped of their
# trailing spaces and its byte-order mark, and the identifier, the city
# (1,106 levels) and the two churn-reason columns (leaks) left out.
#
#   testdata/trials/2026-12-04-trial14-auc.sh TELECOM_CUSTOMER_CHURN_CSV SCORECARDPY_SRC
#
# TELECOM_CUSTOMER_CHURN_CSV: telecom_customer_churn.csv of
# github.com/dunsinagb/Maven-Churn-Challenge at
# 677296278855a1e21fa5b5bcfdefbaa87df07998 (md5 fdaeec4886690fe684b6263ea5f8d897).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
source "$(dirname "$0")/../auc/common.sh"
/usr/bin/python3 - "$1" "$work/maven.csv" <<'PY'
import sys
import pandas as pd
d = pd.read_csv(sys.argv[1], encoding="utf-8-sig", dtype=str, keep_default_na=False)
d.columns = [c.strip() for c in d.columns]
d = d[d.Customerstatus != "Joined"].drop(columns=["Customerid", "City", "Churncategory", "Churnreason"])
d.to_csv(sys.argv[2], index=False)
PY
rotation_aucs maven "$work/maven.csv" Customerstatus Churned "" "$2"
