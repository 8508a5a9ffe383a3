"""Reference fit for candor's Telco churn test (issue 2).

Unpenalised logistic regression of Churn == "Yes" on every column but
customerID, rows with a blank cell dropped (the 11 blank TotalCharges), with
statsmodels GLM Binomial (IRLS). Categorical columns are one-hot with the
first sorted level as reference (patsy's default, as candor does). The Telco
design has aliased columns ("No internet service" levels repeat
InternetService=No); statsmodels solves with a pseudo-inverse, so its
coefficients are one of many, but the maximised log-likelihood and the
fitted probabilities are unique: those are what the test compares.

Run: /usr/bin/python3 score/testdata/telco_mle.py /work/shared/data/telco_churn.csv > score/testdata/telco_mle.json
"""
import json, sys
import numpy as np
import pandas as pd
import statsmodels.api as sm

df = pd.read_csv(sys.argv[1], dtype=str, keep_default_na=False)
df = df.drop(columns=["customerID"])
df = df.apply(lambda c: c.str.strip())
df = df[(df != "").all(axis=1)].reset_index(drop=True)
y = (df.pop("Churn") == "Yes").astype(float).values
cols, names = [np.ones(len(df))], ["(intercept)"]
for c in df.columns:
    try:
        x = df[c].astype(float).values
        cols.append(x); names.append(c)
    except ValueError:
        levels = sorted(df[c].unique())
        for l in levels[1:]:
            cols.append((df[c] == l).astype(float).values); names.append(f"{c}={l}")
X = np.column_stack(cols)
res = sm.GLM(y, X, family=sm.families.Binomial()).fit(tol=1e-12)
p = res.fittedvalues
print(json.dumps({
    "source": f"statsmodels {sm.__version__} GLM Binomial (IRLS, tol 1e-12, pinv), Debian python3-statsmodels",
    "rows_used": int(len(y)),
    "rank": int(np.linalg.matrix_rank(X)),
    "columns": len(names),
    "log_likelihood": float(res.llf),
    "first_probabilities": [float(v) for v in p[:10]],
    "mean_probability": float(np.mean(p)),
}, indent=1))
