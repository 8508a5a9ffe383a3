"""Held-out AUC of scikit-learn's HistGradientBoostingClassifier (default
settings) on the data sets candor's boosted additive model is checked
against; writes boosted_sklearn.json beside this script.

Run with Debian's python3-sklearn from the repository root:

    /usr/bin/python3 score/fit/testdata/boosted_sklearn.py

Inputs are the same as candor's (examples/datasets/*.csv.gz), cells trimmed of spaces as candor's
CSV reader does: a column is
numeric when every non-blank cell parses as a number (blank = NaN),
otherwise categorical, ordinal-encoded and passed as a categorical feature
(blank = NaN, its own category in HGB). Split: data row i (0-based) is test
when i % 10 < 3; Adult uses its own split column. "auc_no_interactions"
is the same classifier restricted to main effects
(interaction_cst=[[0], [1], ...], each feature alone), the class of
model candor's boosted main effects are; "auc_pairs" the same restricted to
pairwise interactions (interaction_cst: every pair of features, so each tree
splits on at most two and the model is a sum of functions of one or two
features), the class of candor's model with pair terms. Exclusions match the Go
test: Telco's customerID, Bank's duration (leaks the target), Adult's
protected race and sex and the split column itself.
"""
import csv, gzip, itertools, json, os, sys

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "examples", "datasets")

CASES = [
    ("german_credit", "creditability", "bad", []),
    ("telco_churn", "Churn", "Yes", ["customerID"]),
    ("bank_marketing", "y", "yes", ["duration"]),
    ("adult", "income", ">50K", ["race", "sex", "split"]),
]


def isnum(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def load(name):
    with gzip.open(os.path.join(DATA, name + ".csv.gz"), "rt", newline="") as f:
        rows = [[c.strip() for c in r] for r in csv.reader(f)]
    return rows[0], rows[1:]


def design(header, rows, target, exclude):
    cols, cat = [], []
    for c, h in enumerate(header):
        if h == target or h in exclude:
            continue
        cells = [r[c] for r in rows]
        numeric = all(x == "" or isnum(x) for x in cells)
        if numeric:
            col = np.array([float(x) if x != "" else np.nan for x in cells])
        else:
            levels = sorted({x for x in cells if x != ""})
            code = {l: i for i, l in enumerate(levels)}
            col = np.array([code[x] if x != "" else np.nan for x in cells], dtype=float)
        cols.append(col)
        cat.append(not numeric)
    return np.column_stack(cols), np.array(cat)


def main():
    out = {"sklearn": sklearn.__version__, "model": "HistGradientBoostingClassifier(categorical_features=mask, random_state=0), other settings default", "auc": {}, "auc_no_interactions": {}, "auc_pairs": {}}
    for name, target, event, exclude in CASES:
        header, rows = load(name)
        X, cat = design(header, rows, target, exclude)
        y = np.array([r[header.index(target)] == event for r in rows], dtype=int)
        if name == "adult":
            s = header.index("split")
            test = np.array([r[s] == "test" for r in rows])
        else:
            test = np.arange(len(rows)) % 10 < 3
        clf = HistGradientBoostingClassifier(categorical_features=cat, random_state=0)
        clf.fit(X[~test], y[~test])
        auc = roc_auc_score(y[test], clf.predict_proba(X[test])[:, 1])
        out["auc"][name] = round(float(auc), 6)
        add = HistGradientBoostingClassifier(categorical_features=cat, random_state=0,
                                             interaction_cst=[[i] for i in range(X.shape[1])])
        add.fit(X[~test], y[~test])
        out["auc_no_interactions"][name] = round(float(roc_auc_score(y[test], add.predict_proba(X[test])[:, 1])), 6)
        pairs = HistGradientBoostingClassifier(categorical_features=cat, random_state=0,
                                               interaction_cst=[list(p) for p in itertools.combinations(range(X.shape[1]), 2)])
        pairs.fit(X[~test], y[~test])
        out["auc_pairs"][name] = round(float(roc_auc_score(y[test], pairs.predict_proba(X[test])[:, 1])), 6)
        print(name, X.shape, int(cat.sum()), "categorical", "AUC %.4f" % auc, file=sys.stderr)
    with open(os.path.join(HERE, "boosted_sklearn.json"), "w") as f:
        json.dump(out, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
