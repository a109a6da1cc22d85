"""简体中文 catalogue of the report: every key of :mod:`.messages` (and of the figure labels in
:mod:`.figures`), with the same format placeholders (tests/analysis/test_report_zh.py checks both).

Terminology follows the seed review (Child-Pugh 分级, 敏感性, 特异度, 恶性腹水) and standard Chinese
statistics and hepatology usage (生存分析, 对数秩检验, 风险比, 置信区间, 一致性指数,
竞争风险, 累积发生率).
Numbers, units, column names and software names stay as they are. Pure data: imports nothing.
"""

from __future__ import annotations

ZH: dict[str, str] = {
    "research_use": "仅供科研及临床决策支持使用。本软件不是医疗器械；"
    "所有输出均须由具备资质的临床医师解读。",
    "synthetic_banner": (
        "合成数据：每一行均由 igfcirrhosis.cohort.demo 生成，不代表任何真实患者。"
        "数值仅用于演示软件功能，不反映生物学规律。"
    ),
    "synthetic_title": "合成数据",
    "section_provenance": "数据来源",
    "section_methods": "统计方法",
    "section_results": "结果",
    "section_warnings": "警示",
    "section_excluded": "排除的记录",
    "section_contents": "目录",
    "section_plan": "分析计划",
    "plan_intro": "实际运行的计划文件（其 SHA-256 记录于 results.json）；"
    "对相同数据再次运行将得到逐字节相同的 results.json。",
    "analysis_filter": "分析筛选条件",
    "prov_plan": "计划文件",
    "prov_file": "数据",
    "prov_resolved": "解析为",
    "prov_format": "格式",
    "prov_hash": "数据的 SHA-256",
    "prov_rows_read": "读取行数",
    "prov_rows_excluded": "分析前排除的行数（读取错误、计划筛选条件）",
    "prov_rows_analysed": "可用于分析的行数",
    "prov_filter": "筛选条件",
    "prov_derived": "派生列",
    "prov_units": "所用列的单位",
    "prov_units_assumed": "假定的单位（表头未注明单位；采用数据字典默认值）",
    "prov_notes": "读取说明",
    "prov_run": "运行时间",
    "prov_software": "软件",
    "methods_intro": (
        "所有统计量均由 igfcirrhosis {version} 计算（Python {python}；numpy {numpy}、scipy "
        "{scipy}、pandas {pandas}、statsmodels {statsmodels}、matplotlib {matplotlib}）。"
        "下列每种方法均在 igfcirrhosis.stats 中实现，并已在本软件包的测试套件中以 Mayo PBC "
        "数据与 R（survival、pROC、maxstat、cmprsk 及 base R stats）的结果进行验证；表中列出"
        "其所对应的 R 函数。"
    ),
    "methods_rows": (
        "某项分析所需任一列存在缺失值的行仅从该项分析中排除（完整病例分析）；每一被排除的行及其"
        "原因均列于最后一节。所有检验均为双侧检验；置信区间均为 95% 置信区间。"
    ),
    "analysis_n": "纳入分析 {n_used} 例患者；本项分析排除 {n_excluded} 行。",
    "analysis_failed": "本项分析无法完成计算：{error}",
    "excluded_none": "无排除的行。",
    "excluded_intro": "行号从 1 开始计数数据行（不计表头）；ID 为 ID 列（{id_column}）的取值。",
    "excluded_list": "{n} 行的列表",
    "excluded_more": "……另有 {more} 行（全部列于 tables/{file}）。",
    "col_row": "行号",
    "col_id": "ID",
    "col_reason": "原因",
    "col_stage": "阶段",
    "stage_read": "读取",
    "stage_filter": "计划筛选条件",
    "warnings_none": "无警示。",
    "figure_files": "图片文件",
    "warn_small_cell": "样本量过小：{group} 组仅有 {n} {what}（< {minimum}），估计值不精确",
    "warn_ph": "比例风险假定：{term} 的 cox.zph 检验 p = {p:.3g}（< 0.05）；"
    "风险比是随时间变化的效应的平均值",
    "warn_epv": "样本量过小：{k} 个协变量仅有 {events} 个事件（每个协变量 < 10 个事件），"
    "回归系数可能不稳定",
    "warn_not_converged": "{model}未收敛",
    "warn_optimism": "乐观偏倚：截断值是在本数据中选定的，"
    "因此在该截断值处测得的效应或准确性均被高估；应用前须在独立患者中验证",
    "warn_youden": "Youden 截断值是在本数据中选定的，其敏感性和特异度偏于乐观；须在独立患者中验证",
    "warn_ppv": "阳性预测值和阴性预测值取决于本样本的患病率（{cases}/{n}），不能外推至其他人群",
    "warn_apparent": "logistic 联合模型在拟合所用的同一数据上评价（表观准确性），结果偏于乐观",
    "warn_logistic_epv": "样本量过小：{k} 个协变量，而较小的结局组仅有 {m} 例"
    "（每个协变量 < 10 例）",
    "warn_stats": "{category}：{message}",
    "key_results": "主要结果",
    "cut_km_title": "{marker} 按数据驱动的截断值 {cut:g} 分组（不报告 P 值：结果偏于乐观）",
    "sum_logrank": "对数秩检验：χ² = {chisq:.2f}，自由度 {df}，{p}。",
    "sum_trend": "对数秩趋势检验：χ² = {chisq:.2f}，自由度 1，{p}。",
    "sum_median": "中位生存时间，{group}：{median}。",
    "sum_cox": "Harrell 一致性指数 C = {c:.3f}（标准误 {se:.3f}）；似然比检验 χ² = {lr:.2f}，"
    "自由度 {df}，{p}。",
    "sum_hr": "{covariate}：每增加 1 {unit}，风险比 {hr:.3g}"
    "（95% 置信区间 {lo:.3g}-{hi:.3g}），{p}。",
    "sum_zph": "比例风险假定的整体检验（cox.zph）：{p}。",
    "sum_c": "{score}：Harrell 一致性指数 C = {c:.3f}（95% 置信区间 {lo:.3f}-{hi:.3f}）。",
    "sum_c_diff": "{first} 的 C 减去 {second} 的 C：{diff:+.3f}（标准误 {se:.3f}），{p}。",
    "sum_nested": "在 {base} 基础上加入 {added}：似然比 χ² = {chisq:.2f}，自由度 {df}，{p}；"
    "C 由 {c_base:.3f} 变为 {c_full:.3f}。",
    "sum_cut": "截断值 {cut:g} {unit}（低值组：标志物 ≤ 截断值）；最大选择对数秩统计量 {stat:.2f}；"
    "校正选择过程后的 P 值（{pmethod}）：{p}。",
    "sum_youden": "{outcome} 的 Youden 截断值：{thr:.4g} {unit}"
    "（敏感性 {se:.3f}，特异度 {sp:.3f}）。",
    "sum_auc": "{marker}：曲线下面积（AUC）{auc:.3f}（95% 置信区间 {lo:.3f}-{hi:.3f}），"
    "病例 {cases} 例，对照 {controls} 例。",
    "sum_delong": "{a} 与 {b} 比较：AUC 差值 {diff:+.3f}"
    "（95% 置信区间 {lo:.3f} 至 {hi:.3f}），{p}。",
    "sum_accuracy": "{rule}：敏感性 {se:.3f}（{se_lo:.3f}-{se_hi:.3f}），特异度 {sp:.3f}"
    "（{sp_lo:.3f}-{sp_hi:.3f}）。",
    "sum_gray": "Gray 检验，{cause}：χ² = {chisq:.2f}，自由度 {df}，{p}。",
    "sum_shr": "Fine-Gray 模型，{covariate}：亚分布风险比 {hr:.3g}"
    "（95% 置信区间 {lo:.3g}-{hi:.3g}），{p}。",
    "sum_or": "{term}：比值比 {or_:.3g}（95% 置信区间 {lo:.3g}-{hi:.3g}），{p}。",
    "sum_rho": "{x} 与 {y}：Spearman 秩相关系数 rho = {rho:.3f}"
    "（95% 置信区间 {lo:.3f} 至 {hi:.3f}），{p}，n = {n}。",
    "sum_paired": "平均差值（{after} - {before}）{d:.3g}（单位：{unit}；95% 置信区间 {lo:.3g} 至 "
    "{hi:.3g}）；配对 t 检验 {p_t}；Wilcoxon 符号秩检验 {p_w}。",
    "sum_table1": "{variable}：{test}，{p}{trend}。",
    "sum_table1_trend": "；趋势检验（Jonckheere-Terpstra）{p}",
    "not_reached": "未达到",
    "table_files": "表格文件",
    "ci95": "95% 置信区间",
    "cause_n": "事件 {code}",
    "rule_combined": "{combine}：{rules}",
    "list_sep": "；",
    "label_sep": "：",
    "full_stop": "。",
    "col_method": "方法",
    "col_r_equivalent": "对应的 R 函数（验证依据）",
    "timings": "耗时（秒）",
    "no_cjk_font": "未找到中文（CJK）字体，因此图中保留英文标签（安装 fonts-noto-cjk 或 "
    "fonts-droid-fallback 后重新运行）。",
    "software_on": "igfcirrhosis {version}；Python {python}，{system} {machine}",
    "plan_hash": "{file}（SHA-256 {sha}…）",
}

