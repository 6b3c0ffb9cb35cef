"""Entry point: ``flask --app app run``, ``gunicorn app:app``."""
from comobi import create_app
from comobi.settings import SettingsError

try:
    app = create_app()
except SettingsError as error:  # a typo in instance.toml: say where, without a traceback
    raise SystemExit(f"ERREUR : {error}") from None
