"""Browser: assess a patient entered in SI units; live validation; save and compare."""

from __future__ import annotations

from .browser import browser_page, shot
from .conftest import Live


def test_assess_si_patient_in_browser(live: Live) -> None:
    with browser_page() as page:
        page.goto(live.url + "/assess")
        page.click("#all-si")
        assert page.input_value("#u-bilirubin") == "umol/L"
        page.fill("#f-bilirubin", "60")      # 60 umol/L = 3.5 mg/dL -> 3 points
        page.fill("#f-albumin", "25")        # 25 g/L -> 3 points
        page.fill("#f-inr", "1.5")           # 1 point
        page.select_option("#f-ascites", "mild")            # 2 points
        page.select_option("#f-encephalopathy", "none")     # 1 point
        page.fill("#f-age", "54")
        page.select_option("#f-sex", "F")
        page.fill("#f-igf1", "1.3")          # 1.3 nmol/L = 9.9 ng/mL: below 13 ng/mL
        page.click("#assess-btn")
        page.wait_for_selector("#child_pugh-class")
        assert page.text_content("#child_pugh-points") == "10"
        assert page.text_content("#child_pugh-class") == "C"
        statements = page.text_content("#igf-statements")
        assert "below 13 ng/mL" in statements and "Colombo" in statements
        assert "acute decompensation of cirrhosis" in statements  # the population
        shot(page, "assess-result")
        page.emulate_media(media="print")  # the printout: result card, no form, no navigation
        assert not page.is_visible("#assess-form") and not page.is_visible("header.site")
        assert page.is_visible("#result")
        page.emulate_media(media="screen")
        page.fill("#patient-label", "TEST-001")
        page.click("#save-btn")
        page.wait_for_selector("#history-link")
        page.click("#history-link")
        page.wait_for_selector("#history")
        assert "10 (C)" in page.text_content("#history tbody")
        shot(page, "patient-history")
        page.goto(live.url + "/patients")
        assert "TEST-001" in page.text_content("#patients")
        shot(page, "patients")
        assert page.csp_errors == []  # type: ignore[attr-defined]


def test_live_validation_flags_unit_mistake(live: Live) -> None:
    with browser_page() as page:
        page.goto(live.url + "/assess")
        page.click("#all-conv")
        page.fill("#f-albumin", "28")        # 28 g/dL: certainly meant g/L
        page.wait_for_selector("#m-albumin.implausible")
        assert "28 g/L" in page.text_content("#m-albumin")
        shot(page, "assess-live-validation")


def test_evidence_table_filters_as_you_type(live: Live) -> None:
    with browser_page() as page:
        page.goto(live.url + "/evidence")
        total = page.locator("#evidence-table tbody tr:visible").count()
        page.fill("#q", "Colombo")
        visible = page.locator("#evidence-table tbody tr:visible")
        assert 0 < visible.count() < total
        assert all("Colombo" in t for t in visible.all_text_contents())
        assert page.text_content("#evidence-count") == f"{visible.count()} entries"
        assert page.csp_errors == []  # type: ignore[attr-defined]
