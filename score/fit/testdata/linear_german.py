"""Writes linear_german.json: statsmodels OLS of German credit's credit_amount
(a CRM-like continuous target: the amount a customer borrows) on every other
input, for score/linear_test.go.

    zcat ../../../examples/datasets/german_credit.csv.gz > /tmp/german.csv
    python3 linear_german.py /tmp/german.csv      # statsmodels 0.13.5, pandas 1.5.3

The design is candor's: numeric columns as they are, categorical columns
one-hot with the first of their sorted levels as the reference, columns in
data order, named "feature=level". creditability (the credit outcome) and
personal_status_and_sex (protected) are not inputs.
"""
import json
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm

df = pd.read_csv(sys.argv[1])
target = "credit_amount"
inputs = [c for c in df.columns if c not in (target, "creditability", "personal_status_and_sex")]
cols = {"(intercept)": np.ones(len(df))}
for c in inputs:
    if df[c].dtype.kind in "if":
        cols[c] = df[c].astype(float).values
    else:
        for lv in sorted(df[c].unique())[1:]:
            cols[f"{c}={lv}"] = (df[c] == lv).astype(float).values
X = pd.DataFrame(cols)
res = sm.OLS(df[target].astype(float).values, X).fit()
out = {
    "target": target,
    "columns": list(X.columns),
    "params": res.params.tolist(),
    "bse": res.bse.tolist(),
    "rsquared": res.rsquared,
    "rsquared_adj": res.rsquared_adj,
    "ssr": res.ssr,
    "llf": res.llf,
    "df_resid": res.df_resid,
    "nobs": res.nobs,
    "condition_number": float(np.linalg.cond(X.values)),
}
with open("linear_german.json", "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print("R2", res.rsquared, "cond", out["condition_number"], file=sys.stderr)