METHODS_ZH: dict[str, tuple[str, str]] = {
    "km": (
        "Kaplan-Meier 法估计生存率（Kaplan & Meier 1958）；中位生存时间的置信区间取逐点置信带与 "
        "0.5 相交的区间",
        "survival::survfit",
    ),
    "greenwood": (
        "Greenwood 方差；除计划另有规定外，置信区间在对数尺度上计算",
        "survival::survfit(conf.type)",
    ),
    "logrank": ("对数秩检验（Mantel 1966；Peto & Peto 1972）", "survival::survdiff"),
    "logrank_trend": (
        "有序分组的对数秩趋势检验，评分取分组值（Collett 2015，第 2.6 节）",
        "survdiff O, E and V",
    ),
    "cox": (
        "Cox 比例风险回归（Cox 1972），Newton-Raphson 迭代，"
        "结点时间采用 Efron（或 Breslow）法处理；风险比的 Wald 置信区间",
        "survival::coxph",
    ),
    "wald_lr_score": ("整体 Wald 检验、似然比检验和得分检验", "summary(coxph)"),
    "cox_zph": (
        "基于标化 Schoenfeld 残差与 Kaplan-Meier 变换时间的比例风险假定检验（Grambsch & Therneau "
        "1994）",
        "survival::cox.zph",
    ),
    "harrell_c": (
        "Harrell 一致性指数（C 指数）及其无穷小刀切法（infinitesimal jackknife）标准误",
        "survival::concordance",
    ),
    "c_compare": (
        "同一批患者中两个 C 指数之差，采用刀切法协方差（z 检验）",
        "survival::concordance(fit1, fit2)",
    ),
    "nested_lr": ("嵌套 Cox 模型的似然比检验", "anova(coxph, coxph)"),
    "aalen_johansen": (
        "累积发生率函数（Aalen-Johansen 估计），方差按 cmprsk 计算",
        "cmprsk::cuminc",
    ),
    "gray": ("累积发生率的 Gray（1988）k 样本检验", "cmprsk::cuminc"),
    "fine_gray": (
        "Fine-Gray（1999）亚分布风险回归，采用稳健（三明治）方差",
        "cmprsk::crr",
    ),
    "maxstat": (
        "最大选择对数秩统计量（Hothorn & Lausen 2003），对截断值选择过程的 P 值采用 "
        "Lausen-Schumacher（Lau92）或 Lausen-Sauerbrei-Schumacher（Lau94）近似校正",
        "maxstat::maxstat.test",
    ),
    "youden": (
        "经验受试者工作特征（ROC）曲线上的 Youden 指数截断值（阈值取相邻观测值的中点）",
        "pROC::coords(best.method = 'youden')",
    ),
    "roc": (
        "经验受试者工作特征曲线（ROC）及曲线下面积（AUC）；判定方向见分析计划",
        "pROC::roc",
    ),
    "delong_ci": ("AUC 的 DeLong（1988）置信区间", "pROC::ci.auc(method='delong')"),
    "delong_paired": ("两个相关 AUC 的配对 DeLong 检验", "pROC::roc.test(paired=TRUE)"),
    "clopper_pearson": (
        "敏感性、特异度、阳性预测值和阴性预测值，采用 Clopper-Pearson 精确置信区间",
        "binom.test",
    ),
    "either_both": (
        "联合判定规则：任一标志物阳性即判为阳性（either），或两者均阳性才判为阳性（both）",
        "binom.test on the combined 2x2 table",
    ),
    "logistic_combination": (
        "标志物的 logistic 回归联合模型，拟合概率 ≥ 0.5 判为阳性（表观准确性）",
        "glm(binomial)",
    ),
    "logistic": (
        "Logistic 回归（二项分布广义线性模型，logit 连接）；比值比及其 Wald 置信区间",
        "glm(family = binomial), confint.default",
    ),
    "spearman": (
        "Spearman 秩相关；P 值采用 t 近似；置信区间采用 Fisher z 变换及 Bonett-Wright 标准误",
        "cor.test(method = 'spearman')",
    ),
    "table1_continuous": (
        "连续变量：各组 Shapiro-Wilk 检验 p 均 ≥ 0.05 时报告均数（标准差）并行单因素方差分析，"
        "否则报告中位数（四分位距）并行 Kruskal-Wallis 检验",
        "oneway.test(var.equal = TRUE), kruskal.test, shapiro.test",
    ),
    "table1_categorical": (
        "分类变量：例数（%），Pearson χ² 检验（2×2 表采用 Yates 连续性校正），任一理论频数 < 5 时"
        "采用 Fisher 精确检验",
        "chisq.test, fisher.test",
    ),
    "jt": (
        "有序分组的 Jonckheere-Terpstra 趋势检验（正态近似，方差经结校正）",
        "R code in tests/fixtures/r/diagnostic.R",
    ),
    "cuzick": (
        "Cuzick（1985）秩和趋势检验，组评分为 1..k",
        "R code in tests/fixtures/r/diagnostic.R",
    ),
    "prop_trend": (
        "有序分组率的 χ² 趋势检验（Cochran-Armitage，不做连续性校正）",
        "prop.trend.test",
    ),
    "paired_t": ("配对 t 检验（after - before）", "t.test(paired = TRUE)"),
    "wilcoxon": (
        "Wilcoxon 符号秩检验（n < 50 且无结时为精确检验，否则采用带连续性校正的正态近似）",
        "wilcox.test(paired = TRUE)",
    ),
}

