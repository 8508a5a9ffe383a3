"""Where a gap between candor's default scorecard and scorecardpy comes from.

Both pipelines have two stages: binning (with its WoE columns) and a
logistic regression on them. This script holds one stage fixed and swaps
the other, on the split of run.sh (data row i, 0-based, is test when
i % 10 < 3; ROTATE=k tests rows with (i - k) % 10 < 3 instead):

  1. scorecardpy's documented pipeline (as scorecardpy_auc.py);
  2. scorecardpy's bins, unpenalised maximum likelihood on every WoE column;
  3. scorecardpy's bins, maximum likelihood with candor's sign check (the
     feature with the most wrong coefficient is dropped and the model
     refitted until no coefficient runs against its WoE);
  4. candor's bins (read from its fit report) on the same features and the
     same regression as 3 (4u: as 2, without the sign check);
  5. as 4, with the bins of one group of features taken from scorecardpy,
     for each group named on the command line (a group is a comma-separated
     list of features, or a prefix ending in '*').

Rows 3 and 4 differ only in the bins, rows 1 and 3 only in the regression.
In 2-5 a WoE column that is a linear function of the ones before it (two
features binned into the same partition of the rows) is left out first, as
candor's fit does, and listed with those the sign check drops.
The fit report is the stderr of `candor fit --model scorecard` on the
training rows (every feature's binning table is in it); categorical groups
are read from its label lists.

    candor fit --model scorecard --data train.csv ... 2> fit.txt
    PYTHONPATH=/path/to/scorecardpy /usr/bin/python3 diagnose.py \\
        NAME CSV TARGET EVENT EXCLUDE fit.txt [GROUP ...]

Needs Debian's python3-pandas, numpy, sklearn and statsmodels; answer
scorecardpy's "continue?" prompt with `yes 1 |`.
"""
import json
import math
import os
import re
import sys

import numpy as np
import pandas as pd
import scorecardpy as sc
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

name, path, target, event, exclude, report = sys.argv[1:7]
groups = sys.argv[7:]
exclude = exclude.split(",") if exclude else []
rotate = int(os.environ.get("ROTATE", "0"))

dat = pd.read_csv(path, keep_default_na=False, na_values=[""]).drop(columns=exclude)
dat = dat.replace(r"^\s*$", np.nan, regex=True)
for col in dat.columns:
    if col != target and dat[col].dtype == object:
        num = pd.to_numeric(dat[col], errors="coerce")
        if num.notna().sum() == dat[col].notna().sum():
            dat[col] = num
dat[target] = (dat[target].astype(str) == event).astype(int)
test_rows = np.array([(i - rotate) % 10 < 3 for i in range(len(dat))])
train = dat[~test_rows].reset_index(drop=True)
test = dat[test_rows].reset_index(drop=True)

# scorecardpy: var_filter, woebin on the training rows.
train_s = sc.var_filter(train, y=target)
features = [c for c in train.columns if c in train_s.columns and c != target]  # in the file's order (var_filter's varies)
spy = sc.woebin(train_s, y=target)


def spy_bins(f):
    """scorecardpy's bins of f as ('cuts', [...]) or ('groups', [[...], ...])."""
    br = [str(b) for b in spy[f]["breaks"] if str(b) != "missing"]
    if pd.api.types.is_numeric_dtype(train[f]):
        return "cuts", [float(b) for b in br if b != "inf"]
    return "groups", [g.split("%,%") for g in br]


def candor_bins(text):
    """Every feature's bins from a candor fit report."""
    out, cur, kind = {}, None, None
    for line in text.splitlines():
        m = re.match(r"^(\S.*?) \((numeric|categorical), (trend |levels ordered)", line)
        if m:
            cur, kind = m.group(1), m.group(2)
            out[cur] = ("cuts", []) if kind == "numeric" else ("groups", [])
            continue
        if cur is None or not line.startswith("  ") or line.startswith("  bin ") or line.startswith("  trend "):
            continue
        label = re.split(r"\s{2,}", line.strip())[0]
        if label == "missing" or label.startswith("other") or label.startswith("= ") or label.endswith(")") and "(= " in label:
            continue
        if kind == "numeric":
            lo = re.match(r"^\[(\S+), ", label).group(1)
            if lo != "-inf":
                out[cur][1].append(float(lo.replace(",", "")))
        else:
            out[cur][1].append(label.split(", "))
    return out


