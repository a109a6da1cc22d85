from igfcirrhosis.model.parameters import default_parameters
P = default_parameters()
names = ["phi_free","k_free","ka","kon1","kon3","V_kg","kcl_io","fb_rel","f_extra_I","Jtot0","kcl_b","kcl_t"]
def score(rows):
    n = sum(r["within"] for r in rows); pen = 0.0
    for r in rows:
        v = r["simulated"]; lo, hi = r["expected"]["lower"], r["expected"]["upper"]
        if v is None: pen += 10; continue
        if v < lo: pen += (lo - v)/(hi-lo)
        elif v > hi: pen += (v - hi)/(hi-lo)
    return n, pen
