"""The baseline for the load benchmark: Flask's hello world, served with the same settings."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    """Answer the smallest page Flask can."""
    return "Hello, World!"