def woe_columns(bins, frame, ref):
    """WoE (ln(event share / non-event share), scorecardpy's sign) of each
    row of frame, the bins' statistics from ref (the training rows)."""
    cols = {}
    for f in features:
        kind, spec = bins[f]
        def locate(x):
            if x is None or (isinstance(x, float) and math.isnan(x)):
                return -1
            if kind == "cuts":
                return int(np.searchsorted(spec, x, side="right"))
            for k, g in enumerate(spec):
                if str(x) in g:
                    return k
            return -2  # unseen
        rb = ref[f].map(locate)
        if (rb == -2).any():
            sys.exit(f"{f}: a training label is in no group of the bins (a label list cut short in the report?)")
        ev = ref[target]
        E, G = ev.sum(), len(ev) - ev.sum()
        woe = {}
        for k in rb.unique():
            m = rb == k
            e, g = ev[m].sum(), m.sum() - ev[m].sum()
            if e == 0 or g == 0:
                e, g = e + 0.5, g + 0.5
            woe[k] = math.log((e / E) / (g / G))
        cols[f] = frame[f].map(locate).map(lambda k: woe.get(k, 0.0))
    return pd.DataFrame(cols)


def independent(X):
    """X's columns in order, less each one that is a linear function of the
    constant and the columns kept before it (as candor drops an exact linear
    combination, e.g. a feature binned as the same partition as another)."""
    kept = []
    for c in X.columns:
        A = np.column_stack([np.ones(len(X))] + [X[k] for k in kept + [c]])
        if np.linalg.matrix_rank(A) == A.shape[1]:
            kept.append(c)
    return kept


def mle_sign(Xtr, ytr, Xte, yte, check=True):
    cols = independent(Xtr)
    while True:
        m = sm.Logit(ytr, sm.add_constant(Xtr[cols], has_constant="add")).fit(disp=0, maxiter=200)
        wrong = {c: m.params[c] for c in cols if m.params[c] <= 0}
        if not check or not wrong:
            break
        cols.remove(min(wrong, key=wrong.get))
    p = m.predict(sm.add_constant(Xte[cols], has_constant="add"))
    return round(roc_auc_score(yte, p), 4), [c for c in Xtr.columns if c not in cols]


ytr, yte = train[target], test[target]
out = {"data": name, "rotate": rotate, "features": len(features)}
trw = sc.woebin_ply(train_s, spy)
tew = sc.woebin_ply(test[train_s.columns], spy)
X = trw.loc[:, trw.columns != target]
lr = LogisticRegression(penalty="l1", C=0.9, solver="saga", n_jobs=-1).fit(X, trw[target])
out["1 scorecardpy pipeline"] = round(roc_auc_score(yte, lr.predict_proba(tew.loc[:, X.columns].fillna(0))[:, 1]), 4)

spy_b = {f: spy_bins(f) for f in features}
Xtr, Xte = woe_columns(spy_b, train, train), woe_columns(spy_b, test, train)
out["2 scorecardpy bins, MLE"] = mle_sign(Xtr, ytr, Xte, yte, check=False)[0]
out["3 scorecardpy bins, MLE + sign check"], out["3 dropped by the sign check"] = mle_sign(Xtr, ytr, Xte, yte)

with open(report) as fh:
    cb = candor_bins(fh.read())
can_b = {f: cb[f] for f in features}
Xtr, Xte = woe_columns(can_b, train, train), woe_columns(can_b, test, train)
out["4 candor bins, MLE + sign check"], out["4 dropped by the sign check"] = mle_sign(Xtr, ytr, Xte, yte)
out["4u candor bins, MLE"] = mle_sign(Xtr, ytr, Xte, yte, check=False)[0]
out["4 bins per feature (candor / scorecardpy)"] = {f: [len(can_b[f][1]) + (kind == "cuts"), len(spy_b[f][1]) + (kind == "cuts")]
                                                    for f in features for kind in [can_b[f][0]]}
for g in groups:
    members = [f for f in features if (f.startswith(g[:-1]) if g.endswith("*") else f in g.split(","))]
    mix = dict(can_b)
    mix.update({f: spy_b[f] for f in members})
    Xtr, Xte = woe_columns(mix, train, train), woe_columns(mix, test, train)
    out["5 candor bins, scorecardpy's for " + g] = mle_sign(Xtr, ytr, Xte, yte)[0]
print(json.dumps(out))