TYPE_NAMES_ZH = {
    "table1": "基线特征表（表 1）",
    "correlation": "相关分析",
    "km": "Kaplan-Meier 生存分析",
    "cox": "Cox 回归",
    "compare_models": "模型比较",
    "cutpoint": "最佳截断值",
    "roc": "受试者工作特征曲线（ROC）分析",
    "diagnostic": "诊断准确性",
    "combined": "标志物联合检测",
    "competing": "竞争风险分析",
    "logistic": "Logistic 回归",
    "paired": "配对比较",
}

TERMS_ZH: dict[str, str] = {
    "patients": "例患者",
    "events": "个事件",
    "cases": "病例",
    "controls": "对照",
    "Cox model": "Cox 模型",
    "Fine-Gray model": "Fine-Gray 模型",
    "unit": "单位",
    "year": "年",
    "month": "月",
    "week": "周",
    "day": "天",
    "logistic": "logistic 回归联合",
    "either": "任一阳性",
    "both": "均阳性",
    "all": "全部",
    "one-way ANOVA": "单因素方差分析",
    "Kruskal-Wallis": "Kruskal-Wallis 检验",
    "chi-square": "χ² 检验",
    "chi-square (Yates)": "χ² 检验（Yates 校正）",
    "chi-square (Fisher infeasible)": "χ² 检验（Fisher 精确检验不可行）",
    "Fisher exact": "Fisher 精确检验",
    "none (not testable)": "无（无法检验）",
    "none (one category)": "无（仅一个类别）",
    "transplant": "肝移植",
    "death": "死亡",
    "days": "天",
    "weeks": "周",
    "months": "月",
    "years": "年",
}

