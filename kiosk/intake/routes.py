"""Kiosk views. Thin: parse, call the step handlers and kiosk.claims, render or redirect."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from kiosk.intake.blueprint import bp
from kiosk.intake.current import (
    context,
    current_draft,
    forget_draft,
    own_photo,
    private_jpeg,
    start_draft,
)
from kiosk.intake.device import this_device_branch
from kiosk.intake.reading import for_the_asker, still_polling, waiting_answer
from kiosk.intake.receipt import print_receipt, submitted_claim
from kiosk.platform import once
from kiosk.platform.models import Draft
from kiosk.platform.storage import files
from kiosk.questions import flow
from kiosk.questions.steps import STEPS, Context, Step, documents_needed
from kiosk.questions.summary import done_view
from kiosk.receipts import content as receipts
from kiosk.services.drafts import delete_files, save_answers
from kiosk.services.submission import submit_draft
from kiosk.services.uploads import add_to_draft, photos_of, with_photos
from kiosk.words import claimant as m


@bp.get("/")
def home() -> str:
    """The kiosk home: report a claim, check a claim, or help someone as a volunteer."""
    return render_template("intake/home.html")


@bp.get("/claim")
def start_claim() -> Response:
    """申请理赔: continue the draft of this session, or begin at the first question."""
    draft = current_draft()
    step = flow.first_unanswered(draft.answers) if draft else "who"
    return redirect(url_for("intake.step", step=step))


@bp.route("/claim/<step>", methods=["GET", "POST"])
def step(step: str) -> Any:
    """One question of the intake: shown by GET, answered by POST (then on to the next)."""
    handler = STEPS.get(step) or abort(404)
    draft = current_draft()
    if draft is None and step == "check" and session.get("submitted_claim_id"):
        return redirect(url_for("intake.done"), 303)  # a second tap on 提交: same claim
    answers: dict[str, Any] = dict(draft.answers) if draft else {}
    if (asked := flow.step_to_ask(step, answers)) != step:
        return redirect(url_for("intake.step", step=asked))
    ctx, returning = context(), request.values.get("from") == "check"
    if request.method == "POST" and step == "check":
        return submit(handler, draft, answers, ctx)
    if request.method == "POST":
        return answer(step, handler, draft, answers, ctx, returning)
    return page(step, handler, answers, ctx, values=handler.values(answers), returning=returning)


def answer(
    step: str,
    handler: Step,
    draft: Draft | None,
    answers: dict[str, Any],
    ctx: Context,
    returning: bool,
) -> Any:
    """A step answered: saved, and on to the next step; or the page again, with what was wrong
    and nothing lost of what was typed."""
    outcome = handler.read(request.form, answers, ctx)
    if not outcome.ok:
        values = {**handler.values(answers), **request.form.to_dict()}
        return page(
            step,
            handler,
            answers,
            ctx,
            values=values,
            errors=outcome.errors,
            warnings=outcome.warnings,
            returning=returning,
        )
    draft = draft or start_draft(session.get("volunteer_id"))
    save_answers(draft, step, outcome.answers)
    following = flow.next_step(step, draft.answers, returning_to_check=returning)
    return redirect(url_for("intake.step", step=following), 303)


def page(
    step: str,
    handler: Step,
    answers: dict[str, Any],
    ctx: Context,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    warnings: dict[str, str] | None = None,
    returning: bool = False,
) -> Response:
    """A step's page: its question with the values to show and what was wrong with them."""
    number, total = flow.step_number(step, answers)
    previous = flow.previous_step(step, answers)
    extra = handler.view(answers, ctx)
    if still_polling("waiting" if extra.get("waiting") else "shown"):
        return current_app.make_response(waiting_answer())
    response = for_the_asker(
        render_template(
            handler.template,
            step=step,
            number=number,
            total=total,
            back=url_for("intake.step", step=previous) if previous else url_for("intake.home"),
            answers=answers,
            has_errors=bool(errors),
            **extra,
            values=values or {},
            errors=errors or {},
            warnings=warnings or {},
            returning=returning,
        )
    )
    if request.headers.get("HX-Request") == "true" and request.method == "GET":
        response.headers["HX-Push-Url"] = request.full_path.rstrip("?")
    return response


def submit(handler: Any, draft: Any, answers: dict[str, Any], ctx: Context) -> Any:
    outcome = handler.read(request.form, answers, ctx)
    if not outcome.ok or draft is None:
        return page(
            "check", handler, answers, ctx, values=request.form.to_dict(), errors=outcome.errors
        )
    claim = submit_draft(draft.id, today=ctx.today, branch=this_device_branch().name)
    forget_draft()
    session["submitted_claim_id"] = claim.id
    print_receipt(claim)
    return redirect(url_for("intake.done"), 303)


@bp.get("/claim/done")
def done() -> Any:
    """报案成功: the case number, what happens next and by when, what is still missing."""
    claim = submitted_claim()
    if claim is None:
        return redirect(url_for("intake.home"))
    return render_template(
        "intake/done.html",
        browser_print=session.pop("browser_print", False),
        **{**receipts.receipt_view(claim), **done_view(claim)},
    )


@bp.post("/claim/restart")
def restart() -> Response:
    """重新开始: leave this draft (it stays on the server until it expires) and begin again."""
    forget_draft()
    return redirect(url_for("intake.step", step="who"), 303)


@bp.post("/claim/documents/<kind>/photos")
def add_document_photos(kind: str) -> Any:
    """拍照: photos of one document, checked and stored; the page says what was refused."""
    draft = current_draft()
    if draft is None or kind not in documents_needed(draft.answers):
        return redirect(url_for("intake.start_claim"), 303)
    uploads = request.files.getlist("photo")
    key = once.key_of(request.form, f"draft:{draft.id}:{kind}", uploads)
    outcome, all_queued = add_to_draft(draft, kind, uploads, key)
    if outcome.added:
        flash(str(m.PHOTO_ADDED) % {"n": len(outcome.added)})
    if outcome.added and not all_queued:
        flash(str(m.READING_LATER))
    if outcome.problems:
        errors = {f"photo-{kind}": outcome.message()}
        return page("documents", STEPS["documents"], dict(draft.answers), context(), errors=errors)
    return redirect(url_for("intake.step", step="documents") + f"#document-{kind}", 303)


@bp.post("/claim/documents/<kind>/photos/<photo_id>/remove")
def remove_document_photo(kind: str, photo_id: str) -> Response:
    """删除 a photo taken by mistake."""
    draft = current_draft()
    if draft is not None:
        photos = photos_of(draft.answers, kind)
        keep = [p for p in photos if p["id"] != photo_id]
        for photo in photos:
            if photo["id"] == photo_id:
                delete_files(photo)
        if len(keep) != len(photos):
            save_answers(
                draft,
                "documents",
                {"photos": with_photos(draft.answers, kind, keep)},
                mark_done=False,
            )
    return redirect(url_for("intake.step", step="documents") + f"#document-{kind}", 303)


@bp.get("/claim/photos/<photo_id>")
def photo_thumbnail(photo_id: str) -> Response:
    """A thumbnail of this session's own photo; nobody else's, never cached."""
    _draft, photo = own_photo(photo_id)
    return private_jpeg(files().read(photo["thumb"]))
