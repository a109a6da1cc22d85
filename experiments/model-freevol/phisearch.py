import sys, json, math, random; sys.path.insert(0, __import__('os').path.dirname(__file__))
from phi import model
from phisearch_lib import P, names, score
from igfcirrhosis.model.validation import validation_table
seed = int(sys.argv[1]); n = int(sys.argv[2]); out = sys.argv[3]
rng = random.Random(seed)
base = {"phi_free": 2.5, "k_free": 2.8}
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
