"""Reference for candor's sign-constrained logistic fit (fit --constrain data).

For German credit, Telco churn (customerID excluded, rows with a blank cell
dropped) and Bank marketing: the design candor builds (intercept; numeric
columns as they are; categorical columns one-hot, first sorted level the
reference), and bounds from each column's univariate trend, computed here
independently: a numeric column is bounded to the sign of
scipy.stats.spearmanr(x, event) when its p-value is below 0.01; a level
to the sign of its event rate minus the reference level's when a pooled
two-proportion z-test gives p < 0.01. The constrained maximum likelihood is
found by scipy.optimize.minimize(method="L-BFGS-B", bounds=...) on
standardised numeric columns (signs are unchanged by a positive scale),
the coefficients un-scaled after.

Run: /usr/bin/python3 score/fit/testdata/constrained.py examples/datasets > score/fit/testdata/constrained.json
"""
import gzip, io, json, math, sys
import numpy as np
import pandas as pd
import scipy
from scipy.optimize import minimize
from scipy.stats import spearmanr
from scipy.special import expit, log1p

def design(df, target, event):
    y = (df[target] == event).astype(float).values
    df = df.drop(columns=[target])
    cols, names, lo, hi = [np.ones(len(df))], ["(intercept)"], [-np.inf], [np.inf]
    for c in df.columns:
        try:
            x = df[c].astype(float).values
        except ValueError:
            x = None
        if x is not None:
            r = spearmanr(x, y)
            t = 0 if not r.pvalue < 0.01 else (1 if r.statistic > 0 else -1)
            cols.append(x); names.append(c)
            lo.append(0 if t == 1 else -np.inf); hi.append(0 if t == -1 else np.inf)
            continue
        levels = sorted(df[c].unique())
        ref = df[c] == levels[0]
        n0, e0 = ref.sum(), y[ref.values].sum()
        for l in levels[1:]:
            ind = (df[c] == l).values
            n1, e1 = ind.sum(), y[ind].sum()
            p = (e1 + e0) / (n1 + n0)
            se = math.sqrt(p * (1 - p) * (1 / n1 + 1 / n0))
            t = 0
            if se > 0:
                z = (e1 / n1 - e0 / n0) / se
                if math.erfc(abs(z) / math.sqrt(2)) < 0.01:
                    t = 1 if z > 0 else -1
            cols.append(ind.astype(float)); names.append(f"{c}={l}")
            lo.append(0 if t == 1 else -np.inf); hi.append(0 if t == -1 else np.inf)
    return np.column_stack(cols), y, names, lo, hi

def fit(X, y, lo, hi, numeric):
    m = X.mean(axis=0); s = X.std(axis=0)
    Z = X.copy()
    for j in numeric:
        Z[:, j] = (X[:, j] - m[j]) / s[j]
    def f(b):
        e = Z @ b
        return -(y @ e - np.sum(np.logaddexp(0, e))), -(Z.T @ (y - expit(e)))
    r = minimize(f, np.zeros(X.shape[1]), jac=True, method="L-BFGS-B", bounds=list(zip(lo, hi)),
                 options={"ftol": 1e-15, "gtol": 1e-9, "maxiter": 20000, "maxcor": 50})
    b = r.x.copy()
    for j in numeric:
        b[j] = r.x[j] / s[j]
        b[0] -= r.x[j] * m[j] / s[j]
    return b, -r.fun, bool(r.success)

out = {"source": f"scipy {scipy.__version__} optimize.minimize L-BFGS-B with bounds, Debian python3-scipy"}
for name, target, event, drop in [("german_credit", "creditability", "bad", []),
                                  ("telco_churn", "Churn", "Yes", ["customerID"]),
                                  ("bank_marketing", "y", "yes", [])]:
    df = pd.read_csv(gzip.open(f"{sys.argv[1]}/{name}.csv.gz"), dtype=str, keep_default_na=False)
    df = df.drop(columns=drop).apply(lambda c: c.str.strip())
    df = df[(df != "").all(axis=1)].reset_index(drop=True)
    X, y, names, lo, hi = design(df, target, event)
    numeric = [j for j, n in enumerate(names) if j > 0 and "=" not in n]
    b, ll, ok = fit(X, y, lo, hi, numeric)
    out[name] = {"log_likelihood": ll, "success": ok, "rows": int(len(y)),
                 "coefficients": dict(zip(names, b.tolist())),
                 "bounded": {n: ("lower" if l == 0 else "upper") for n, l, h in zip(names, lo, hi) if l == 0 or h == 0}}
print(json.dumps(out, indent=1))
