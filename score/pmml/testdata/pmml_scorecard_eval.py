"""An independent reading of a PMML 4.4 Scorecard, for TestPMMLLogisticAsScorecard:
evaluates logistic_indicator.pmml (written by candor) on every row of
logistic_missing.csv and writes the "probability" OutputField per row to
logistic_indicator_eval.json. It follows the PMML specification's rules, not
candor's code: a blank cell is a missing value; each Characteristic scores
its first Attribute whose predicate is TRUE (SimplePredicate comparisons on a
missing value are UNKNOWN, CompoundPredicate and/or in three-valued logic),
its partialScore or its ComplexPartialScore expression; no TRUE attribute
makes the result invalid (null); points = initialScore + the partial scores;
OutputFields are evaluated in order with FieldRef to earlier ones.

    /usr/bin/python3 pmml_scorecard_eval.py   (the standard library only)
"""
import csv, json, math, shlex
import xml.etree.ElementTree as ET

NS = "{http://www.dmg.org/PMML-4_4}"


def tag(e):
    return e.tag.replace(NS, "")


def kids(e, name=None):
    return [c for c in e if not tag(c) == "Extension" and (name is None or tag(c) == name)]


root = ET.parse("logistic_indicator.pmml").getroot()
fields = {f.get("name"): f for f in root.find(NS + "DataDictionary")}
card = root.find(NS + "Scorecard")
active = [m.get("name") for m in kids(card.find(NS + "MiningSchema"), "MiningField") if m.get("usageType", "active") == "active"]


def value(name, row):
    cell = row.get(name, "")
    if cell.strip() == "":
        return None
    if fields[name].get("optype") == "continuous":
        return float(cell)
    return cell


def compare(op, x, v, numeric):
    if numeric:
        v = float(v)
    return {"equal": x == v, "notEqual": x != v, "lessThan": x < v, "lessOrEqual": x <= v,
            "greaterThan": x > v, "greaterOrEqual": x >= v}[op]


def predicate(p, row):
    """True, False or None (UNKNOWN)."""
    t = tag(p)
    if t == "True":
        return True
    if t == "False":
        return False
    if t == "SimplePredicate":
        name, op = p.get("field"), p.get("operator")
        x = value(name, row)
        if op == "isMissing":
            return x is None
        if op == "isNotMissing":
            return x is not None
        if x is None:
            return None
        return compare(op, x, p.get("value"), fields[name].get("optype") == "continuous")
    if t == "SimpleSetPredicate":
        x = value(p.get("field"), row)
        if x is None:
            return None
        items = shlex.split(kids(p, "Array")[0].text or "")
        return (x in items) == (p.get("booleanOperator") == "isIn")
    if t == "CompoundPredicate":
        vals = [predicate(c, row) for c in kids(p)]
        if p.get("booleanOperator") == "and":
            return False if False in vals else (None if None in vals else True)
        if p.get("booleanOperator") == "or":
            return True if True in vals else (None if None in vals else False)
    raise ValueError("unsupported predicate " + t)


def expr(e, env):
    t = tag(e)
    if t == "Constant":
        return float(e.text)
    if t == "FieldRef":
        return env[e.get("field")]
    if t == "Apply":
        a = [expr(c, env) for c in kids(e)]
        if any(x is None for x in a):
            return None
        f = e.get("function")
        if f == "+":
            return a[0] + a[1]
        if f == "-":
            return a[0] - a[1]
        if f == "*":
            return a[0] * a[1]
        if f == "/":
            return a[0] / a[1]
        if f == "exp":
            return math.exp(a[0])
    raise ValueError("unsupported expression " + t)


def evaluate(row):
    env = {name: value(name, row) for name in active}
    points = float(card.get("initialScore", "0"))
    for ch in kids(card.find(NS + "Characteristics"), "Characteristic"):
        for a in kids(ch, "Attribute"):
            pred = [c for c in kids(a) if tag(c) != "ComplexPartialScore"][0]
            if predicate(pred, row) is True:
                cps = a.find(NS + "ComplexPartialScore")
                s = expr(kids(cps)[0], env) if cps is not None else float(a.get("partialScore"))
                if s is None:
                    return None
                points += s
                break
        else:
            return None
    env["points"] = points
    out = {}
    for of in kids(card.find(NS + "Output"), "OutputField"):
        ap = of.find(NS + "Apply")
        if of.get("feature") == "predictedValue":
            out[of.get("name")] = points
        elif ap is not None:
            out[of.get("name")] = env[of.get("name")] = expr(ap, env)
    return out["probability"]


rows = list(csv.DictReader(open("logistic_missing.csv", newline="")))
json.dump({"probability": [evaluate(r) for r in rows]}, open("logistic_indicator_eval.json", "w"), indent=0)
