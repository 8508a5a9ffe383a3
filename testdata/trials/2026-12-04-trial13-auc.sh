#!/usr/bin/env bash
# Held-out AUC on the LendingClub loan extract (trial13 log): candor's
# default scorecard (no declarations) and scorecardpy's documented pipeline
# (testdata/auc/scorecardpy_auc.py) on seven rotations of the repository's
# split (data row i, 0-based, is test when (i - k) % 10 < 3, k = 0, 1, 2, 6,
# 7, 8, 9), one JSON line per rotation (testdata/auc/common.sh's
# rotation_aucs). The file's lines end in a lone carriage return; candor
# reads it as it is, and so does pandas, but the split is made on a copy
# with "\n" line ends (awk reads lines by "\n").
#
#   testdata/trials/2026-12-04-trial13-auc.sh LOAN_DATA_CSV SCORECARDPY_SRC
#
# LOAN_DATA_CSV: loan_data.csv of github.com/Jatin-Mehra119/loan_dataset at
# 2b4ed976a975cbaa1ffa509f075a8f9889be1fba (md5 8256d38eed367beddc375ef7dd4ecc4e).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
source "$(dirname "$0")/../auc/common.sh"
tr '\r' '\n' < "$1" > "$work/loan.csv"
rotation_aucs lendingclub "$work/loan.csv" not.fully.paid 1 "" "$2"
