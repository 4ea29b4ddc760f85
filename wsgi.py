"""Entry point for gunicorn: `gunicorn wsgi:app`."""

from pib360 import create_app

app = create_app()
