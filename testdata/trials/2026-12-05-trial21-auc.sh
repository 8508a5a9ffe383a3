#!/usr/bin/env bash
# Held-out AUC on a public travel-insurance purchase file of 1,987
# customers (trial21 log): candor's default scorecard (no declarations) and
# scorecardpy's documented pipeline (testdata/auc/scorecardpy_auc.py) on
# seven rotations of the repository's split (data row i, 0-based, is test
# when (i - k) % 10 < 3, k = 0, 1, 2, 6, 7, 8, 9), one JSON line per rotation
# (testdata/auc/common.sh's rotation_aucs). The file's first column, a
# pandas row index with an empty name, is named id and left out.
#
#   testdata/trials/2026-12-05-trial21-auc.sh TRAVEL_CSV SCORECARDPY_SRC
#
# TRAVEL_CSV: TravelInsurancePrediction.csv of
# github.com/BOAKYE-KWARTENG/TRAVEL-INSURANCE-PURCHASE-PREDICTION at
# 7a48326e7bd89ffd8763a886127cc93212908736 (md5 6ef1052b4c5b48fb191a76f308d6ec80).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
source "$(dirname "$0")/../auc/common.sh"
sed '1s/^/id/' "$1" > "$work/travel_named.csv"
rotation_aucs travel "$work/travel_named.csv" TravelInsurance 0 id "$2"
