"""The mechanistic GH-IGF-I / IGFBP-3 / ALS / stellate-cell model of liver cirrhosis.

One Antimony source (``data/model/igf_axis.ant``) with parameter values from
``data/model/parameters.tsv`` is compiled to SBML and simulated with libroadrunner (CVODE).
Time is in hours inside the model; concentrations in nmol/L (GH in ng/mL). Public entry points
(heavy imports happen only when they are called):

* :func:`igfcirrhosis.model.sbml.sbml_string` / :func:`~igfcirrhosis.model.sbml.export_sbml`
* :class:`igfcirrhosis.model.engine.IgfModel` -- one RoadRunner, reused
* :func:`igfcirrhosis.model.scenario.load_scenario` -- TOML scenarios with key-naming errors
* :func:`igfcirrhosis.model.simulate.simulate_scenario` -- trajectories, summary, plots
* :func:`igfcirrhosis.model.population.run_trial` -- seeded virtual trials on a process pool
* :func:`igfcirrhosis.model.validation.validation_table` -- published observations vs model
* :func:`igfcirrhosis.model.fitting.fit_patient` -- steady-state fit of a measured patient
"""

from __future__ import annotations

SCHEMA_VERSION = "1.0"
