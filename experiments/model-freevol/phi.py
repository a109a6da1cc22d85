import sys, time
from igfcirrhosis.model.engine import IgfModel
from igfcirrhosis.model.sbml import antimony_source, _sbml_for
from igfcirrhosis.model.validation import validation_table
from igfcirrhosis.model.checks import simulate_checks
def model(ov):
    return IgfModel(sbml=_sbml_for(antimony_source(ov, fast=True)), rules_sbml=_sbml_for(antimony_source(ov)))
FAIL_SHOW = None
def run(ov, show_checks=False):
    m = model(ov)
    rows = validation_table(m)
    n = sum(r["within"] for r in rows)
    bad = [(r["id"], r["simulated"], r["expected"]["lower"], r["expected"]["upper"]) for r in rows if not r["within"]]
    key = {r["id"]: r["simulated"] for r in rows}
    print(ov, f"{n}/25", "tracer %.2f inf %.2f free2h %.1f 4h %.0f ghrd %.1f thalf %.2f F %.3f conch %.0f tmax %.2f thghrd %.2f" % tuple(key[k] for k in ["t_half_free_tracer","t_half_free_infusion","meca_free_2h_100","meca_igf1_4h_100","ghrd_igf1","meca_thalf_healthy","meca_f_healthy","conchillo_igf1","meca_tmax_healthy","meca_thalf_ghrd"]), flush=True)
    print("   fails:", [(b[0], round(b[1],3)) for b in bad], flush=True)
    if show_checks:
        c = simulate_checks(m); print("   checks:", {k: round(v,3) for k,v in c.items()}, flush=True)
    return n, key
if __name__ == "__main__":
    for phi in [float(x) for x in sys.argv[1:]]:
        run({"phi_free": phi})
