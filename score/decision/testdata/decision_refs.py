"""Reference values for score/decisionlog_test.go (run: /usr/bin/python3 score/testdata/decision_refs.py > score/testdata/decision_refs.json;
   statsmodels 0.13.5).

1. InputDigest: HMAC-SHA256 over the documented canonical encoding, written
   independently of the Go code from the doc comment of score.InputDigest.
2. Wilson 95% intervals for override rates, from statsmodels.
"""
import hashlib, hmac, json
from statsmodels.stats.proportion import proportion_confint

def uvarint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)

def put(buf, b):
    buf += uvarint(len(b)) + b

def digest(key, fields):
    buf = bytearray()
    put(buf, b"candor-input-digest-v1")
    for name, kind, val in fields:
        put(buf, name.encode())
        put(buf, kind.encode())
        put(buf, val.encode())
    return "hmac-sha256:" + hmac.new(key, bytes(buf), hashlib.sha256).hexdigest()

key = b"0123456789abcdef-test-key"
# consentModel schema: income, region, phone_usage, age_band; cust(6, "a", 2) with age_band "30-39".
out = {
    "digest_cust_6_a_2": digest(key, [("income", "n", "6"), ("region", "c", "a"), ("phone_usage", "n", "2"), ("age_band", "c", "30-39")]),
    "digest_missing_phone": digest(key, [("income", "n", "6.5"), ("region", "c", "a"), ("phone_usage", "m", ""), ("age_band", "c", "30-39")]),
}
for k, n in [(1, 3), (2, 2), (3, 5)]:
    lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    out[f"wilson_{k}_{n}"] = [lo, hi]
print(json.dumps(out, indent=2))
