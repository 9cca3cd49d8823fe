"""Command line: `flask --app kiosk demo seed`, `flask --app kiosk serve`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .claims.calendar import today_in_china

demo = AppGroup("demo", help="Demo data for trying the kiosk.")


@demo.command("seed")
def demo_seed() -> None:
    """Create demo people and claims in every state (does nothing if claims exist)."""
    from .demo import DEMO_VOLUNTEER_CODE, seed_demo

    claims = seed_demo(today_in_china())
    if not claims:
        click.echo("demo: the database already has claims; nothing added")
        return
    click.echo(f"demo: added {len(claims)} claims; volunteer code {DEMO_VOLUNTEER_CODE}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=2, show_default=True, help="gunicorn worker processes")
def serve(host: str, port: int, workers: int) -> None:
    """Run the kiosk (gunicorn) and the background worker (huey) until Ctrl+C."""
    from .demo import DEMO_VOLUNTEER_CODE

    base = f"http://{host}:{port}"
    click.echo(
        "\n".join(
            [
                "",
                "  The claims kiosk is running:",
                f"    kiosk home page      {base}/",
                f"    in English, 特大字    {base}/prefs/lang/en  then  {base}/prefs/size/xl",
                f"    demo volunteer code  {DEMO_VOLUNTEER_CODE}",
                f"    data folder          {current_app.config['DATA_DIR']}",
                "  Press Ctrl+C to stop (the web server and the worker both stop).",
                "",
            ]
        )
    )
    bindir = os.path.dirname(sys.executable)
    worker = subprocess.Popen(
        [os.path.join(bindir, "huey_consumer"), "kiosk.worker.huey", "-k", "thread", "-w", "2"]
    )
    web = subprocess.Popen(
        [
            os.path.join(bindir, "gunicorn"),
            "kiosk.wsgi:app",
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            "--threads",
            "4",
            "--access-logfile",
            "-",
        ]
    )
    try:
        web.wait()
    except KeyboardInterrupt:
        pass
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def register_cli(app: Flask) -> None:
    app.cli.add_command(demo)
    app.cli.add_command(serve)
