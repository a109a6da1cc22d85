"""Cohort statistics validated against R.

Modules (import them directly; nothing is imported here so that ``igfc --help`` stays fast):

- ``survival``: Kaplan-Meier (Greenwood, log / log-log / plain CIs, median, risk table),
  log-rank test for k groups and the log-rank test for trend (as R's ``survfit``/``survdiff``).
- ``survival_data``: input checks shared by the survival modules and the warning classes
  ``StatisticalWarning`` and ``ConvergenceWarning``.
- ``cox``: Cox proportional hazards (Efron / Breslow ties), Wald / LR / score tests, ``cox.zph``
  and nested-model comparison (as R's ``coxph``, ``summary.coxph``, ``cox.zph``, ``anova``).
- ``concordance``: Harrell's C with its standard error and C-index comparison (as R's
  ``concordance``).
- ``competing``: cumulative incidence (Aalen-Johansen), Gray's test and Fine-Gray regression
  (as R's ``cmprsk::cuminc`` and ``cmprsk::crr``).
"""
