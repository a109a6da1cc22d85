"""The Model page and its API: the validation table served is the one `igfc validate-model`
computes, the parameter table is the packaged one, and the SBML download is the export."""

from __future__ import annotations

import re

import httpx

from igfcirrhosis.model.parameters import default_parameters
from igfcirrhosis.model.validation import load_observations


def test_validation_api_is_the_validate_model_document(client: httpx.Client) -> None:
    from igfcirrhosis.model.validation import validation_report, validation_table

    r = client.get("/api/v1/model/validation")
    assert r.status_code == 200
    doc = r.json()
    assert doc == validation_report(validation_table())
    assert doc["n_total"] == len(load_observations())
    assert doc["n_within"] == sum(o["within"] for o in doc["observations"])


def test_parameters_api_lists_every_parameter_with_its_source(client: httpx.Client) -> None:
    doc = client.get("/api/v1/model/parameters").json()
    table = default_parameters()
    assert doc["count"] == len(table) == len(doc["parameters"])
    kon1 = next(p for p in doc["parameters"] if p["id"] == "kon1")
    assert (kon1["value"], kon1["unit"], kon1["source"]) == (
        table["kon1"].value, table["kon1"].unit, table["kon1"].source)


def test_sbml_download_is_the_export(client: httpx.Client) -> None:
    from igfcirrhosis.model.sbml import sbml_string

    r = client.get("/api/v1/model/sbml")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/xml")
    assert "igf_axis.xml" in r.headers["content-disposition"]
    assert r.text == sbml_string()


def test_model_page_shows_every_row_and_its_verdict(client: httpx.Client) -> None:
    doc = client.get("/api/v1/model/validation").json()
    html = client.get("/model").text
    assert f"{doc['n_within']} of {doc['n_total']} observations within tolerance" in html
    rows = re.findall(r'<tr class="(within|outside)">', html)
    assert rows == ["within" if o["within"] else "outside" for o in doc["observations"]]
    for o in doc["observations"]:
        assert f"<code>{o['id']}</code>" in html
    assert html.count("<code>", html.index('id="parameter-table"')) == len(default_parameters())
    assert 'href="/model" aria-current="page"' in html


def test_model_page_in_chinese(client: httpx.Client) -> None:
    html = client.get("/model", headers={"accept-language": "zh-CN"}).text
    assert "机制模型：验证与参数" in html and "独立预测" in html and "<td>预测</td>" in html


def test_model_notes_render_model_md_with_its_tables(client: httpx.Client) -> None:
    from igfcirrhosis.model.parameters import data_dir

    text = (data_dir() / "MODEL.md").read_text(encoding="utf-8")
    html = client.get("/model/notes").text
    assert "<h1>The igfcirrhosis mechanistic model</h1>" in html
    assert html.count("<table>") == sum(1 for ln in text.splitlines() if ln.startswith("|---"))
    assert "<th>id</th>" in html and "Rows that still fail, and why" in html
    assert 'href="/model/notes"' in client.get("/model").text
    assert 'href="/model"' in client.get("/simulate").text


def test_checks_api_and_page_show_every_check(client: httpx.Client) -> None:
    from igfcirrhosis.model.checks import checks_table, load_checks

    doc = client.get("/api/v1/model/checks").json()
    assert doc["count"] == len(load_checks()) == len(doc["checks"])
    assert doc["checks"] == checks_table()
    html = client.get("/model").text
    section = html[html.index('id="checks-table"'):html.index('id="parameter-table"')]
    for c in doc["checks"]:
        assert f"<code>{c['id']}</code>" in section
    assert "no pass/fail" in html
    zh = client.get("/model", headers={"accept-language": "zh-CN"}).text
    assert "验证表之外的核对" in zh


def test_model_page_shows_the_validation_figure(client: httpx.Client) -> None:
    r = client.get("/api/v1/model/figure.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    doc = client.get("/api/v1/model/validation").json()
    assert f"{doc['n_within']} of {doc['n_total']} within tolerance" in r.text
    assert r.content == client.get("/api/v1/model/figure.svg").content  # drawn once
    html = client.get("/model").text
    assert '<img src="/api/v1/model/figure.svg"' in html
    zh = client.get("/model", headers={"accept-language": "zh-CN"}).text
    fig = zh[zh.index('id="validation-figure"'):zh.index("</figure>", zh.index(
        'id="validation-figure"'))]
    assert not re.search(r"[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", re.sub(r'"[^"]*\.svg"', "", fig))
