"""Domain layer: pure, vectorised, typed functions. No I/O, no printing."""