COLUMNS_ZH: dict[str, str] = {
    "variable": "变量", "level": "水平", "overall": "合计", "p": "P 值", "test": "检验方法",
    "missing": "缺失", "type": "类型", "statistic": "统计量", "df": "自由度",
    "summary_rule": "描述方式", "shapiro_p_min": "Shapiro-Wilk 最小 P 值",
    "n_missing": "缺失例数", "jt_statistic": "Jonckheere-Terpstra 统计量",
    "jt_z": "Jonckheere-Terpstra z 值", "jt_p": "Jonckheere-Terpstra P 值",
    "cuzick_z": "Cuzick z 值", "cuzick_p": "Cuzick P 值", "test_rule": "检验选择规则",
    "min_expected": "最小理论频数", "trend_test": "趋势检验", "trend_chisq": "趋势 χ²",
    "trend_p": "趋势 P 值", "x": "x", "y": "y", "rho": "Spearman rho",
    "lower": "95% 置信区间下限", "upper": "95% 置信区间上限", "n": "例数", "group": "组别",
    "events": "事件数", "median": "中位生存时间", "median_lower": "中位生存时间 95% 置信区间下限",
    "median_upper": "中位生存时间 95% 置信区间上限", "time": "时间", "n_risk": "风险人数",
    "n_event": "事件数", "n_censor": "删失数", "surv": "生存率", "std_err": "标准误",
    "cum_events": "累积事件数", "cum_censored": "累积删失数", "covariate": "协变量",
    "coef": "回归系数", "exp(coef)": "风险比", "se(coef)": "标准误", "z": "z 值",
    "lower 0.95": "95% 置信区间下限", "upper 0.95": "95% 置信区间上限", "term": "项",
    "chisq": "χ²", "model": "模型", "C": "一致性指数 C", "SE": "标准误",
    "comparison": "比较", "difference": "差值", "base": "基础模型", "full": "完整模型",
    "loglik_base": "基础模型对数似然", "loglik_full": "完整模型对数似然",
    "LR_chisq": "似然比 χ²", "C_base": "基础模型 C", "C_full": "完整模型 C",
    "C_difference_p": "C 差值 P 值", "marker": "标志物", "cutpoint": "截断值",
    "p_method": "P 值校正方法", "n_low": "低值组例数", "threshold": "阈值",
    "sensitivity": "敏感性", "specificity": "特异度", "youden": "Youden 指数",
    "direction": "判定方向", "n_cases": "病例数", "n_controls": "对照数",
    "AUC": "曲线下面积（AUC）", "youden_threshold": "Youden 阈值", "markers": "标志物",
    "auc1": "AUC 1", "auc2": "AUC 2", "rule": "判定规则", "TP": "真阳性", "FP": "假阳性",
    "FN": "假阴性", "TN": "真阴性", "sensitivity_lower": "敏感性 95% 置信区间下限",
    "sensitivity_upper": "敏感性 95% 置信区间上限",
    "specificity_lower": "特异度 95% 置信区间下限",
    "specificity_upper": "特异度 95% 置信区间上限", "ppv": "阳性预测值",
    "ppv_lower": "阳性预测值 95% 置信区间下限", "ppv_upper": "阳性预测值 95% 置信区间上限",
    "npv": "阴性预测值", "npv_lower": "阴性预测值 95% 置信区间下限",
    "npv_upper": "阴性预测值 95% 置信区间上限", "cause": "事件类型",
    "estimate": "累积发生率", "se": "标准误", "or": "比值比",
    "or_lower": "比值比 95% 置信区间下限", "or_upper": "比值比 95% 置信区间上限",
}  # fmt: skip

