"""Reproducible cohort analysis: a TOML plan → results.json, tables, figures and report.html.

- :mod:`.plan`: the plan's schema and validation (errors name the key);
- :mod:`.expressions`: the safe expression language of filters and derived columns;
- :mod:`.data`: reading (files, ``package:`` data, ``demo:`` cohorts), scoring, deriving, filtering;
- :mod:`.steps`: one function per analysis type, composing :mod:`igfcirrhosis.stats` objects;
- :mod:`.runner`: runs a plan; :mod:`.results`: results.json; :mod:`.report`: report.html;
- :mod:`.messages`: every report sentence, by language.

Nothing heavy is imported here.
"""
