"""Writes sklearn_german.json (a scikit-learn logistic regression in candor's
"sklearn-logistic" JSON format) and sklearn_german_proba.csv (scikit-learn's
predict_proba for the event on all 1000 rows) for score/sklearn_test.go.

Run from this directory, with the German credit CSV decompressed from
examples/datasets (scikit-learn 1.2.1, numpy 1.24.2, pandas 1.5.3):

    zcat ../../../examples/datasets/german_credit.csv.gz > /tmp/german.csv
    python3 sklearn_german.py /tmp/german.csv

The model: numeric inputs standardised, categorical inputs one-hot encoded
with every level kept (no reference level) and unknown labels ignored, L2
penalty C=1 (scikit-learn's defaults), event creditability == "bad".
personal_status_and_sex is a protected attribute and is left out.
"""
import json
import sys

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

df = pd.read_csv(sys.argv[1])
target, event, nonevent = "creditability", "bad", "good"
X = df.drop(columns=[target, "personal_status_and_sex"])
y = (df[target] == event).astype(int)  # classes_ = [0, 1] = [good, bad]
numeric = [c for c in X.columns if X[c].dtype.kind in "if"]
categorical = [c for c in X.columns if c not in numeric]

pipe = Pipeline([
    ("prep", ColumnTransformer([
        ("num", StandardScaler(), numeric),
        ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical),
    ])),
    ("clf", LogisticRegression(C=1.0, max_iter=10000, tol=1e-10)),
])
pipe.fit(X, y)

# --- the few lines that write the JSON (documented in score/sklearn.go) ---
prep, clf = pipe.named_steps["prep"], pipe.named_steps["clf"]
scaler = prep.named_transformers_["num"]
onehot = prep.named_transformers_["cat"]
columns = list(numeric) + [f"{f}={lv}" for f, levels in zip(categorical, onehot.categories_) for lv in levels]
model = {
    "format": "sklearn-logistic",
    "format_version": 1,
    "name": "german_sklearn",
    "target": target,
    "classes": [nonevent, event],  # labels of clf.classes_[0] and clf.classes_[1]
    "features": numeric,
    "center": scaler.mean_.tolist(),
    "scale": scaler.scale_.tolist(),
    "categorical": {f: [str(lv) for lv in levels] for f, levels in zip(categorical, onehot.categories_)},
    "handle_unknown": onehot.handle_unknown,
    "columns": columns,
    "coef": clf.coef_[0].tolist(),
    "intercept": float(clf.intercept_[0]),
    # optional training summaries, for population-average explanations
    "means": X[numeric].mean().tolist(),
    "counts": {f: [int((X[f] == lv).sum()) for lv in levels] for f, levels in zip(categorical, onehot.categories_)},
}
with open("sklearn_german.json", "w") as fh:
    json.dump(model, fh, indent=1)
    fh.write("\n")
# --- end ---

proba = pipe.predict_proba(X)[:, 1]
with open("sklearn_german_proba.csv", "w") as fh:
    fh.write("row,probability\n")
    for i, p in enumerate(proba):
        fh.write(f"{i + 1},{p!r}\n")
print("train accuracy", pipe.score(X, y), "mean p", proba.mean(), file=sys.stderr)
