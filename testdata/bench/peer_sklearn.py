"""The peer of `candor score` in testdata/bench/run.sh: what a user would
run instead, chunked pandas + scikit-learn. It fits the same kind of model
(a logistic regression on German credit, every column but the target an
input, categorical columns one-hot) on --train, then reads --data in chunks
of 100,000 rows, scores each chunk and writes row,probability as CSV to
--out. Run it with Debian's /usr/bin/python3 (python3-sklearn,
python3-pandas).

    /usr/bin/python3 testdata/bench/peer_sklearn.py --train german.csv --data german1000000.csv --out /dev/null
"""
import argparse

import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--chunk", type=int, default=100000)
    a = ap.parse_args()

    train = pd.read_csv(a.train)
    y = (train.pop("creditability") == "bad").astype(int)
    cats = [c for c in train.columns if train[c].dtype == object]
    model = make_pipeline(
        ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), cats)], remainder="passthrough"),
        LogisticRegression(max_iter=2000),
    )
    model.fit(train, y)

    row = 0
    with open(a.out, "w") as out:
        for k, chunk in enumerate(pd.read_csv(a.data, chunksize=a.chunk)):
            p = model.predict_proba(chunk[train.columns])[:, 1]
            rows = range(row + 1, row + 1 + len(chunk))
            row += len(chunk)
            pd.DataFrame({"row": rows, "probability": p}).to_csv(out, header=(k == 0), index=False)


if __name__ == "__main__":
    main()
