#!/usr/bin/python3
"""Reference values for internal/glm tests.

Run from this directory:  /usr/bin/python3 reference.py > reference.json
Uses statsmodels GLM(Binomial) (maximum likelihood, IRLS) and scikit-learn
LogisticRegression (L2 case). Data are generated here with a fixed seed and
written to the JSON so the Go test does not depend on numpy's RNG.
"""
import json
import sys

import numpy as np
import sklearn
import statsmodels
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression

rng = np.random.default_rng(20261129)
n = 60
x1 = np.round(rng.normal(size=n), 3)
x2 = np.round(rng.uniform(-2, 2, size=n), 3)
x3 = rng.integers(0, 2, size=n).astype(float)
X = np.column_stack([np.ones(n), x1, x2, x3])
eta = -0.3 + 1.1 * x1 - 0.7 * x2 + 0.8 * x3
y = (rng.uniform(size=n) < 1 / (1 + np.exp(-eta))).astype(float)
w = rng.integers(1, 5, size=n).astype(float)

def glm(weights=None):
    m = sm.GLM(y, X, family=sm.families.Binomial(), freq_weights=weights)
    r = m.fit(method="IRLS", tol=1e-14, maxiter=200)
    return {
        "coef": r.params.tolist(),
        "stderr": r.bse.tolist(),
        "loglik": float(r.llf),
        "deviance": float(r.deviance),
    }

cases = {"unweighted": glm(), "freq_weights": glm(w)}

# L2: sklearn minimises 0.5*||beta_{1:}||^2 + C * sum_i w_i logloss_i with an
# unpenalised intercept (lbfgs/newton-cg), i.e. our objective with L2 = 1/C.
L2 = 2.5
lr = LogisticRegression(C=1 / L2, fit_intercept=True, solver="newton-cg",
                        tol=1e-10, max_iter=10000)
lr.fit(X[:, 1:], y, sample_weight=w)
coef = [float(lr.intercept_[0])] + lr.coef_[0].tolist()
p = 1 / (1 + np.exp(-(X @ np.array(coef))))
cases["l2_weighted"] = {
    "l2": L2,
    "coef": coef,
    "loglik": float(np.sum(w * (y * np.log(p) + (1 - y) * np.log1p(-p)))),
}

json.dump({
    "source": "testdata/reference.py, statsmodels %s, scikit-learn %s, numpy %s"
              % (statsmodels.__version__, sklearn.__version__, np.__version__),
    "x": X.T.tolist(),
    "y": y.tolist(),
    "w": w.tolist(),
    "cases": cases,
}, sys.stdout, indent=1)
sys.stdout.write("\n")
