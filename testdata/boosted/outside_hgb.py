"""Held-out AUC of scikit-learn's HistGradientBoostingClassifier on the five
outside data sets of outside_auc.sh (not in the repository; README.md here
names each file's source and md5), one JSON line per data set on stdout:

    /usr/bin/python3 testdata/boosted/outside_hgb.py NAME CSV TARGET EVENT EXCLUDE

EXCLUDE: comma-separated columns left out (empty: none). Run with Debian's
python3-sklearn. The inputs are built as score/fit/testdata/boosted_sklearn.py
builds them for the repository's data sets: cells trimmed of spaces as candor's
CSV reader does; a column is numeric when every non-blank cell parses as a
number (blank = NaN), otherwise categorical, ordinal-encoded and passed as a
categorical feature (blank = NaN, its own category in HGB). Split: data row i
(0-based) is test when i % 10 < 3. "hgb" is the classifier with default
settings (random_state=0; every other setting default), "hgb_mains" the same
restricted to main effects (interaction_cst=[[0], [1], ...]: each feature
alone), the class of model candor's boosted main effects are, and
"hgb_pairs" the same restricted to pairwise interactions (interaction_cst: every
pair of features, so each tree splits on at most two features and the model is
a sum of functions of one or two features), the class of model candor's
boosted model with pair terms is (with every pair allowed, where candor keeps
three per feature).
"""
import csv, itertools, json, sys

import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import roc_auc_score


def isnum(s):
    try:
        float(s)
        return True
    except ValueError:
        return False


def main():
    name, path, target, event, exclude = sys.argv[1:6]
    exclude = [e for e in exclude.split(",") if e]
    with open(path, newline="") as f:
        rows = [[c.strip() for c in r] for r in csv.reader(f)]
    header, rows = rows[0], rows[1:]
    for e in exclude + [target]:
        if e not in header:
            sys.exit("%s: no column %r" % (path, e))
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
    X, cat = np.column_stack(cols), np.array(cat)
    t = header.index(target)
    y = np.array([r[t] == event for r in rows], dtype=int)
    test = np.arange(len(rows)) % 10 < 3
    out = {"data": name, "sklearn": sklearn.__version__, "features": int(X.shape[1]), "categorical": int(cat.sum())}
    n = X.shape[1]
    for key, cst in (("hgb", None), ("hgb_mains", [[i] for i in range(n)]),
                     ("hgb_pairs", [list(p) for p in itertools.combinations(range(n), 2)])):
        clf = HistGradientBoostingClassifier(categorical_features=cat, random_state=0, interaction_cst=cst)
        clf.fit(X[~test], y[~test])
        out[key] = round(float(roc_auc_score(y[test], clf.predict_proba(X[test])[:, 1])), 4)
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
