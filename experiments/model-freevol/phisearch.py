import sys, json, math, random; sys.path.insert(0, __import__('os').path.dirname(__file__))
import numpy as np
from phi import model
from igfcirrhosis.model.validation import validation_table
from igfcirrhosis.model.parameters import default_parameters
P = default_parameters()
seed = int(sys.argv[1]); n = int(sys.argv[2]); out = sys.argv[3]
rng = random.Random(seed)
base = {"phi_free": 2.5, "k_free": 2.8}
names = ["phi_free","k_free","ka","kon1","kon3","V_kg","kcl_io","fb_rel","f_extra_I","Jtot0","kcl_b","kcl_t"]
def score(rows):
    n = sum(r["within"] for r in rows); pen = 0.0
    for r in rows:
        v = r["simulated"]; lo, hi = r["expected"]["lower"], r["expected"]["upper"]
        if v is None: pen += 10; continue
        if v < lo: pen += (lo - v)/(hi-lo)
        elif v > hi: pen += (v - hi)/(hi-lo)
    return n, pen
with open(out, "a") as fh:
    for i in range(n):
        ov = dict(base)
        k = rng.choice([2,3,4])
        for name in rng.sample(names, k):
            p = P.get(name)
            lo, hi = (1.0, 4.0) if name == "phi_free" else (p.lower, p.upper)
            cur = ov.get(name, p.value if p else 1.0)
            if lo > 0:
                v = math.exp(math.log(cur) + rng.gauss(0, 0.35))
            else:
                v = cur + rng.gauss(0, 0.3*(hi-lo))
            ov[name] = min(max(v, lo), hi)
        try:
            rows = validation_table(model(ov))
        except Exception as e:
            continue
        nw, pen = score(rows)
        fails = {r["id"]: r["simulated"] for r in rows if not r["within"]}
        fh.write(json.dumps({"ov": ov, "n": nw, "pen": pen, "fails": fails}) + "\n"); fh.flush()
