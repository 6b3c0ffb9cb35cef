"""``/brand.css``: the instance's colour as a stylesheet, so pages need no inline style."""
from __future__ import annotations

import re

from flask import Blueprint, current_app

bp = Blueprint("brand", __name__)
_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
DEFAULT_COLOUR = "#005a8c"


@bp.route("/brand.css")
def stylesheet():
    css = f":root {{ --brand: {brand_colour(current_app.config['COMOBI']['branding.color'])}; }}\n"
    return css, 200, {"Content-Type": "text/css; charset=utf-8", "Cache-Control": "public, max-age=3600"}


def brand_colour(text: str) -> str:
    """The configured colour if it is a plain hex colour, else the default (nothing else reaches CSS)."""
    text = str(text).strip()
    return text if _COLOUR.fullmatch(text) else DEFAULT_COLOUR
