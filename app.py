"""Entry point: ``flask --app app run``, ``gunicorn app:app``."""
from comobi import create_app

app = create_app()
