import sys, json; sys.path.insert(0, __import__('os').path.dirname(__file__))
from phi import model
from igfcirrhosis.model.checks import checks_table
ov = json.loads(open(sys.argv[1]).read()) if len(sys.argv) > 1 else {}
rows = checks_table(model(ov))
for r in rows: print(f"{r['id']:28s} {r['simulated']:10.4g} {r['published']:10.4g} {r['ratio']}")
