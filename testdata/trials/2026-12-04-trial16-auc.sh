#!/usr/bin/env bash
# Held-out AUC on the mortgage-default extract (trial16 log): candor's
# default scorecard (no declarations) and scorecardpy's documented pipeline
# (testdata/auc/scorecardpy_auc.py) on seven rotations of the repository's
# split (data row i, 0-based, is test when (i - k) % 10 < 3, k = 0, 1, 2, 6,
# 7, 8, 9), one JSON line per rotation (testdata/auc/common.sh's
# rotation_aucs). Left out: the identifier ID and the columns whose blanks
# are recorded with the outcome (the log: Interest_rate_spread blank on
# exactly the defaulted loans, rate_of_interest on all but 21 of them,
# property_value and LTV on defaulted loans only, Upfront_charges blanks 92%
# defaulted).
#
#   testdata/trials/2026-12-04-trial16-auc.sh LOAN_DEFAULT_CSV SCORECARDPY_SRC
#
# LOAN_DEFAULT_CSV: data/Loan_Default.csv of github.com/marty-farrell-io/testB
# at ff1d27713455768033eb5854b28ffea6a190f670 (md5 88199b15bf29a1e72ea37f3638b04ea2).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
source "$(dirname "$0")/../auc/common.sh"
rotation_aucs loan_default "$1" Status 1 ID,Interest_rate_spread,rate_of_interest,property_value,LTV,Upfront_charges "$2"
