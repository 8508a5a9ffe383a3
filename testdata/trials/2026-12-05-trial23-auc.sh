#!/usr/bin/env bash
# Held-out AUC on the IBM HR employee-attrition file (1,470 employees, 237
# leavers; trial23 log): candor's default scorecard (no declarations) and
# scorecardpy's documented pipeline (testdata/auc/scorecardpy_auc.py) on
# seven rotations of the repository's split (data row i, 0-based, is test
# when (i - k) % 10 < 3, k = 0, 1, 2, 6, 7, 8, 9), one JSON line per rotation
# (testdata/auc/common.sh's rotation_aucs). The file starts with a UTF-8
# byte-order mark, which both read as such. No column is left out.
#
#   testdata/trials/2026-12-05-trial23-auc.sh HR_CSV SCORECARDPY_SRC
#
# HR_CSV: WA_Fn-UseC_-HR-Employee-Attrition.csv of
# github.com/mao-code/IBM-HR-Analytics at
# e0a3ace0fe53511eda18f793b5cd52d5d1138945 (md5 5d23e89ee8ca9b79462b6f3fea318240; the IBM sample with its
# constant and id columns already removed).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
source "$(dirname "$0")/../auc/common.sh"
rotation_aucs hr_attrition "$1" Attrition Yes "" "$2"
