"""服务点: the district's branches, added and changed by administrators (as with
`flask --app kiosk branch add/edit`); each refusal names the field."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for

from kiosk.platform.extensions import db
from kiosk.services import accounts
from kiosk.services.branches import BranchDetails, BranchProblem, add_branch, branches, edit_branch
from kiosk.staff.blueprint import ADMIN, allow, bp, client_ip, staff
from kiosk.words import staff as w

FIELDS = ("name", "phone", "address", "opening_hours", "district")


def _details() -> BranchDetails:
    return BranchDetails(**{f: request.form.get(f, "") for f in FIELDS})


def _branches_page(problem: BranchProblem | None = None) -> tuple[str, int]:
    said = ""
    if problem is not None:
        field = str(w.BRANCH_FIELDS.get(problem.field, ""))
        said = str(w.BRANCH_REFUSED) % {"field": field, "why": w.BRANCH_PROBLEMS[problem.kind]}
    return render_template(
        "staff/branches.html", rows=branches(), problem=said, values=request.form
    ), (422 if problem else 200)


@bp.get("/branches")
@allow(ADMIN)
def branch_list() -> Any:
    return _branches_page()


@bp.post("/branches")
@allow(ADMIN)
def branch_add() -> Any:
    try:
        added = add_branch(_details())
    except BranchProblem as problem:
        return _branches_page(problem)
    accounts.audit(staff(), "branch.add", detail={"branch": added.id}, ip=client_ip())
    return _saved()


@bp.post("/branches/<name>")
@allow(ADMIN)
def branch_edit(name: str) -> Any:
    try:
        changed = edit_branch(name, _details())
    except BranchProblem as problem:
        return _branches_page(problem)
    accounts.audit(staff(), "branch.edit", detail={"branch": changed.id}, ip=client_ip())
    return _saved()


def _saved() -> Any:
    db.session.commit()
    flash(str(w.SAVED))
    return redirect(url_for("staff.branch_list"), 303)
