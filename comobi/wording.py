"""French wording rules for the pages (pure): commune names after "de" and "à", and the
non-breaking spaces of French typography in rendered HTML."""
from __future__ import annotations

import re

NBSP = "\u00a0"
_VOWELS = "aeiouyâàäéèêëîïôöûùüœæ"
# Articles that contract with "de" and "à": de + Le = du, à + Les = aux.
_CONTRACTED = {"le": ("du", "au"), "les": ("des", "aux")}


def de_commune(name: str) -> str:
    """ "de Figeac", "d'Albas", "du Bastit", "des Arques", "de La Bastide", "de L'Hospitalet"."""
    return _with_preposition(name, 0, "de")


def a_commune(name: str) -> str:
    """ "à Cahors", "à Albas", "au Bastit", "aux Arques", "à La Bastide"."""
    return _with_preposition(name, 1, "à")


def _with_preposition(name: str, which: int, preposition: str) -> str:
    name = (name or "").strip()
    article, _, rest = name.partition(" ")
    contracted = _CONTRACTED.get(article.lower())
    if contracted and rest:
        return f"{contracted[which]} {rest}"
    if preposition == "de" and name[:1].lower() in _VOWELS:
        return f"d'{name}"
    return f"{preposition} {name}"


# --- non-breaking spaces ---------------------------------------------------------------

_RAW_ELEMENTS = re.compile(r"(<(script|style|textarea|pre)\b.*?</\2\s*>)", re.I | re.S)
_TAG = re.compile(r"(<[^>]*>)")
_BEFORE_PUNCTUATION = re.compile(r"[ \t\r\n]+(?=[?!:;»])")
_AFTER_GUILLEMET = re.compile(r"(?<=«)[ \t\r\n]+")
_GLUED_OPEN = re.compile(r"«(?=[^\s\u00a0\u202f])")
_GLUED_CLOSE = re.compile(r"(?<=[^\s\u00a0\u202f«])»")


def french_spacing(html: str) -> str:
    """The text of an HTML document with a non-breaking space before ? ! : ; and inside « »,
    so that a line never starts with one of them. Tags, attributes, scripts, styles and
    form fields' contents are left as they are."""
    pieces = _RAW_ELEMENTS.split(html)
    out = []
    skip_next = False
    for piece in pieces:
        if skip_next:  # the element name captured by _RAW_ELEMENTS' second group
            skip_next = False
            continue
        if _RAW_ELEMENTS.fullmatch(piece):
            out.append(piece)
            skip_next = True
            continue
        out.append("".join(part if part.startswith("<") else _space_text(part) for part in _TAG.split(piece)))
    return "".join(out)


def _space_text(text: str) -> str:
    if not any(c in text for c in "?!:;«»"):
        return text
    text = _BEFORE_PUNCTUATION.sub(NBSP, text)
    text = _AFTER_GUILLEMET.sub(NBSP, text)
    text = _GLUED_OPEN.sub("«" + NBSP, text)
    return _GLUED_CLOSE.sub(NBSP + "»", text)
