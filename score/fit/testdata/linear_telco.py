"""Writes linear_telco.json: statsmodels OLS of Telco's MonthlyCharges (the
monthly spend of 7043 customers) on the other customer attributes, for
score/linear_test.go. 7043 rows exceed FitLinear's default MaxRows, so the
test exercises the reduced system handed to sajari/regression; the design
also has aliased columns (the "No internet service" levels of six features
repeat InternetService=No), dropped as candor does: in column order, a
column is aliased when its residual after projection on the kept columns
is below 1e-7 of its norm.

    zcat ../../../examples/datasets/telco_churn.csv.gz > /tmp/telco.csv
    python3 linear_telco.py /tmp/telco.csv         # statsmodels 0.13.5, pandas 1.5.3

Design as candor's: numeric columns as they are, categorical columns one-hot
with the first of their sorted levels as the reference, columns in data order.
customerID (an identifier), Churn (an outcome) and TotalCharges (MonthlyCharges
times tenure, and blank for 11 rows) are not inputs.
"""
import json
import sys

import numpy as np
import pandas as pd
import statsmodels.api as sm

df = pd.read_csv(sys.argv[1], dtype={"TotalCharges": str})
target = "MonthlyCharges"
inputs = [c for c in df.columns if c not in (target, "customerID", "Churn", "TotalCharges")]
cols = {"(intercept)": np.ones(len(df))}
for c in inputs:
    if df[c].dtype.kind in "if":
        cols[c] = df[c].astype(float).values
    else:
        for lv in sorted(df[c].unique())[1:]:
            cols[f"{c}={lv}"] = (df[c] == lv).astype(float).values
names = list(cols)
kept, aliased, basis = [], [], []
for name in names:
    v = cols[name].copy()
    n0 = np.linalg.norm(v)
    for q in basis:
        v -= (v @ q) * q
    nv = np.linalg.norm(v)
    if n0 == 0 or nv <= 1e-7 * n0:
        aliased.append(name)
        continue
    basis.append(v / nv)
    kept.append(name)
X = pd.DataFrame({k: cols[k] for k in kept})
res = sm.OLS(df[target].astype(float).values, X).fit()
params = dict(zip(kept, res.params.tolist()))
bse = dict(zip(kept, res.bse.tolist()))
out = {
    "target": target,
    "columns": names,
    "aliased": aliased,
    "params": [params.get(k, 0.0) for k in names],
    "bse": [bse.get(k) for k in names],
    "rsquared": res.rsquared,
    "ssr": res.ssr,
    "llf": res.llf,
    "df_resid": res.df_resid,
    "nobs": res.nobs,
}
with open("linear_telco.json", "w") as fh:
    json.dump(out, fh, indent=1)
    fh.write("\n")
print("R2", res.rsquared, "aliased", aliased, file=sys.stderr)
