"""Cohort input: readers for CSV/TSV, Parquet, Excel, REDCap and FHIR R4, and the demo cohort.

Readers return a :class:`~igfcirrhosis.cohort.read_result.CohortRead` whose frame carries the data
dictionary's canonical column names, with the source's unit in brackets where the source gives
one (``bilirubin [umol/L]``). Unit conversion and plausibility checks happen downstream in
``igfcirrhosis.domain.inputs``. Import the submodules directly (``from igfcirrhosis.cohort.io
import read_cohort``); this package imports nothing heavy.
"""
