"""Writes monitor_bank.json: population stability index of Bank marketing's
later half against its earlier half (rows are in time order, May 2008 to
November 2010; earlier half = the first 22605 rows) for the categorical
inputs and for the numeric inputs with a point mass (pdays, previous), with
candor's stated rules, for score/monitor_test.go:

- categorical: one bin per level seen in the baseline (sorted), plus
  "(missing)" and "(unseen)" bins when either half has such values;
- numeric: cut at the baseline's type-7 deciles (numpy's default "linear"
  method), repeats merged, a repeated cut value c getting its own bin {c};
- 0.5 added to every bin count in both halves; PSI = sum (a - e) ln(a / e).

    zcat ../../../examples/datasets/bank_marketing.csv.gz > /tmp/bank.csv
    python3 monitor_bank.py /tmp/bank.csv          # numpy 1.24.2, pandas 1.5.3
"""
import json
import sys

import numpy as np
import pandas as pd

df = pd.read_csv(sys.argv[1])
n = len(df)
early, late = df.iloc[: n // 2], df.iloc[n // 2:]


def psi(eb, cb, s=0.5):
    eb, cb = np.asarray(eb, float), np.asarray(cb, float)
    k = len(eb)
    e = (eb + s) / (eb.sum() + s * k)
    a = (cb + s) / (cb.sum() + s * k)
    return float(np.sum((a - e) * np.log(a / e)))


def categorical(col):
    levels = sorted(early[col].unique())
    eb = [int((early[col] == lv).sum()) for lv in levels]
    cb = [int((late[col] == lv).sum()) for lv in levels]
    unseen = int((~late[col].isin(levels)).sum())
    if unseen:
        eb.append(0)
        cb.append(unseen)
    return psi(eb, cb)


def numeric(col):
    x, y = early[col].values.astype(float), late[col].values.astype(float)
    qs = np.quantile(x, np.arange(1, 10) / 10)
    cuts, seen = [], {}
    for q in qs:
        seen[q] = seen.get(q, 0) + 1
    for q in sorted(seen):
        cuts.append(q)
        if seen[q] > 1:
            cuts.append(np.nextafter(q, np.inf))
    cuts = np.array(sorted(set(cuts)))
    eb = np.bincount(np.searchsorted(cuts, x, side="right"), minlength=len(cuts) + 1)
    cb = np.bincount(np.searchsorted(cuts, y, side="right"), minlength=len(cuts) + 1)
    return psi(eb, cb)


out = {"rows": n, "baseline_rows": len(early), "current_rows": len(late), "psi": {}}
for col in ["job", "marital", "education", "default", "housing", "loan", "contact", "month", "poutcome"]:
    out["psi"][col] = categorical(col)
for col in ["pdays", "previous", "age", "balance"]:
    out["psi"][col] = numeric(col)
with open("monitor_bank.json", "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print(json.dumps(out["psi"], indent=1), file=sys.stderr)
