"""The same-run baseline: a bare Flask route rendering a trivial Jinja template."""

from flask import Flask, render_template_string

app = Flask(__name__)
TEMPLATE = "<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1><p>{{ n }} items</p>"


@app.get("/")
def index():
    return render_template_string(TEMPLATE, title="Baseline", n=12)


@app.get("/healthz")
def healthz():
    return {"status": "ok"}
