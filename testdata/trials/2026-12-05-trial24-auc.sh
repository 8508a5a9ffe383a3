#!/usr/bin/env bash
# Held-out AUC on a public insurance claims file (1,000 claims, 247 reported
# as fraud; trial24 log): candor's default scorecard (no declarations) and
# scorecardpy's documented pipeline (testdata/auc/scorecardpy_auc.py) on
# seven rotations of the repository's split (data row i, 0-based, is test
# when (i - k) % 10 < 3, k = 0, 1, 2, 6, 7, 8, 9), one JSON line per rotation
# (testdata/auc/common.sh's rotation_aucs). Left out of both: the two date
# columns and the street address (candor refuses them as inputs). "?" stays
# a level in both.
#
#   testdata/trials/2026-12-05-trial24-auc.sh CLAIMS_CSV SCORECARDPY_SRC
#
# CLAIMS_CSV: insurance_claims.csv of github.com/kcao22/insurance_fraud at
# a06b26f26ca529644e0dc57e22a85d918c14e10d (md5 6a47bafeaf60f05fa93f653900a6a1a8).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
source "$(dirname "$0")/../auc/common.sh"
rotation_aucs claims "$1" fraud_reported Y policy_bind_date,incident_date,incident_location "$2"
