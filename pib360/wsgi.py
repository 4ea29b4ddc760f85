"""The app for a WSGI server: `gunicorn pib360.wsgi:app`."""

from pib360 import create_app

app = create_app()
