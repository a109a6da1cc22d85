"""The report in 简体中文: the Chinese catalogues match the English ones key for key and placeholder
for placeholder; ``language = "zh"`` (or ``--language zh``) translates the report and the figure
labels and changes nothing in results.json or the tables; without a CJK font the figures stay
English and the report says so."""

from __future__ import annotations

import json
import re
import string
import textwrap
from pathlib import Path
from typing import Any

import pytest

from igfcirrhosis.analysis import figures, messages, messages_zh
from igfcirrhosis.analysis.errors import PlanError
from igfcirrhosis.analysis.plan import load_plan
from igfcirrhosis.analysis.runner import run_plan

PLAN = """
title = "small"
language = "{language}"
[data]
path = "package:pbc/pbc.csv"
id = "id"
[data.derive]
dead = "status == 2"
log_bili = "log(bili)"
[outcome]
time = "time"
event = "dead"
time_unit = "days"
[[analysis]]
type = "km"
cut = {{ column = "bili", at = 2 }}
[[analysis]]
type = "cox"
covariates = ["age", "log_bili"]
[[analysis]]
type = "roc"
markers = ["log_bili"]
outcome = {{ within = 1825 }}
"""

#: (name, English catalogue, Chinese catalogue)
PAIRS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("sentences", messages.EN, messages_zh.ZH),
    ("methods", messages.METHODS_EN, messages_zh.METHODS_ZH),
    ("type names", messages.TYPE_NAMES_EN, messages_zh.TYPE_NAMES_ZH),
    ("terms", messages.TERMS_EN, messages_zh.TERMS_ZH),
    ("columns", messages.COLUMNS_EN, messages_zh.COLUMNS_ZH),
    ("table names", messages.TABLE_NAMES_EN, messages_zh.TABLE_NAMES_ZH),
    ("reasons", messages.REASONS_EN, messages_zh.REASONS_ZH),
    ("cells", messages.CELLS_EN, messages_zh.CELLS_ZH),
    ("figure labels", figures.FIGURE_LABELS_EN, messages_zh.FIGURE_LABELS_ZH),
]

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # ideographs, CJK punctuation
#: Chinese entries that rightly hold no Chinese character (punctuation, symbols, names)
NO_CJK = {
    ("sentences", "col_id"), ("sentences", "warn_stats"), ("sentences", "rule_combined"),
    ("sentences", "label_sep"), ("sentences", "list_sep"), ("sentences", "full_stop"),
    ("sentences", "plan_hash"), ("columns", "x"), ("columns", "y"), ("columns", "p"),
    ("columns", "z"), ("columns", "rho"), ("columns", "chisq"), ("columns", "auc1"),
    ("columns", "auc2"), ("columns", "AUC"),
}  # fmt: skip


def _fields(template: str) -> list[tuple[str, str]]:
    """The placeholders of a format string with their format specs, sorted."""
    return sorted((f, spec or "") for _, f, spec, _ in string.Formatter().parse(template) if f)


@pytest.mark.parametrize(("name", "en", "zh"), PAIRS, ids=[p[0] for p in PAIRS])
def test_chinese_catalogue_has_every_key_and_placeholder(
    name: str, en: dict[str, Any], zh: dict[str, Any]
) -> None:
    assert set(zh) == set(en), f"{name}: missing {set(en) - set(zh)}, extra {set(zh) - set(en)}"
    for key, value in en.items():
        if isinstance(value, tuple):  # a method: (description, R function); R stays as it is
            assert zh[key][1] == value[1], key
            value, other = value[0], zh[key][0]
        else:
            other = zh[key]
        assert _fields(other) == _fields(value), f"{name}[{key!r}]"
        if (name, key) not in NO_CJK and not (name == "columns" and other == value):
            assert CJK.search(other), f"{name}[{key!r}] = {other!r} is not Chinese"


def test_language_aliases() -> None:
    assert [messages.normalize_language(c) for c in ("zh", "zh-CN", "zh_CN", "ZH-cn", None)] == [
        "zh", "zh", "zh", "zh", "en"
    ]  # fmt: skip
    with pytest.raises(ValueError, match="fr"):
        messages.normalize_language("fr")


