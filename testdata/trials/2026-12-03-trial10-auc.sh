#!/usr/bin/env bash
# Held-out AUC on the Give Me Some Credit extract (trial10 log): candor's
# default scorecard (no declarations) and scorecardpy's documented pipeline
# (testdata/auc/scorecardpy_auc.py) on seven rotations of the repository's
# split (data row i, 0-based, is test when (i - k) % 10 < 3, k = 0, 1, 2, 6,
# 7, 8, 9), one JSON line per rotation (testdata/auc/common.sh's
# rotation_aucs). The file is first given a name for
# its unnamed index column ("id", left out) and written back by pandas, so
# that its "NA" cells are blank, as a new user would after candor's error.
#
#   testdata/trials/2026-12-03-trial10-auc.sh CS_TRAINING_CSV SCORECARDPY_SRC
#
# CS_TRAINING_CSV: cs-training.csv of github.com/ioanageanta/ctrlaltelite at
# eba307337df2860cf12ce175f27d34432fa5b86f (md5 b54156c9e074cc6d3a7e3f7174489a77).
# Python: Debian's python3-pandas 1.5.3, python3-sklearn 1.2.1, numpy 1.24.2.
set -euo pipefail
source "$(dirname "$0")/../auc/common.sh"
sed '1s/^,/id,/' "$1" > "$work/named.csv"
/usr/bin/python3 -c "import pandas as pd; pd.read_csv('$work/named.csv').to_csv('$work/cs.csv', index=False)"
rotation_aucs gmsc "$work/cs.csv" SeriousDlqin2yrs 1 id "$2"
