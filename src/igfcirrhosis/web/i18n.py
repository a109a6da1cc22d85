"""English and Simplified Chinese.

Catalogs are gettext ``.po`` files under ``web/locale/<locale>/LC_MESSAGES/messages.po`` (the
repository holds only ``.po``; they are compiled in memory with Babel when the app starts, so no
``.mo`` is committed or written). The language is chosen per user with the ``igfc_lang`` cookie
(set by ``GET /lang?to=zh``); without the cookie, ``Accept-Language`` decides.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from starlette.requests import Request

LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = {"en": "English", "zh": "简体中文"}
CATALOGS = {"zh": "zh_CN"}
COOKIE = "igfc_lang"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a string for extraction; it is translated where it is shown."""
    return message


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang`` (NullTranslations for English)."""
    locale = CATALOGS.get(lang)
    if locale is None:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def choose_language(request: Request) -> str:
    """The cookie if valid, else the first supported language of Accept-Language, else en."""
    cookie = request.cookies.get(COOKIE)
    if cookie in LANGUAGES:
        return cookie
    accept = request.headers.get("accept-language", "")
    for part in accept.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("zh"):
            return "zh"
        if tag.startswith("en"):
            return "en"
    return "en"