TABLE_NAMES_ZH: dict[str, str] = {
    "table1": "表 1", "tests": "检验", "pairs": "相关系数", "median": "中位生存时间",
    "survival": "生存率表", "risk_table": "风险人数表", "coefficients": "回归系数",
    "global_tests": "整体检验", "ph_test": "比例风险假定检验", "concordance": "一致性指数",
    "comparisons": "比较", "nested": "嵌套模型", "maxstat": "最大选择对数秩统计量",
    "youden": "Youden 截断值", "auc": "曲线下面积（AUC）", "delong": "DeLong 检验",
    "accuracy": "诊断准确性", "cif": "累积发生率", "gray": "Gray 检验",
    "fine_gray": "Fine-Gray 模型", "terms": "回归系数", "boxplots": "箱线图",
    "scatter": "散点图", "km": "Kaplan-Meier 生存曲线", "forest": "森林图",
    "km_at_cutpoint": "截断值分组的 Kaplan-Meier 生存曲线", "roc": "ROC 曲线",
    "odds_ratios": "比值比", "differences": "差值", "zph": "Schoenfeld 残差",
    "spearman": "Spearman 秩相关", "survival_at": "指定时间点的生存率",
    "concordance_comparisons": "一致性指数比较", "cumulative_incidence": "累积发生率",
    "gray_tests": "Gray 检验", "paired": "配对比较", "paired_delong": "配对 DeLong 检验",
}  # fmt: skip

