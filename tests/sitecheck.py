"""Check a frozen site's links the way a browser would follow them: from disk and from a host.

``links(site)`` yields (file, link) for every href/src of every HTML file; the two resolvers
say where a link lands, or None when it lands nowhere.
"""
from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

HOST_ROOT = "https://territoire.github.io/covoiturage/"  # a GitHub Pages project site


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value is not None:
                self.found.append(value)


def links(site: Path):
    for page in sorted(site.rglob("*.html")):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        for link in parser.found:
            yield page.relative_to(site).as_posix(), link


def is_internal(link: str) -> bool:
    parts = urlsplit(link)
    return not parts.scheme and not parts.netloc and not link.startswith("#")


def resolve_on_disk(site: Path, page: str, link: str) -> Path | None:
    """file:// : the link names a file relative to the page's folder; folders do not open."""
    path = unquote(urlsplit(link).path)
    if path.startswith("/"):
        return None  # would point at the root of the disk
    target = (site / posixpath.dirname(page) / path).resolve()
    return target if target.is_file() and target.is_relative_to(site.resolve()) else None


def resolve_on_host(site: Path, page: str, link: str, root: str = HOST_ROOT) -> Path | None:
    """A plain static host serving ``site`` under a sub-path: folders serve their index.html."""
    return host_file(site, urljoin(root + page, link), root)


def host_file(site: Path, url: str, root: str = HOST_ROOT) -> Path | None:
    if not url.startswith(root):
        return None
    relative = unquote(urlsplit(url).path)[len(urlsplit(root).path):]
    target = site / relative
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None
