"""The reference for bench/throughput.py: a bare Flask route rendering one small Jinja
template, run under the same gunicorn settings as the kiosk."""

from flask import Flask, render_template_string

app = Flask(__name__)
PAGE = "<!doctype html><title>{{ title }}</title><main><h1>{{ title }}</h1><p>{{ text }}</p></main>"


@app.get("/")
def page() -> str:
    return render_template_string(PAGE, title="理赔服务", text="您好")
