#!/usr/bin/env bash
# Held-out AUC on the BigML telecom churn files (trial17 log): candor's
# default scorecard (no declarations) and scorecardpy's documented pipeline
# (testdata/auc/scorecardpy_auc.py) on seven rotations of the repository's
# split (data row i, 0-based, is test when (i - k) % 10 < 3, k = 0, 1, 2, 6,
# 7, 8, 9), one JSON line per rotation (testdata/auc/common.sh's
# rotation_aucs), on the two files joined: churn-bigml-80.csv, then the rows
# of churn-bigml-20.csv, the target written yes/no in both (the first file
# writes TRUE/FALSE, the second True/False, and pandas reads either as a
# boolean, which scorecardpy_auc.py's event "TRUE" would not match; the first
# file's CRLF line ends are dropped).
#
#   testdata/trials/2026-12-04-trial17-auc.sh CHURN_80_CSV CHURN_20_CSV SCORECARDPY_SRC
#
# The files: churn-bigml-80.csv and churn-bigml-20.csv of
# github.com/ABKevin/Customer-churn-dataset at
# 69b54539f4964dd79d680e2d8cec1e2101addbfc (md5 72c8fcb258d26b42f5bfa269751fefc8
# and 47cdd0fb9206ab7c77925605cdd4ae73).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
source "$(dirname "$0")/../auc/common.sh"
{
	cat "$1"
	tail -n +2 "$2"
} | sed 's/\r$//; s/,\(FALSE\|False\)$/,no/; s/,\(TRUE\|True\)$/,yes/' > "$work/bigml.csv"
rotation_aucs bigml "$work/bigml.csv" Churn yes "" "$3"
