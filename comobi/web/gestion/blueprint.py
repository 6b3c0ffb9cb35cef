"""The /gestion blueprint, apart from the package that registers it, so that its views
import it without importing their own package."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("gestion", __name__, url_prefix="/gestion")