CELLS_ZH: dict[str, str] = {
    "median_iqr": "中位数（四分位距）",
    "mean_sd": "均数（标准差）",
    "n_pct_level": "{level}，例数（%）",
    "n_pct": "例数（%）",
    "n_missing": "例数（{column} 缺失：{n}）",
    "continuous": "连续变量",
    "categorical": "分类变量",
    "paired_t": "配对 t 检验",
    "wilcoxon": "Wilcoxon 符号秩检验（V）",
    "trend_props": "{level} 比例的趋势检验",
    "global": "整体",
    "intercept": "（截距）",
    "shapiro_rule": "各组 Shapiro-Wilk 检验",
    "fisher_rule": "理论频数<5 时用 Fisher 精确检验",
    "either_rule": "任一阳性：{rules}",
    "both_rule": "均阳性：{rules}",
}

REASONS_ZH: dict[str, str] = {
    "missing": "缺失 {columns}",
    "filter_false": "不满足分析筛选条件 {expr}",
    "filter_na": "分析筛选条件 {expr} 无法判定（存在缺失值）",
    "data_filter_false": "被计划筛选条件排除：不满足 {expr}",
    "data_filter_na": "被计划筛选条件排除：{expr} 无法判定（存在缺失值）",
    "not_read": "未能读取：{why}",
    "demo_note": "合成数据：由 igfcirrhosis.cohort.demo（generate_demo_cohort）生成；"
    "不代表任何真实患者。不得用于临床或科学结论。",
    "default_unit": "列 {column} 以其默认单位（{unit}）加入，来源：{source}",
    "domain": "派生列 {name} = {expr}：{n} 行超出函数定义域（例如对 <= 0 的值取对数），已记为缺失",
    "level": "{column} = {value} 不属于指定水平（{levels}）",
    "undetermined": "结局无法判定：{event} = 0 且随访时间 <= {within} {unit}（在观察时限前删失）",
    "outcome_within": "{within} {unit}内 {event}",
}

#: figure labels (English patterns in :data:`igfcirrhosis.analysis.figures.FIGURE_LABELS_EN`)
FIGURE_LABELS_ZH: dict[str, str] = {
    "time_unit": "时间（{unit}）",
    "time": "时间",
    "survival_probability": "生存率",
    "number_at_risk": "风险人数",
    "cum_events": "累积事件数",
    "cum_censored": "累积删失数",
    "logrank_p": "对数秩检验 {p}",
    "hazard_ratio": "风险比",
    "harrell_c": "Harrell 一致性指数 C（95% 置信区间）",
    "base_model": "基础模型",
    "full_model": "完整模型",
    "maxstat_y": "标准化对数秩统计量",
    "maxstat_title": "截断值 {cut}（最大选择对数秩统计量）",
    "cut_km_title": "{marker} 按数据驱动的截断值 {cut} 分组（不报告 P 值：结果偏于乐观）",
    "one_minus_spec": "1 - 特异度",
    "sensitivity": "敏感性",
    "specificity": "特异度",
    "proportion_exact": "比例（95% 精确置信区间）",
    "proportion_cp": "比例（{level}% Clopper-Pearson 置信区间）",
    "auc_label": "{marker}（AUC {auc}）",
    "roc_title": "ROC：{outcome}",
    "youden_label": "Youden 截断值 {cut}",
    "cumulative_incidence": "累积发生率",
    "odds_ratio": "比值比",
    "odds_ratios_title": "比值比：{outcome}",
    "patients": "患者数",
    "mean_difference": "平均差值",
    "mean": "均值",
    "logistic": "logistic 回归联合",
    "either": "任一阳性",
    "both": "均阳性",
    "all": "全部",
    "risk_table": "风险人数表",
    "cause_transplant": "{group}，肝移植",
    "cause_death": "{group}，死亡",
    "cause_code": "{group}，事件 {code}",
    "schoenfeld_title": "{name}：Schoenfeld 检验 {p}",
    "schoenfeld_x": "时间（{scale} 尺度）",
    "schoenfeld_y": "{name} 的 Beta(t)",
    "schoenfeld_resid": "标化 Schoenfeld 残差",
    "coefficient": "回归系数",
}
