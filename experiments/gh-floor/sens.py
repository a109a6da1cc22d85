import sys, json, itertools
from igfcirrhosis.model.engine import IgfModel
from igfcirrhosis.model.sbml import antimony_source, _sbml_for
from igfcirrhosis.model.validation import validation_table
from igfcirrhosis.model.checks import checks_table
def model(ov):
    return IgfModel(sbml=_sbml_for(antimony_source(ov, fast=True)), rules_sbml=_sbml_for(antimony_source(ov)))
WATCH = ["guler_infusion_igf1_x","guler_infusion_igf1_200kd_share","guler_infusion_igf1_free_share","guler_infusion_igf2_change","ghrd_q12h_igfbp3_change","healthy_qd_trough_rise","ghd_igf1_peak"]
if __name__ == "__main__":
    for ov in [json.loads(a) for a in sys.argv[1:]]:
      m = model(ov)
      rows = validation_table(m)
      c = {r["id"]: r["simulated"] for r in checks_table(m)}
      fails = {r["id"]: round(r["simulated"], 2) for r in rows if not r["within"]}
      print(ov, sum(r["within"] for r in rows), fails)
      print("   ", {k: round(c[k], 2) for k in WATCH})
