import sys, itertools; sys.path.insert(0, __import__('os').path.dirname(__file__))
from phi import run
for phi, kf in itertools.product([2.5, 3.0, 4.0], [1.4, 2.0, 2.8, 4.0]):
    run({"phi_free": phi, "k_free": kf})
