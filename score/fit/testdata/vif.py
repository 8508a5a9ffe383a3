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
those at or above 10. Under NAME_gvif, each categorical feature with two
or more columns left gets its generalized VIF (Fox and Monette 1992),
computed from the definition: det(R11) det(R22) / det(R), R the
correlation matrix of all non-intercept columns, R11 that of the
feature's columns and R22 that of the others (numpy's determinants; candor
computes it differently, from the inverse of R).

Run: /usr/bin/python3 score/fit/testdata/vif.py examples/datasets > score/fit/testdata/vif.json
"""
import gzip, json, sys
import numpy as np
import pandas as pd
import statsmodels
from statsmodels.stats.outliers_influence import variance_inflation_factor

def design(df, target):
    df = df.drop(columns=[target])
    cols, names, feats = [np.ones(len(df))], ["(intercept)"], [None]
    for c in df.columns:
        try:
            x = df[c].astype(float).values
        except ValueError:
            x = None
        if x is not None:
            cols.append(x); names.append(c); feats.append(c)
            continue
        levels = sorted(df[c].unique())
        for lev in levels[1:]:
            cols.append((df[c] == lev).astype(float).values); names.append(c + "=" + lev); feats.append(c)
    keep_c, keep_n, keep_f = [], [], []
    for x, n, f in zip(cols, names, feats):
        trial = np.column_stack(keep_c + [x])
        if np.linalg.matrix_rank(trial) > len(keep_c):
            keep_c.append(x); keep_n.append(n); keep_f.append(f)
    return np.column_stack(keep_c), keep_n, keep_f

def gvifs(X, feats):
    R = np.corrcoef(X[:, 1:].T)
    f = np.array(feats[1:])
    out = {}
    for name in sorted(set(f)):
        a = f == name
        if a.sum() < 2:
            continue
        out[name] = np.linalg.det(R[np.ix_(a, a)]) * np.linalg.det(R[np.ix_(~a, ~a)]) / np.linalg.det(R)
    return out

def main(root):
    out = {"statsmodels": statsmodels.__version__}
    g = pd.read_csv(gzip.open(root + "/german_credit.csv.gz"), dtype=str)
    t = pd.read_csv(gzip.open(root + "/telco_churn.csv.gz"), dtype=str, keep_default_na=False)
    t = t.drop(columns=["customerID"])
    t = t[(t.apply(lambda r: all(v.strip() != "" for v in r), axis=1))]
    for name, df, target in (("german_credit", g, "creditability"), ("telco_churn", t, "Churn")):
        X, names, feats = design(df, target)
        out[name] = {names[j]: variance_inflation_factor(X, j) for j in range(1, X.shape[1])}
        out[name + "_gvif"] = gvifs(X, feats)
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    print()

main(sys.argv[1])
