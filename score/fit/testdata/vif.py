"""Reference for fit.Collinear: statsmodels' variance_inflation_factor.

For German credit and Telco churn (customerID excluded, rows with a blank
cell dropped): the design candor builds for a logistic fit (intercept;
numeric columns as they are; categorical columns one-hot, first sorted
level the reference), with the columns that are exact linear combinations
of earlier ones left out (candor fixes those "aliased" columns at 0; here
a column is aliased when it does not raise the rank of the columns kept
before it). Each remaining column's VIF is
statsmodels.stats.outliers_influence.variance_inflation_factor on that
design (the intercept included, so VIF = 1 / (1 - R^2) of the column on
the others with a constant). Every column's VIF is written, not only
those at or above 10.

Run: /usr/bin/python3 score/fit/testdata/vif.py examples/datasets > score/fit/testdata/vif.json
"""
import gzip, json, sys
import numpy as np
import pandas as pd
import statsmodels
from statsmodels.stats.outliers_influence import variance_inflation_factor

def design(df, target):
    df = df.drop(columns=[target])
    cols, names = [np.ones(len(df))], ["(intercept)"]
    for c in df.columns:
        try:
            x = df[c].astype(float).values
        except ValueError:
            x = None
        if x is not None:
            cols.append(x); names.append(c)
            continue
        levels = sorted(df[c].unique())
        for lev in levels[1:]:
            cols.append((df[c] == lev).astype(float).values); names.append(c + "=" + lev)
    keep_c, keep_n = [], []
    for x, n in zip(cols, names):
        trial = np.column_stack(keep_c + [x])
        if np.linalg.matrix_rank(trial) > len(keep_c):
            keep_c.append(x); keep_n.append(n)
    return np.column_stack(keep_c), keep_n

def main(root):
    out = {"statsmodels": statsmodels.__version__}
    g = pd.read_csv(gzip.open(root + "/german_credit.csv.gz"), dtype=str)
    t = pd.read_csv(gzip.open(root + "/telco_churn.csv.gz"), dtype=str, keep_default_na=False)
    t = t.drop(columns=["customerID"])
    t = t[(t.apply(lambda r: all(v.strip() != "" for v in r), axis=1))]
    for name, df, target in (("german_credit", g, "creditability"), ("telco_churn", t, "Churn")):
        X, names = design(df, target)
        out[name] = {names[j]: variance_inflation_factor(X, j) for j in range(1, X.shape[1])}
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()

main(sys.argv[1])
