"""Independent reference for candor's scorecard fit (issue 3).

German credit (internal/datasets/german_credit.csv.gz), event creditability == "bad".
Five features with hand-given bins (the same BinSpecs as TestScorecardReference):
  duration_in_month: cuts 12, 24, 36   -> [-inf,12) [12,24) [24,36) [36,+inf)
  credit_amount:     cuts 2000, 5000
  age_in_years:      cuts 26, 35, 50
  status_of_existing_checking_account: each label its own bin
  savings_account_and_bonds: {"... < 100 DM"}, {"100 <= ... < 500 DM"},
                             {"500 <= ... < 1000 DM", "... >= 1000 DM"}, {"unknown/ no savings account"}
WoE = ln(share of non-events / share of events); IV = sum (g/G - e/E) * WoE.
Unpenalised logistic regression of the event on the five WoE columns (statsmodels
GLM Binomial, IRLS). Points with 600 at 19:1 (non-event:event), pdo 50:
factor = 50/ln 2, offset = 600 - factor*ln 19, base points = offset - factor*b0,
bin points = -factor * b_j * WoE.

Run: /usr/bin/python3 score/testdata/scorecard_reference.py > score/testdata/scorecard_reference.json
"""
import gzip, json, math, os
import numpy as np
import pandas as pd
import statsmodels.api as sm

here = os.path.dirname(os.path.abspath(__file__))
with gzip.open(os.path.join(here, "..", "..", "internal", "datasets", "german_credit.csv.gz"), "rt") as f:
    df = pd.read_csv(f, dtype=str, keep_default_na=False)
y = (df["creditability"] == "bad").astype(float).values
E, G = y.sum(), (1 - y).sum()

def numeric(col, cuts):
    x = df[col].astype(float).values
    edges = [-math.inf] + cuts + [math.inf]
    return [((x >= lo) & (x < hi)) for lo, hi in zip(edges[:-1], edges[1:])]

def groups(col, gs):
    x = df[col].values
    return [np.isin(x, g) for g in gs]

spec = [
    ("duration_in_month", numeric("duration_in_month", [12, 24, 36])),
    ("credit_amount", numeric("credit_amount", [2000, 5000])),
    ("age_in_years", numeric("age_in_years", [26, 35, 50])),
    ("status_of_existing_checking_account",
     groups("status_of_existing_checking_account", [[l] for l in sorted(df["status_of_existing_checking_account"].unique())])),
    ("savings_account_and_bonds", groups("savings_account_and_bonds",
     [["... < 100 DM"], ["100 <= ... < 500 DM"], ["500 <= ... < 1000 DM", "... >= 1000 DM"], ["unknown/ no savings account"]])),
]
out = {"features": [], "events": E, "non_events": G}
cols, names = [np.ones(len(df))], ["(intercept)"]
for name, masks in spec:
    woe_col = np.zeros(len(df))
    bins = []
    iv = 0.0
    for m in masks:
        e, g = y[m].sum(), (1 - y[m]).sum()
        assert e > 0 and g > 0
        w = math.log((g / G) / (e / E))
        iv += (g / G - e / E) * w
        woe_col[m] = w
        bins.append({"count": float(m.sum()), "events": float(e), "woe": w})
    assert sum(m.sum() for m in masks) == len(df)
    out["features"].append({"feature": name, "iv": iv, "bins": bins})
    cols.append(woe_col); names.append(name)
X = np.column_stack(cols)
res = sm.GLM(y, X, family=sm.families.Binomial()).fit(tol=1e-12)
factor = 50 / math.log(2)
offset = 600 - factor * math.log(19)
out["coefficients"] = dict(zip(names, [float(b) for b in res.params]))
out["log_likelihood"] = float(res.llf)
out["base_points"] = offset - factor * res.params[0]
for j, f in enumerate(out["features"]):
    for b in f["bins"]:
        b["points"] = -factor * res.params[j + 1] * b["woe"]
print(json.dumps(out, indent=1, sort_keys=True))
