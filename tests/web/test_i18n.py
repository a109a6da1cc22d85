"""English and Simplified Chinese: complete catalog, language cookie, SI default in Chinese."""

from __future__ import annotations

import re

import httpx

from igfcirrhosis.web.i18n import translations
from igfcirrhosis.web.i18n_extract import required_msgids

from .browser import browser_page, shot
from .conftest import Live

SAME_IN_BOTH = {"IGF-I", "IGF-II", "IGFBP-3"}


def test_every_string_on_every_page_has_a_chinese_translation() -> None:
    zh = translations("zh")
    missing = [m for m in sorted(required_msgids())
               if zh.gettext(m) == m and m not in SAME_IN_BOTH]
    assert missing == []


def test_placeholders_survive_translation() -> None:
    zh = translations("zh")
    for m in required_msgids():
        assert (sorted(re.findall(r"%\(\w+\)[sd]|%%", m))
                == sorted(re.findall(r"%\(\w+\)[sd]|%%", zh.gettext(m)))), m


def test_the_catalog_has_no_stale_translations() -> None:
    from babel.messages.pofile import read_po

    from igfcirrhosis.web.i18n_extract import WEB

    po = WEB / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        ids = {m.id for m in read_po(fh, locale="zh_CN") if m.id}
    assert ids - required_msgids() == set(), "run python -m igfcirrhosis.web.i18n_extract"


def test_language_is_chosen_by_cookie_and_remembered(live: Live) -> None:
    with live.client(follow_redirects=False) as c:
        assert "Assess one patient" in c.get("/assess").text
        r = c.get("/lang", params={"to": "zh", "next": "/evidence"})
        assert r.status_code == 303 and r.headers["location"] == "/evidence"
        assert "igfc_lang=zh" in r.headers["set-cookie"]
        page = c.get("/assess").text  # the cookie is remembered by the client
        assert "评估单个患者" in page and 'lang="zh-CN"' in page
        # SI by default in Chinese: the bilirubin unit select has umol/L selected.
        assert re.search(r'id="u-bilirubin".*?<option value="umol/L" selected', page, re.S)
        c.get("/lang", params={"to": "en"})
        assert "Assess one patient" in c.get("/assess").text


def test_accept_language_without_cookie(client: httpx.Client) -> None:
    page = client.get("/about", headers={"accept-language": "zh-CN,zh;q=0.9"}).text
    assert "关于 igfcirrhosis" in page
    assert "仅供科研和临床决策支持使用" in page


def test_open_redirect_is_refused(client: httpx.Client) -> None:
    r = client.get("/lang", params={"to": "zh", "next": "//evil.example/"},
                   follow_redirects=False)
    assert r.headers["location"] == "/assess"


def test_switch_to_chinese_in_browser(live: Live) -> None:
    with browser_page() as page:
        page.goto(live.url + "/assess")
        page.click("#lang-zh")
        page.wait_for_selector("text=评估单个患者")
        assert page.text_content("label[for=f-bilirubin]") == "总胆红素"
        assert page.input_value("#u-albumin") == "g/L"
        shot(page, "assess-zh")
        page.goto(live.url + "/evidence")
        assert "证据库" in page.text_content("main")
        shot(page, "evidence-zh")
        for name in ("cohorts", "simulate", "about"):
            page.goto(f"{live.url}/{name}")
            shot(page, f"{name}-zh")
        page.click("#lang-en")
        page.wait_for_selector("text=About igfcirrhosis")
