"""The Assess result card in Chinese: every sentence the software composes is Chinese (the
domain's English stays in the API and on the English page)."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from igfcirrhosis.domain.assessment import assess
from igfcirrhosis.domain.evidence import load_registry
from igfcirrhosis.web.assess_i18n import REGISTRY_TEXT, SCORE_NAMES, localize
from igfcirrhosis.web.i18n import translations

from .browser import ARTIFACTS, browser_page, shot
from .conftest import Live

PATIENT = {"bilirubin": "34", "albumin": "35 g/dL", "inr": "1.5", "ascites": "mild",
           "encephalopathy": "none", "age": "54", "sex": "F", "igf1": "1.3 nmol/L",
           "sodium": "130", "igf2": "300", "igfbp3": "2", "als": "100"}

#: Three or more English words in a row (words of two letters or more).
ENGLISH_RUN = re.compile(r"\b[A-Za-z]{2,}(?:[\s,;:]+[A-Za-z]{2,}){2,}\b")
#: What may stay English: quotations labelled 原文, citations, assay product names.
ALLOWED = re.compile(r"原文：“[^”]*”|IDS-iSYS [^一-鿿，。；（）]*")


def english_runs(text: str) -> list[str]:
    return ENGLISH_RUN.findall(ALLOWED.sub(" ", text))


def texts(d: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for s in d["scores"].values():
        out += [s["name"], s["missing"] or "", *s["notes"]]
    out += [f["label"] + " " + (f["message"] or "") for f in d["inputs"].values()]
    out += d["statements"] + d["warnings"]
    out += [v for ev in d["evidence"].values() for v in ev.values()]
    return out


def test_localized_card_has_no_english_sentences() -> None:
    a = assess(PATIENT).to_dict()
    d = localize(a, "zh")
    bad = [(t, english_runs(t)) for t in texts(d) if english_runs(t)]
    assert bad == []
    assert len(d["statements"]) == len(a["igf"]["statements"])
    assert len(d["warnings"]) == len(a["warnings"])
    assert {k: s["name"] for k, s in a["scores"].items()} == SCORE_NAMES  # the msgids
    assert [s["name"] for s in d["scores"].values()] == [
        "Child-Pugh 分级", "MELD 评分（OPTN 2016）", "MELD-Na 评分（OPTN 2016；Kim 2008）",
        "MELD 3.0 评分（Kim 2021）", "ALBI 评分（Johnson 2015）", "IGF-CTP 评分（Kaseb 2014）",
        "Mayo PBC 风险评分（Dickson 1989）"]
    assert d["scores"]["meld"]["missing"] == "未计算：需要 血清肌酐"
    cutoff = next(s for s in d["statements"] if "低于 13 ng/mL" in s)
    assert "Colombo 等 2017（肝硬化急性失代偿，n = 103" in cutoff
    assert "IGF-I < 13 ng/mL 者 90 天生存率 63.2%，≥ 13 ng/mL 者 94.3%" in cutoff
    assert any("标准差评分（SDS）为 -4.54（54 岁女性），低于健康人群参考范围" in s
               for s in d["statements"])
    assert "血清白蛋白 35 g/dL 不合理（合理范围 0.5–7 g/dL）；是否应为 35 g/L？（未计分）" \
        in d["warnings"]
    assert "血清钠：未给出单位；按 mmol/L 计（数据字典默认单位）" in d["warnings"]


@pytest.mark.parametrize("values", [
    {"sex": "F", "igf1": "50", "igfbp3": "3"},                    # age missing
    {"age": "95", "sex": "M", "igf1": "50"},                      # outside the reference ages
    {"igf1": "0.01 ng/mL", "age": "40", "sex": "M"},              # implausible IGF-I
    {"igf1": "400", "age": "30", "sex": "F", "igf2": "100", "als": "200"},
    {"etiology": "PBC", "bilirubin": "5", "albumin": "30 g/L", "inr": "2", "creatinine": "1.2",
     "sodium": "128", "ascites": "none", "encephalopathy": "none", "age": "60", "sex": "F"},
    {"etiology": "something else", "bilirubin": "34", "albumin": "3.5", "inr": "1.1",
     "creatinine": "1", "sodium": "140", "dialysis": "yes", "prothrombin_time": "14",
     "edema": "none"},
])
def test_other_patients_have_no_english_sentences(values: dict[str, str]) -> None:
    d = localize(assess(values).to_dict(), "zh")
    assert [(t, english_runs(t)) for t in texts(d) if english_runs(t)] == []


def test_every_cutoff_entry_of_the_registry_is_translated() -> None:
    zh = translations("zh")
    for e in load_registry().entries:
        if e.cutoff is None or e.analyte not in ("igf1", "igf2", "igfbp3"):
            continue
        for text in (e.outcome, e.population_short, e.population, e.effect):
            assert text in REGISTRY_TEXT and zh.gettext(text) != text, (e.id, text)


def test_unknown_registry_text_is_quoted_as_source_text() -> None:
    a = assess(PATIENT).to_dict()
    a["igf"]["evidence"]["colombo2017-igf1-13"]["effect"] = "a new finding nobody translated"
    d = localize(a, "zh")
    assert any("原文：“a new finding nobody translated”" in s for s in d["statements"])


def test_card_endpoint_and_api_stay_apart(client: httpx.Client) -> None:
    api = client.post("/api/v1/assess", json=PATIENT).json()
    assert api == assess(PATIENT).to_dict()  # the API is never translated
    card = client.post("/assess/card", json=PATIENT, headers={"accept-language": "zh-CN"}).json()
    assert card["assessment"] == api
    assert card["display"]["scores"]["child_pugh"]["name"] == "Child-Pugh 分级"
    english = client.post("/assess/card", json=PATIENT, headers={"accept-language": "en"}).json()
    assert english["display"] is None


def test_unreadable_input_and_live_check_in_chinese(client: httpx.Client) -> None:
    zh = {"accept-language": "zh-CN"}
    r = client.post("/assess/card", json={"inr": "1,8"}, headers=zh)
    assert r.status_code == 422 and r.json()["field"] == "inr"
    assert r.json()["detail"].startswith("国际标准化比值（INR）：“1,8” 含有逗号")
    en = client.post("/assess/card", json={"inr": "1,8"}, headers={"accept-language": "en"})
    assert en.json() == client.post("/api/v1/assess", json={"inr": "1,8"}).json() | {
        "instance": "/assess/card"}
    values = {"albumin": "28 g/dL", "bilirubin": "<15", "sodium": "-3", "ascites": "lots",
              "age": "abc", "creatinine": "2 furlongs"}
    checked = client.post("/assess/check", json=values, headers=zh).json()
    assert checked["report"] == client.post("/api/v1/validate", json=values).json()
    messages = checked["messages"]
    assert set(messages) == set(values)
    assert messages["albumin"] == "血清白蛋白 28 g/dL 不合理（合理范围 0.5–7 g/dL）；是否应为 28 g/L？（未计分）"
    assert [m for m in messages.values() if english_runs(m)] == []


def test_chinese_result_card_in_browser(live: Live) -> None:
    with browser_page() as page:
        page.goto(live.url + "/lang?to=zh")
        page.wait_for_selector("#assess-form")
        page.fill("#f-bilirubin", "60")      # umol/L by default in Chinese
        page.fill("#f-albumin", "25")        # g/L
        page.fill("#f-inr", "1.5")
        page.select_option("#f-ascites", "mild")
        page.select_option("#f-encephalopathy", "none")
        page.fill("#f-age", "54")
        page.select_option("#f-sex", "F")
        page.fill("#f-igf1", "1.3")          # nmol/L = 9.9 ng/mL: below 13 ng/mL
        page.fill("#f-igfbp3", "70")         # nmol/L = 2 mg/L
        page.fill("#f-sodium", "130")
        page.click("#assess-btn")
        page.wait_for_selector("#child_pugh-class")
        assert page.text_content("#child_pugh-class") == "C"
        card = page.text_content("#result") or ""
        assert "Child-Pugh 分级" in card and "MELD 评分（OPTN 2016）" in card
        assert "未计算：需要 血清肌酐" in card
        assert (page.text_content("#score-child_pugh p.source") or "").startswith("来源（原文）：Pugh")
        statements = page.text_content("#igf-statements") or ""
        assert "低于 13 ng/mL" in statements and "Colombo 等 2017" in statements
        # The English text of the domain is not on the Chinese card (sources aside).
        without_sources = "\n".join(
            t for t in page.locator("#result li, #result p:not(.source), #result td, "
                                    "#result h3, #result dd").all_text_contents()
            if not t.startswith(("Pugh RN", "OPTN", "Kim WR", "Johnson PJ", "Kaseb", "Dickson")))
        evidence_sources = page.locator("#result dl.evidence dd:first-of-type")
        for src in evidence_sources.all_text_contents():
            without_sources = without_sources.replace(src, " ")
        assert english_runs(without_sources) == []
        assert "轻度" in card and "54 岁" in card  # category inputs and units in the inputs table
        shot(page, "assess-zh-result-page")
        ARTIFACTS.mkdir(exist_ok=True)
        page.locator("#result").screenshot(path=str(ARTIFACTS / "assess-zh-result.png"))
        # live check: a unit mistake is explained in Chinese under the field
        page.select_option("#u-albumin", "g/dL")
        page.fill("#f-albumin", "28")
        page.wait_for_selector("#m-albumin.implausible")
        assert page.text_content("#m-albumin") == (
            "血清白蛋白 28 g/dL 不合理（合理范围 0.5–7 g/dL）；是否应为 28 g/L？（未计分）")
        assert page.csp_errors == []  # type: ignore[attr-defined]
