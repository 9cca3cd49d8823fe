"""Kiosk views. Thin: parse, call kiosk.claims, render or redirect."""

from __future__ import annotations

from flask import render_template

from . import bp


@bp.get("/")
def home() -> str:
    """The kiosk home: report a claim, check a claim, or help someone as a volunteer."""
    return render_template("intake/home.html")


@bp.get("/claim")
def start_claim() -> str:
    """申请理赔: the intake flow (coming with the intake issue)."""
    return render_template("intake/coming_soon.html", page="claim")


@bp.get("/track")
def track() -> str:
    """查询进度: look up a claim (coming with the tracking issue)."""
    return render_template("intake/coming_soon.html", page="track")


@bp.get("/volunteer")
def volunteer() -> str:
    """志愿者协助: a volunteer signs in with a code (coming with the intake issue)."""
    return render_template("intake/coming_soon.html", page="volunteer")
