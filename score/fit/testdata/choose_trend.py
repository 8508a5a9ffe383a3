"""Brute-force reference for fit.ChooseTrend (TestChooseTrendCountsBins).

The pre-bins are those candor makes (20 quantile pre-bins, ties kept
together) of BILL_AMT5 on the training rows of the UCI "default of credit
card clients" data (I-C. Yeh, DOI 10.24432/C55S3H, CC BY 4.0; training rows:
data row i, 0-based, with i % 10 >= 3): per pre-bin its first value, events
(default = Y) and non-events.

For each shape (ascending, descending, peak, valley, none) every grouping of
the pre-bins into at most 8 contiguous bins is enumerated; a grouping is
admissible when every bin has events and non-events and the bins' event
rates follow the shape strictly (peak: rising then falling, either part
possibly empty; valley: falling then rising; none: consecutive rates differ,
any number of turns). The admissible grouping of
largest information value within 8 bins is the shape's binning: its bins,
information value, binned Bernoulli log-likelihood sum(e ln(e/n) + g ln(g/n))
and number of turns (changes of direction of the bins' rates) are printed as
JSON. The shape's criterion is taken at its own best size: for each limit
k = 2 .. 8, the admissible grouping of largest information value with at most
k bins, scored by Schwarz's criterion -2 loglik + ln(N) * bins; the lowest of
these is the shape's "criterion" and its bin count "best_bins" (the
"criterion_at" list gives every limit's), and that grouping's pre-bin starts
and turns are "best_starts" and "best_turns". For none, "bins", "starts",
"turns", "iv" and "loglik" describe the binning it keeps: the admissible
grouping of largest information value within 8 bins with at most
"max_turns" turns (best_turns, at least 1); "uncapped" gives its binning
without that bound. No code of candor is used.

    /usr/bin/python3 score/fit/testdata/choose_trend.py > score/fit/testdata/choose_trend.json
"""
import itertools
import json
import math

PREBINS = [  # first value, events, non-events
    (-81334, 680, 2233), (1, 46, 193), (247, 236, 813), (766, 215, 834),
    (1810, 188, 862), (3762, 168, 882), (6884, 221, 830), (9953, 244, 805),
    (14259, 276, 774), (18138, 261, 789), (20448, 250, 800), (26889, 256, 794),
    (30584, 248, 802), (41352, 263, 787), (50565, 210, 840), (66675, 216, 834),
    (86159, 228, 822), (115975, 203, 847), (165639, 237, 813),
]
MAX_BINS = 8
E = sum(p[1] for p in PREBINS)
G = sum(p[2] for p in PREBINS)
N = E + G


def follows(rates, shape):
    steps = [1 if b > a else -1 if b < a else 0 for a, b in zip(rates, rates[1:])]
    if 0 in steps:
        return False
    if shape == "none":
        return True
    if shape == "ascending":
        return all(s > 0 for s in steps)
    if shape == "descending":
        return all(s < 0 for s in steps)
    first, second = (1, -1) if shape == "peak" else (-1, 1)
    k = 0
    while k < len(steps) and steps[k] == first:
        k += 1
    return all(s == second for s in steps[k:])


def score(bins):
    return sum(e * math.log(e / (e + g)) + g * math.log(g / (e + g)) for e, g in bins)


def turns_of(bins):
    rates = [e / (e + g) for e, g in bins]
    steps = [1 if b > a else -1 for a, b in zip(rates, rates[1:])]
    return sum(1 for a, b in zip(steps, steps[1:]) if a != b)


def best(shape, max_turns=None):
    n = len(PREBINS)
    top = {}  # bin count -> (iv, edges, bins), the best grouping with exactly that many bins
    for ncuts in range(MAX_BINS):
        for cuts in itertools.combinations(range(1, n), ncuts):
            edges = (0,) + cuts + (n,)
            bins = []
            for a, b in zip(edges, edges[1:]):
                e = sum(p[1] for p in PREBINS[a:b])
                g = sum(p[2] for p in PREBINS[a:b])
                bins.append((e, g))
            if any(e == 0 or g == 0 for e, g in bins):
                continue
            rates = [e / (e + g) for e, g in bins]
            if not follows(rates, shape):
                continue
            if max_turns is not None and turns_of(bins) > max_turns:
                continue
            iv = sum((g / G - e / E) * math.log((g / G) / (e / E)) for e, g in bins)
            if len(bins) not in top or iv > top[len(bins)][0]:
                top[len(bins)] = (iv, edges, bins)

    def at_most(k):  # the best grouping with at most k bins (the fewer bins on a tie)
        return max((top[j] for j in sorted(top) if j <= k), key=lambda t: t[0])

    iv, edges, bins = at_most(MAX_BINS)
    loglik = score(bins)
    rates = [e / (e + g) for e, g in bins]
    steps = [1 if b > a else -1 for a, b in zip(rates, rates[1:])]
    turns = sum(1 for a, b in zip(steps, steps[1:]) if a != b)
    criterion, best_bins = -2 * loglik + math.log(N) * len(bins), len(bins)
    best_edges, best_turns = edges, turns
    criterion_at = {}
    if len(bins) >= 2:
        for k in range(2, MAX_BINS + 1):
            kb = at_most(k)[2]
            if len(kb) < 2:
                continue
            c = -2 * score(kb) + math.log(N) * len(kb)
            criterion_at[k] = {"bins": len(kb), "criterion": c}
        best_bins, criterion = min(((v["bins"], v["criterion"]) for v in criterion_at.values()),
                                   key=lambda t: (t[1], t[0]))
        best_edges = at_most(best_bins)[1]
        kr = [e / (e + g) for e, g in at_most(best_bins)[2]]
        ks = [1 if b > a else -1 for a, b in zip(kr, kr[1:])]
        best_turns = sum(1 for a, b in zip(ks, ks[1:]) if a != b)
    out = {"shape": shape, "bins": len(bins), "starts": list(edges[:-1]), "turns": turns, "iv": iv,
           "loglik": loglik, "criterion": criterion, "best_bins": best_bins,
           "best_starts": list(best_edges[:-1]), "best_turns": best_turns, "criterion_at": criterion_at}
    if shape == "none" and max_turns is None and len(bins) >= 2:
        # The binning none keeps: the largest information value within 8
        # bins among the groupings with at most the turns of its binning
        # at its best size (at least 1); criterion and best size stay those
        # of the unbounded shape. "uncapped" is that shape's binning.
        kept = best(shape, max(best_turns, 1))
        out["uncapped"] = {k: out[k] for k in ("bins", "starts", "turns", "iv", "loglik")}
        out["max_turns"] = max(best_turns, 1)
        for k in ("bins", "starts", "turns", "iv", "loglik"):
            out[k] = kept[k]
    return out


print(json.dumps({"rows": N, "penalty": math.log(N), "max_bins": MAX_BINS,
                  "prebins": [{"first": x, "events": e, "nonevents": g} for x, e, g in PREBINS],
                  "shapes": [best(s) for s in ("ascending", "descending", "peak", "valley", "none")]}, indent=1))
