#!/usr/bin/env bash
# Held-out AUC on the Thera bank personal-loan file (trial18 log): candor's
# default scorecard (no declarations) and scorecardpy's documented pipeline
# (testdata/auc/scorecardpy_auc.py) on seven rotations of the repository's
# split (data row i, 0-based, is test when (i - k) % 10 < 3, k = 0, 1, 2, 6,
# 7, 8, 9), one JSON line per rotation (testdata/auc/common.sh's
# rotation_aucs). The identifier ID is left out; the file's line ends
# (CR CR LF) are made LF, which candor reads either way and Python's csv
# module does not.
#
#   testdata/trials/2026-12-04-trial18-auc.sh BANK_PERSONAL_LOAN_CSV SCORECARDPY_SRC
#
# BANK_PERSONAL_LOAN_CSV: Bank_Personal_Loan_Modelling.csv of
# github.com/PratyushChauhan/Datasets at 7aa22136dbbf33e32abcbe3d46b6be38d43dc03a
# (md5 2d55fd3dcb919fa4d5350c05f3dd912c).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
source "$(dirname "$0")/../auc/common.sh"
tr -d '\r' < "$1" > "$work/loan.csv"
rotation_aucs personal_loan "$work/loan.csv" "Personal Loan" 1 ID "$2"
