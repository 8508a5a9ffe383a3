"""Held-out AUC of scorecardpy's documented pipeline (README "Example"):
var_filter, woebin, woebin_ply, L1 logistic regression (penalty='l1',
C=0.9, solver='saga'), on the split candor's acceptance tests use (data row
i, 0-based, is test when i % 10 < 3). Filtering and binning see the
training rows only; the README's hand-made breaks_adj step is specific to
German credit and is left out. ROTATE=k tests data row i when
(i - k) % 10 < 3 instead (as diagnose.py and variants.sh do).

Run from a scorecardpy source checkout (github.com/ShichenXie/scorecardpy)
with Debian's python3-pandas, numpy, sklearn, statsmodels:

    PYTHONPATH=/path/to/scorecardpy /usr/bin/python3 scorecardpy_auc.py \
        NAME CSV TARGET EVENT [EXCLUDE,...]

It prints one JSON line: {"data": NAME, "auc": ..., "seconds": ...}.
"""
import json
import os
import sys
import time

import numpy as np
import pandas as pd
import scorecardpy as sc
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

name, path, target, event = sys.argv[1:5]
exclude = sys.argv[5].split(",") if len(sys.argv) > 5 and sys.argv[5] else []
start = time.time()
dat = pd.read_csv(path, keep_default_na=False, na_values=[""])
dat = dat.drop(columns=exclude)
# Cells of blanks are missing, and a column whose other cells are all
# numbers is numeric (as candor reads them: Telco's TotalCharges).
dat = dat.replace(r"^\s*$", np.nan, regex=True)
for col in dat.columns:
    if col != target and dat[col].dtype == object:
        num = pd.to_numeric(dat[col], errors="coerce")
        if num.notna().sum() == dat[col].notna().sum():
            dat[col] = num
dat[target] = (dat[target].astype(str) == event).astype(int)
rotate = int(os.environ.get("ROTATE", "0"))
test_rows = [(i - rotate) % 10 < 3 for i in range(len(dat))]
train = dat[[not t for t in test_rows]].reset_index(drop=True)
test = dat[test_rows].reset_index(drop=True)
train_s = sc.var_filter(train, y=target)
bins = sc.woebin(train_s, y=target)
train_woe = sc.woebin_ply(train_s, bins)
test_woe = sc.woebin_ply(test[train_s.columns], bins)
X_train = train_woe.loc[:, train_woe.columns != target]
# woebin_ply leaves NaN for a category never seen in training: WoE 0
# (no evidence either way).
X_test = test_woe.loc[:, X_train.columns].fillna(0)
lr = LogisticRegression(penalty="l1", C=0.9, solver="saga", n_jobs=-1)
lr.fit(X_train, train_woe[target])
auc = roc_auc_score(test_woe[target], lr.predict_proba(X_test)[:, 1])
print(json.dumps({"data": name, "auc": round(auc, 4), "seconds": round(time.time() - start, 1)}))
