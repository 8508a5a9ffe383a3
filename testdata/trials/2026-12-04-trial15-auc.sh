#!/usr/bin/env bash
# Held-out AUC on the health-insurance cross-sell extract (trial15 log):
# candor's default scorecard (no declarations) and scorecardpy's documented
# pipeline (testdata/auc/scorecardpy_auc.py) on seven rotations of the
# repository's split (data row i, 0-based, is test when (i - k) % 10 < 3,
# k = 0, 1, 2, 6, 7, 8, 9), one JSON line per rotation
# (testdata/auc/common.sh's rotation_aucs). The identifier id is left out.
#
#   testdata/trials/2026-12-04-trial15-auc.sh TEST_CSV SCORECARDPY_SRC
#
# TEST_CSV: data/processed/test.csv of
# github.com/Huyhoclaptrinh/Health-Insurance-Cross-Sell-Prediction at
# 9fe1535c7d490675a8d0b56cddde05704afc0c4f (md5 19342e99acfdb1d5183399ff663679fd).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
source "$(dirname "$0")/../auc/common.sh"
rotation_aucs cross_sell "$1" Response 1 id "$2"
