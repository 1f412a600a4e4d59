"""The smallest Flask app, served by bench/load.py with the portal's gunicorn settings, so the
portal's figures can be read as a ratio to what Flask and gunicorn cost on this machine."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "ok"
