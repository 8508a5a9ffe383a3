"""Make fairness/testdata/adult_predictions.csv.gz and fairlearn_adult.json.

Reference figures for candor's fairness audit, computed by fairlearn v0.9.0
(git tag v0.9.0, not vendored) with Debian's scikit-learn 1.2.1, on UCI Adult
(Becker & Kohavi, CC BY 4.0, DOI 10.24432/C5XW20; see README.md here).

Run from the repository root:

    PYTHONPATH=/path/to/fairlearn-v0.9.0 python3 fairness/testdata/fairlearn_adult.py \
        /work/shared/data/adult.csv

The model is a plain logistic regression (lbfgs, C=1, standardised numeric
inputs and one-hot categorical inputs, sex and race excluded as inputs) fitted
on the `train` split and applied to all 48,842 rows. The score is the
predicted probability of income >50K (the favourable outcome) rounded to 4
decimals; the decision is favourable when score >= 0.5. The CSV holds the
decisions, so the reference figures do not depend on the fit reproducing
bit for bit.

The JSON holds MetricFrame figures unweighted and with synthetic weights
1 + (i mod 4) / 2 for row i (0-based), which the Go test recomputes, and
scikit-learn's roc_auc_score per group on the rounded scores.

fairlearn's true_positive_rate and false_positive_rate come from
sklearn.metrics.confusion_matrix(normalize="true"), which turns 0/0 into 0:
a group without favourable outcomes gets TPR 0 there, where candor reports
the rate as undefined. On this data every group has both outcomes.
"""
import gzip
import io
import json
import sys

import numpy as np
import pandas as pd
import sklearn
import sklearn.metrics as skm
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

import fairlearn
from fairlearn.metrics import (
    MetricFrame,
    count,
    demographic_parity_difference,
    demographic_parity_ratio,
    equalized_odds_difference,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)

src = sys.argv[1] if len(sys.argv) > 1 else "/work/shared/data/adult.csv"
df = pd.read_csv(src)
y = (df["income"] == ">50K").astype(int).to_numpy()
numeric = ["age", "education_num", "capital_gain", "capital_loss", "hours_per_week"]
categorical = ["workclass", "marital_status", "occupation", "relationship"]
pre = ColumnTransformer(
    [("num", StandardScaler(), numeric), ("cat", OneHotEncoder(handle_unknown="ignore"), categorical)]
)
model = make_pipeline(pre, LogisticRegression(C=1.0, max_iter=1000))
train = (df["split"] == "train").to_numpy()
model.fit(df.loc[train, numeric + categorical], y[train])
score = np.round(model.predict_proba(df[numeric + categorical])[:, 1], 4)
pred = (score >= 0.5).astype(int)

out = pd.DataFrame(
    {
        "label": y,
        "prediction": pred,
        "score": [f"{s:.4f}" for s in score],
        "sex": df["sex"],
        "race": df["race"],
    }
)
buf = io.StringIO()
out.to_csv(buf, index=False, lineterminator="\n")
with open("fairness/testdata/adult_predictions.csv.gz", "wb") as f:
    with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=0) as gz:
        gz.write(buf.getvalue().encode())

metrics = {
    "selection_rate": selection_rate,
    "true_positive_rate": true_positive_rate,
    "false_positive_rate": false_positive_rate,
    "count": count,
}
attributes = {"sex": ["sex"], "race": ["race"], "sex & race": ["sex", "race"]}


def figures(weights):
    res = {}
    for name, cols in attributes.items():
        sf = df[cols] if len(cols) > 1 else df[cols[0]]
        kw = {} if weights is None else {"sample_params": {k: {"sample_weight": weights} for k in metrics if k != "count"}}
        mf = MetricFrame(metrics=metrics, y_true=y, y_pred=pred, sensitive_features=sf, **kw)
        by = {}
        for key, row in mf.by_group.iterrows():
            label = " & ".join(key) if isinstance(key, tuple) else key
            by[label] = {k: float(row[k]) for k in metrics}
        sw = {} if weights is None else {"sample_weight": weights}
        res[name] = {
            "by_group": by,
            "overall": {k: float(v) for k, v in mf.overall.items()},
            "demographic_parity_difference": float(demographic_parity_difference(y, pred, sensitive_features=sf, **sw)),
            "demographic_parity_ratio": float(demographic_parity_ratio(y, pred, sensitive_features=sf, **sw)),
            "equalized_odds_difference": float(equalized_odds_difference(y, pred, sensitive_features=sf, **sw)),
            # fairlearn has no named equal-opportunity function; this is MetricFrame's between-groups difference.
            "true_positive_rate_difference": float(mf.difference()["true_positive_rate"]),
        }
    return res


# AUC per group from scikit-learn, on the rounded scores, for the AUC check.
auc = {}
for name, cols in attributes.items():
    keys = df[cols].astype(str).agg(" & ".join, axis=1)
    auc[name] = {k: float(skm.roc_auc_score(y[keys == k], score[keys == k])) for k in sorted(keys.unique())}

ref = {
    "source": "fairness/testdata/fairlearn_adult.py",
    "fairlearn_version": fairlearn.__version__,
    "sklearn_version": sklearn.__version__,
    "numpy_version": np.__version__,
    "threshold": 0.5,
    "unweighted": figures(None),
    # Synthetic weights, recomputed by the Go test: row i (0-based) weighs 1 + (i mod 4) / 2.
    "weighted": figures(1 + (np.arange(len(df)) % 4) / 2),
    "sklearn_roc_auc": auc,
}
with open("fairness/testdata/fairlearn_adult.json", "w") as f:
    json.dump(ref, f, indent=1, sort_keys=False)
    f.write("\n")
