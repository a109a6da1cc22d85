import sys, json, math, random; sys.path.insert(0, __import__('os').path.dirname(__file__))
from phi import model
from phisearch_lib import score, names, P
from igfcirrhosis.model.validation import validation_table
seed = int(sys.argv[1]); n = int(sys.argv[2]); out = sys.argv[3]
rng = random.Random(seed)
cur = json.loads(sys.argv[4]); best = None
def ev(ov):
    rows = validation_table(model(ov)); nw, pen = score(rows)
    return nw, pen, {r["id"]: r["simulated"] for r in rows if not r["within"]}
best = ev(cur)
with open(out, "a") as fh:
    for i in range(n):
        ov = dict(cur)
        for name in rng.sample(names, rng.choice([1,2,3])):
            p = P.get(name)
            lo, hi = (1.0, 4.0) if name == "phi_free" else (p.lower, p.upper)
            c = ov.get(name, p.value)
            v = math.exp(math.log(c) + rng.gauss(0, 0.2)) if lo > 0 else c + rng.gauss(0, 0.1*(hi-lo))
            ov[name] = min(max(v, lo), hi)
        try: r = ev(ov)
        except Exception: continue
        fh.write(json.dumps({"ov": ov, "n": r[0], "pen": r[1], "fails": r[2]}) + "\n"); fh.flush()
        if (r[0], -r[1]) > (best[0], -best[1]):
            best, cur = r, ov
            print(i, r[0], round(r[1],3), {k: round(v,3) for k,v in ov.items()}, {k: round(v,2) for k,v in r[2].items()}, flush=True)
