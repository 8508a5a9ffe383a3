#!/usr/bin/env bash
# Held-out AUC on a public 6,380-customer extract of the Cell2Cell telecom
# churn file (trial22 log): candor's default scorecard (no declarations)
# and scorecardpy's documented pipeline (testdata/auc/scorecardpy_auc.py) on
# seven rotations of the repository's split (data row i, 0-based, is test
# when (i - k) % 10 < 3, k = 0, 1, 2, 6, 7, 8, 9), one JSON line per rotation
# (testdata/auc/common.sh's rotation_aucs). The file writes a missing value
# as "?", which candor reads as text (only a blank cell is missing): the
# script blanks those cells first. ServiceArea (519 levels, over
# --max-levels) is left out of both.
#
#   testdata/trials/2026-12-05-trial22-auc.sh CELL2CELL_CSV SCORECARDPY_SRC
#
# CELL2CELL_CSV: cell2celltrain_Small_6k.csv of
# github.com/urbanclimatefr/telecom-customer-churn-prediction at
# 33e77974a3906b08f80078eac8cdf4607f155656 (md5 6b241616b679145078465cda41056345).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
source "$(dirname "$0")/../auc/common.sh"
sed 's/,?,/,,/g; s/,?,/,,/g; s/,?$/,/; s/^?,/,/' "$1" > "$work/cell2cell_blank.csv"
rotation_aucs cell2cell "$work/cell2cell_blank.csv" Churn Yes ServiceArea "$2"
