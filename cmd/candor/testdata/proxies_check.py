"""Reference values for cmd/candor/audit_proxies_test.go (TestAuditProxiesAgainstScipy).

Run from the repository root:  /usr/bin/python3 cmd/candor/testdata/proxies_check.py

On the shipped German credit file (examples/datasets/german_credit.csv.gz):
- Cramér's V, without the bias correction, of `housing` against `age_in_years`
  banded at 25, 35, 65 (half-open bands [lo, hi), as numpy.digitize and
  candor audit --bands cut them): scipy.stats.contingency.association;
- the correlation ratio eta = sqrt(SS_between / SS_total) of `credit_amount`
  against `personal_status_and_sex`, in numpy.
"""
import os

import numpy as np
import pandas as pd
from scipy.stats.contingency import association, crosstab

here = os.path.dirname(os.path.abspath(__file__))
df = pd.read_csv(os.path.join(here, "..", "..", "..", "examples", "datasets", "german_credit.csv.gz"))

band = np.digitize(df["age_in_years"].to_numpy(dtype=float), [25, 35, 65], right=False)
table = crosstab(df["housing"].to_numpy(), band).count
v = association(table, method="cramer", correction=False)
print("cramers_v housing age_in_years(25,35,65) %r" % float(v))

x = df["credit_amount"].to_numpy(dtype=float)
g = df["personal_status_and_sex"].to_numpy()
mean = x.mean()
ss_total = ((x - mean) ** 2).sum()
ss_between = sum(len(x[g == k]) * (x[g == k].mean() - mean) ** 2 for k in np.unique(g))
print("correlation_ratio credit_amount personal_status_and_sex %r" % float(np.sqrt(ss_between / ss_total)))
