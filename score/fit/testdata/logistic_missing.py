"""Logit reference for TestLogisticMissingIndicator: a generated credit file
(logistic_missing.csv) with blank cells in two numeric inputs and a
categorical one, and a declared special code (-7, "no late payment on
record") in one of the numeric inputs, fitted by statsmodels Logit on the
design candor builds under MissingIndicator (--missing indicator):

- a numeric input's blank and special-code cells take the median of its
  other training values (the lower median for an even count);
- a categorical input's blank cells take its reference level, the first of
  its sorted levels;
- each code seen and each input with blanks gets a 0/1 indicator column,
  appended after the inputs in feature order (codes, then "[missing]").

    /usr/bin/python3 logistic_missing.py   (Debian python3-statsmodels 0.13)

The same design with utilisation as the response and default as an input
is fitted by statsmodels OLS for TestLinearMissingIndicator ("ols").

Writes logistic_missing.csv and logistic_missing.json.
"""
import csv, json
import numpy as np
import statsmodels.api as sm

rng = np.random.default_rng(2026)
n = 900
rows = []
for i in range(n):
    income = round(float(rng.lognormal(10.3, 0.5)), 0)
    months = int(rng.integers(0, 72))
    housing = ["own", "rent", "free"][int(rng.choice(3, p=[0.5, 0.35, 0.15]))]
    util = round(float(rng.uniform(0, 1)), 4)
    eta = -0.5 - 0.00002 * (income - 30000) - 0.02 * months + 1.6 * util + {"own": -0.4, "rent": 0.3, "free": 0.0}[housing]
    u = rng.random()
    if u < 0.12:
        months = -7  # no late payment on record: safer than any count
        eta = -0.5 - 0.00002 * (income - 30000) - 1.8 + 1.6 * util
    blank_income = rng.random() < 0.15
    if blank_income:
        eta += 0.9  # an undisclosed income is riskier
    blank_months = rng.random() < 0.08
    blank_housing = rng.random() < 0.10
    if blank_housing:
        eta += 0.5
    y = "yes" if rng.random() < 1 / (1 + np.exp(-eta)) else "no"
    rows.append(["" if blank_income else f"{income:g}", "" if blank_months else str(months),
                 "" if blank_housing else housing, f"{util:g}", y])
with open("logistic_missing.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["income", "months_since_delinquency", "housing", "utilisation", "default"])
    w.writerows(rows)


def lower_median(v):
    v = np.sort(np.asarray(v, dtype=float))
    return float(v[(len(v) - 1) // 2])


inc_blank = np.array([r[0] == "" for r in rows])
inc = np.array([float(r[0]) if r[0] else np.nan for r in rows])
inc_fill = lower_median(inc[~inc_blank])
inc_d = np.where(inc_blank, inc_fill, inc)
mo_blank = np.array([r[1] == "" for r in rows])
mo = np.array([float(r[1]) if r[1] else np.nan for r in rows])
mo_code = (~mo_blank) & (mo == -7)
mo_fill = lower_median(mo[(~mo_blank) & (~mo_code)])
mo_d = np.where(mo_blank | mo_code, mo_fill, mo)
ho = np.array([r[2] for r in rows])
levels = sorted(set(ho[ho != ""]))
ho_d = np.where(ho == "", levels[0], ho)
util = np.array([float(r[3]) for r in rows])
y = np.array([1.0 if r[4] == "yes" else 0.0 for r in rows])
cols = [inc_d, mo_d] + [(ho_d == lv).astype(float) for lv in levels[1:]] + [util,
        inc_blank.astype(float), mo_code.astype(float), mo_blank.astype(float), (ho == "").astype(float)]
names = ["(intercept)", "income", "months_since_delinquency"] + ["housing=" + lv for lv in levels[1:]] + [
    "utilisation", "income[missing]", "months_since_delinquency[special=-7]",
    "months_since_delinquency[missing]", "housing[missing]"]
X = sm.add_constant(np.column_stack(cols))
res = sm.Logit(y, X).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
ocols = [inc_d, mo_d] + [(ho_d == lv).astype(float) for lv in levels[1:]] + [y,
         inc_blank.astype(float), mo_code.astype(float), mo_blank.astype(float), (ho == "").astype(float)]
onames = ["(intercept)", "income", "months_since_delinquency"] + ["housing=" + lv for lv in levels[1:]] + [
    "default=yes", "income[missing]", "months_since_delinquency[special=-7]",
    "months_since_delinquency[missing]", "housing[missing]"]
ols = sm.OLS(util, sm.add_constant(np.column_stack(ocols))).fit()
json.dump({"ols": {"names": onames, "coef": ols.params.tolist(), "stderr": ols.bse.tolist(), "r2": ols.rsquared},
           "fills": {"income": inc_fill, "months_since_delinquency": mo_fill, "housing": levels[0]},
           "blank_rows": {"income": int(inc_blank.sum()), "months_since_delinquency": int(mo_blank.sum()),
                          "housing": int((ho == "").sum())},
           "reference_rows": int((ho == levels[0]).sum()),
           "reference_events": int(((ho == levels[0]) & (y == 1)).sum()),
           "names": names, "coef": res.params.tolist(), "stderr": res.bse.tolist(), "llf": res.llf},
          open("logistic_missing.json", "w"), indent=1)
