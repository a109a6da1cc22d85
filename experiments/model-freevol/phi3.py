import sys, itertools; sys.path.insert(0, __import__('os').path.dirname(__file__))
from phi import model
from igfcirrhosis.model.checks import _frystyk_free, _guler_column, _grahnen_iv
for phi, kf in [(1,1.4),(2.5,2.8),(3,4),(4,4)]:
    m = model({"phi_free": phi, "k_free": kf})
    print(phi, kf, {k: round(v,3) for k,v in {**_frystyk_free(m), **_grahnen_iv(m)}.items()})
