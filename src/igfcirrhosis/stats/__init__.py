"""Cohort statistics validated against R.

Modules (import them directly; nothing is imported here so that ``igfc --help`` stays fast).
Survival analysis:

- ``survival``: Kaplan-Meier (Greenwood, log / log-log / plain CIs, median with CI, survival at
  horizons, risk table), log-rank / Fleming-Harrington tests for k groups (optionally
  stratified) and the log-rank test for trend (as R's ``survfit`` / ``survdiff``);
  ``survival_logrank`` and ``survival_tables`` hold the tests and the shared tabulation.
- ``survival_data``: input checks shared by the survival modules and the warning classes
  ``StatisticalWarning`` and ``ConvergenceWarning``.
- ``cox``: Cox proportional hazards (Efron / Breslow ties, strata), Wald / LR / score tests,
  ``cox.zph``, nested-model comparison and predicted survival (as R's ``coxph``,
  ``summary.coxph``, ``cox.zph``, ``anova``, ``survfit.coxph``); ``cox_core`` and ``cox_zph``
  hold the array layer.
- ``concordance``: Harrell's C with its standard error and C-index comparison (as R's
  ``concordance``).
- ``competing``: cumulative incidence (Aalen-Johansen) and Gray's test (as ``cmprsk::cuminc``);
  ``competing_finegray``: Fine-Gray regression (as ``cmprsk::crr``).
- ``_survplot``: the plots behind the estimators' ``plot()`` methods.
"""
