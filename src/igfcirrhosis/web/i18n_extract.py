"""Which strings need a translation: those marked in templates (``_()``) and Python (``N_``),
plus the analyte catalog's labels and category labels (shown on the Assess page).

``python -m igfcirrhosis.web.i18n_extract`` updates ``messages.po`` (keeps translations, adds
new msgids with an empty msgstr, reports untranslated ones); the test suite uses
:func:`required_msgids` to check that the Chinese catalog is complete.
"""

from __future__ import annotations

from pathlib import Path

WEB = Path(__file__).parent
KEYWORDS = {"_": None, "gettext": None, "N_": None}


def required_msgids() -> set[str]:
    from babel.messages.extract import extract_from_dir

    from igfcirrhosis.domain.analytes import catalog

    method_map = [("templates/**.html", "jinja2.ext:babel_extract"), ("*.py", "python")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    ids: set[str] = set()
    for _fn, _line, message, _comments, _ctx in extract_from_dir(
            str(WEB), method_map, options, keywords=KEYWORDS):
        if isinstance(message, tuple):
            ids.update(m for m in message if m)
        elif message:
            ids.add(message)
    for a in catalog().values():
        ids.add(a.label)
        ids.update(c.label for c in a.categories)
    ids.update(("queued", "running", "done", "failed"))
    return ids


def update_po() -> list[str]:
    from babel.messages.pofile import read_po, write_po

    po = WEB / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        cat = read_po(fh, locale="zh_CN")
    required = required_msgids()
    for msgid in sorted(required):
        if msgid not in cat:
            cat.add(msgid, "")
    for stale in [m.id for m in cat if m.id and m.id not in required]:
        cat.delete(stale)  # no longer on any page: a stale translation would only mislead
    with po.open("wb") as fh:
        write_po(fh, cat, width=100, omit_header=False, sort_output=True)
    return sorted(str(m.id) for m in cat if m.id and not m.string)


if __name__ == "__main__":  # pragma: no cover
    missing = update_po()
    print(f"{len(missing)} untranslated")
    for m in missing:
        print(" ", m)
