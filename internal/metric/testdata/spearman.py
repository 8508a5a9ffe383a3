"""Reference values for candor's metric.Spearman and metric.RegIncBeta.

Cases: small hand-made vectors with ties, a constant-free pseudo-random pair
(a fixed linear congruential generator, so no NumPy seed is involved), and
three numeric columns of German credit (UCI Statlog, CC BY 4.0) against the
event creditability == "bad". Each case stores its vectors, so the Go test
needs no data file, and scipy.stats.spearmanr's rho and two-sided p-value.
betainc lists scipy.special.betainc(a, b, x) values.

Run: /usr/bin/python3 internal/metric/testdata/spearman.py examples/datasets/german_credit.csv.gz > internal/metric/testdata/spearman.json
"""
import csv, gzip, io, json, sys
import scipy
from scipy.stats import spearmanr
from scipy.special import betainc

cases = []
def add(name, x, y):
    r = spearmanr(x, y)
    cases.append({"name": name, "x": x, "y": y, "rho": float(r.statistic), "p": float(r.pvalue)})

add("hand ties", [1, 2, 2, 3, 4, 4, 4, 5, 6, 7], [0, 0, 1, 0, 1, 1, 0, 1, 1, 1])
add("hand negative", [10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 0], [0, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 0])
add("hand weak", [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5], [1, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1])
s = 12345
xs, ys = [], []
for i in range(500):
    s = (1103515245 * s + 12345) % 2**31
    u = s / 2**31
    s = (1103515245 * s + 12345) % 2**31
    v = s / 2**31
    xs.append(round(u * 20))          # ties: 21 distinct values
    ys.append(1 if v < 0.3 + 0.02 * u else 0)
add("lcg 500", xs, ys)
rows = list(csv.DictReader(io.TextIOWrapper(gzip.open(sys.argv[1]), encoding="utf-8")))
y = [1 if r["creditability"] == "bad" else 0 for r in rows]
for col in ["duration_in_month", "credit_amount", "age_in_years"]:
    add("german " + col, [float(r[col]) for r in rows], y)

beta = []
for a, b, x in [(0.5, 0.5, 0.3), (2, 3, 0.4), (10, 0.5, 0.9), (499, 0.5, 0.99), (22604, 0.5, 0.9995), (1.5, 7, 0.01)]:
    beta.append({"a": a, "b": b, "x": x, "value": float(betainc(a, b, x))})

print(json.dumps({"source": f"scipy {scipy.__version__} stats.spearmanr / special.betainc, Debian python3-scipy",
                  "spearman": cases, "betainc": beta}, indent=1))
