"""OLS reference for TestLinearSpecialCodes: a generated bureau-style file
(linear_special.csv) whose months_since_delinquency declares the codes -7
and -9, fitted by statsmodels OLS on the design candor builds: the codes'
rows take the median of the feature's other values (the lower median for
an even count) and each code gets a 0/1 indicator column.

    /usr/bin/python3 linear_special.py   (Debian python3-statsmodels 0.13)

Writes linear_special.csv and linear_special.json.
"""
import csv, json
import numpy as np
import statsmodels.api as sm

rng = np.random.default_rng(12)
n = 600
rows = []
for i in range(n):
    m = int(rng.integers(0, 80))
    u = rng.random()
    code = -7 if u < 0.15 else (-9 if u < 0.25 else None)
    util = round(float(rng.uniform(0, 1)), 4)
    base = 700 + 1.5 * m - 80 * util
    if code == -7:
        base = 700 + 1.5 * 90 - 80 * util  # "no delinquency on record": better than any month count
    if code == -9:
        base = 640 - 80 * util  # "no bureau record"
    y = round(base + float(rng.normal(0, 15)), 3)
    rows.append([code if code is not None else m, util, y])
with open("linear_special.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["months_since_delinquency", "utilisation", "score"])
    w.writerows(rows)
x = np.array([r[0] for r in rows], dtype=float)
util = np.array([r[1] for r in rows])
y = np.array([r[2] for r in rows])
other = np.sort(x[(x != -7) & (x != -9)])
fill = other[(len(other) - 1) // 2]
xd = np.where((x == -7) | (x == -9), fill, x)
# indicators in ascending code order, as candor orders them
X = sm.add_constant(np.column_stack([xd, util, (x == -9).astype(float), (x == -7).astype(float)]))
res = sm.OLS(y, X).fit()
json.dump({"fill": fill, "names": ["(intercept)", "months_since_delinquency", "utilisation",
           "months_since_delinquency[special=-9]", "months_since_delinquency[special=-7]"],
           "coef": res.params.tolist(), "stderr": res.bse.tolist(), "r2": res.rsquared},
          open("linear_special.json", "w"), indent=1)
