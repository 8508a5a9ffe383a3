#!/usr/bin/env bash
# Held-out AUC on a public loan-default file of 25,000 loans (trial20 log):
# candor's default scorecard (no declarations) and scorecardpy's documented
# pipeline (testdata/auc/scorecardpy_auc.py) on seven rotations of the
# repository's split (data row i, 0-based, is test when (i - k) % 10 < 3,
# k = 0, 1, 2, 6, 7, 8, 9), one JSON line per rotation
# (testdata/auc/common.sh's rotation_aucs). The identifier LoanID is left
# out; the file is read as it is.
#
#   testdata/trials/2026-12-04-trial20-auc.sh LOAN_DEFAULT_CSV SCORECARDPY_SRC
#
# LOAN_DEFAULT_CSV: Loan_default.csv of
# github.com/yhk1059/Loan-Default-Prediction at 0f1541e52bddf4f43d103b19aacc0e8babd00015
# (md5 7c3ae090cb65b91ae16792221e4a6fe6).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
source "$(dirname "$0")/../auc/common.sh"
rotation_aucs loan_default "$1" Default 1 LoanID "$2"