def _plan(folder: Path, language: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / "plan.toml"
    p.write_text(textwrap.dedent(PLAN.format(language=language)), encoding="utf-8")
    return p


def test_plan_language_accepts_zh_cn_and_rejects_others(tmp_path: Path) -> None:
    assert load_plan(_plan(tmp_path / "a", "zh_CN")).language == "zh"
    with pytest.raises(PlanError, match="language"):
        load_plan(_plan(tmp_path / "b", "fr"))


def test_warning_is_said_again_in_chinese() -> None:
    w = messages.text("warn_small_cell", "en", group="cases", n=3, what="patients", minimum=10)
    assert w == "small cell: group cases has 3 patients (< 10); estimates are imprecise"
    assert messages.localize(w, "zh") == "样本量过小：病例 组仅有 3 例患者（< 10），估计值不精确"
    # read back from results.json (plain text): matched by pattern, format specs kept as written
    plain = "proportional hazards: cox.zph p = 0.0123 for age (< 0.05); the hazard ratio " \
        "averages an effect that changes over time"  # fmt: skip
    assert messages.localize(plain, "zh").startswith("比例风险假定：age 的 cox.zph 检验 p = 0.0123")
    assert messages.localize("something else", "zh") == "something else"
    assert messages.reason("missing bili, age", "zh") == "缺失 bili, age"
    assert messages.reason("dead within 90 days", "zh") == "90 天内 dead"
    assert messages.reason("analysis filter trt notna is false", "zh") == "不满足分析筛选条件 trt notna"
    from igfcirrhosis.cohort.demo import DEMO_NOTE

    assert messages.reason(DEMO_NOTE, "zh").startswith("合成数据")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same plan run in English and, with ``language="zh"`` passed in, in Chinese."""
    root = tmp_path_factory.mktemp("zh")
    plan = load_plan(_plan(root / "plan", "en"))
    out = {"en": root / "en", "zh": root / "zh"}
    run_plan(plan, out["en"])
    run_plan(plan, out["zh"], language="zh-CN")
    return out


def test_results_and_tables_do_not_depend_on_the_language(runs: dict[str, Path]) -> None:
    en, zh = runs["en"], runs["zh"]
    assert (en / "results.json").read_bytes() == (zh / "results.json").read_bytes()
    tables = sorted(p.name for p in (en / "tables").iterdir())
    assert tables == sorted(p.name for p in (zh / "tables").iterdir())
    for name in tables:
        assert (en / "tables" / name).read_bytes() == (zh / "tables" / name).read_bytes(), name
    doc = json.loads((zh / "results.json").read_text(encoding="utf-8"))
    warnings = [w for a in doc["analyses"] for w in a["warnings"]]
    assert warnings and not any(CJK.search(w) for w in warnings)  # English in results.json


def test_plan_language_changes_only_the_plan_block(runs: dict[str, Path], tmp_path: Path) -> None:
    """A plan saying language = "zh" differs from the English one only in its own text (hash and
    language); every result is the same."""
    run_plan(load_plan(_plan(tmp_path / "plan", "zh")), tmp_path / "out")
    a = json.loads((runs["en"] / "results.json").read_text(encoding="utf-8"))
    b = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert b["plan"]["language"] == "zh"
    assert "语" not in (tmp_path / "out" / "results.json").read_text(encoding="utf-8")
    del a["plan"], b["plan"]
    assert a == b
    assert '<html lang="zh-CN">' in (tmp_path / "out" / "report.html").read_text(encoding="utf-8")


def _visible_text(html: str) -> str:
    """The report's text outside <pre>, <code>, <svg>, <style> and the small CSV column names."""
    for tag in ("style", "svg", "pre", "code", "small"):
        html = re.sub(rf"<{tag}\b.*?</{tag}>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_chinese_report_has_chinese_headings_methods_warnings_and_headers(
    runs: dict[str, Path],
) -> None:
    html = (runs["zh"] / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html
    for phrase in ("数据来源", "统计方法", "主要结果", "警示", "排除的记录", "Kaplan-Meier 生存分析",
                   "对数秩检验", "风险比", "95% 置信区间", "一致性指数", "受试者工作特征曲线（ROC）",
                   "曲线下面积", "Youden 截断值是在本数据中选定的", "中位生存时间", "风险人数",
                   "<th>风险比<br><small>exp(coef)</small></th>"):  # fmt: skip
        assert phrase in html, phrase
    text = _visible_text(html)
    for english in ("Data provenance", "Methods", "Key results", "Warnings", "Excluded rows",
                    "hazard ratio", "Log-rank test", "Youden cut-points are chosen",
                    "R equivalent", "Timings", "patients analysed", "not reached"):  # fmt: skip
        assert english not in text, english
    en_html = (runs["en"] / "report.html").read_text(encoding="utf-8")
    assert not CJK.search(_visible_text(en_html))  # English stays English


def _glyph_fonts(svg: bytes) -> set[str]:
    """The fonts whose glyphs an SVG draws (svg.fonttype = "path": ids like DejaVuSans-4c)."""
    return set(re.findall(r'id="([A-Za-z]+)-[0-9a-f]+"', svg.decode("utf-8")))


def test_chinese_figures_draw_cjk_glyphs(runs: dict[str, Path]) -> None:
    if figures.cjk_font() is None:
        pytest.skip("no CJK font installed (fonts-noto-cjk or fonts-droid-fallback)")
    doc = json.loads((runs["en"] / "results.json").read_text(encoding="utf-8"))
    svgs = [f for a in doc["analyses"] for f in a["figures"] if f.endswith(".svg")]
    assert len(svgs) == 3
    for rel in svgs:
        en = _glyph_fonts((runs["en"] / rel).read_bytes())
        zh = _glyph_fonts((runs["zh"] / rel).read_bytes())
        assert en and all(f.startswith("DejaVu") for f in en), rel
        assert any(not f.startswith("DejaVu") for f in zh), rel  # the CJK font draws labels


def test_figure_labels_translate_and_use_a_cjk_font() -> None:
    if figures.cjk_font() is None:
        pytest.skip("no CJK font installed (fonts-noto-cjk or fonts-droid-fallback)")
    fig = figures.new_figure()
    ax = fig.add_subplot(1, 1, 1)
    ax.plot([0, 1], [1, 0], label="sensitivity")
    ax.set_yticks([0, 1], ["either", "igf1 >= 13"])
    ax.set_xlabel("Time (days)")
    ax.set_ylabel("Survival probability")
    ax.set_title("cut-point 44.4 (maximally selected log-rank statistic)")
    ax.legend()
    assert figures.localize_figure(fig, "zh")
    assert ax.get_xlabel() == "时间（天）"
    assert ax.get_ylabel() == "生存率"
    assert ax.get_title() == "截断值 44.4（最大选择对数秩统计量）"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["敏感性"]
    fig.canvas.draw()
    assert [t.get_text() for t in ax.get_yticklabels()] == ["任一阳性", "igf1 >= 13"]
    assert figures.cjk_font() in ax.xaxis.label.get_fontfamily()
    fig.canvas.draw()  # a glyph missing from every font would warn (an error here): no tofu


def test_without_a_cjk_font_figures_stay_english_and_the_report_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(figures, "cjk_font", lambda: None)
    fig = figures.new_figure()
    ax = fig.add_subplot(1, 1, 1)
    ax.set_xlabel("Time (days)")
    assert not figures.localize_figure(fig, "zh")
    assert ax.get_xlabel() == "Time (days)"
    plan = load_plan(_plan(tmp_path / "plan", "zh"))
    run_plan(plan, tmp_path / "out")
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert html.count(messages.text("no_cjk_font", "zh")) >= 2  # in warnings and under figures


CLI_PLAN = """
title = "cli"
language = "en"
[data]
path = "package:pbc/pbc.csv"
[data.derive]
dead = "status == 2"
[outcome]
time = "time"
event = "dead"
[[analysis]]
type = "km"
"""


def test_cli_language_overrides_the_plan(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from igfcirrhosis.cli.main import app

    p = tmp_path / "plan.toml"
    p.write_text(textwrap.dedent(CLI_PLAN), encoding="utf-8")
    outs = {lang: tmp_path / lang for lang in ("en", "zh_CN")}
    for lang, out in outs.items():
        result = CliRunner().invoke(app, ["analyze", str(p), "-o", str(out), "-q",
                                          "--language", lang])  # fmt: skip
        assert result.exit_code == 0, result.output
    html = (outs["zh_CN"] / "report.html").read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in html and "Kaplan-Meier 生存分析" in html
    assert (outs["en"] / "results.json").read_bytes() == (
        outs["zh_CN"] / "results.json"
    ).read_bytes()
    bad = CliRunner().invoke(app, ["analyze", str(p), "-o", str(tmp_path / "x"), "--language",
                                   "fr"])  # fmt: skip
    assert bad.exit_code == 2
    assert "--language" in bad.output and "fr" in bad.output
    assert not (tmp_path / "x").exists()  # refused before anything runs


def test_a_cjk_font_installed_after_matplotlib_cached_its_font_list_is_found(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The report tells users to install a CJK font and run again: that must work even though
    matplotlib keeps the font list it cached before the font was installed."""
    from matplotlib import font_manager

    figures.cjk_font.cache_clear()
    on_disk = figures.cjk_font()
    figures.cjk_font.cache_clear()
    if on_disk is None:
        pytest.skip("no CJK font installed (fonts-noto-cjk or fonts-droid-fallback)")
    stale = [f for f in font_manager.fontManager.ttflist if f.name not in figures.CJK_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    try:
        assert figures.cjk_font() == on_disk
        assert on_disk in {f.name for f in font_manager.fontManager.ttflist}
    finally:
        figures.cjk_font.cache_clear()
