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
from kiosk.intake.reading import still_polling
from kiosk.intake.receipt import print_receipt, submitted_claim
from kiosk.platform import once
from kiosk.platform.extensions import db
from kiosk.platform.storage import files
from kiosk.questions import flow
from kiosk.questions.steps import STEPS, Context, documents_needed
from kiosk.questions.summary import done_view
from kiosk.receipts import content as receipts
from kiosk.services import readings
from kiosk.services.drafts import delete_files, save_answers
from kiosk.services.jobs import enqueue_reading
from kiosk.services.submission import submit_draft
from kiosk.services.uploads import (
    UploadOutcome,
    add_photos,
    photos_of,
    with_photos,
)
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
    steps = flow.steps_for(answers)
    pending = flow.first_unanswered(answers)
    if step not in steps or steps.index(step) > steps.index(pending):
        return redirect(url_for("intake.step", step=pending))
    ctx = context()
    returning = request.values.get("from") == "check"
    values, errors, warnings = handler.values(answers), {}, {}

    if request.method == "POST":
        if step == "check":
            return submit(handler, draft, answers, ctx)
        outcome = handler.read(request.form, answers, ctx)
        if outcome.ok:
            if draft is None:
                draft = start_draft(session.get("volunteer_id"))
            save_answers(draft, step, outcome.answers)
            following = flow.next_step(step, draft.answers, returning_to_check=returning)
            return redirect(url_for("intake.step", step=following), 303)
        values = {**values, **request.form.to_dict()}
        errors, warnings = outcome.errors, outcome.warnings

    return page(
        step,
        handler,
        answers,
        ctx,
        values=values,
        errors=errors,
        warnings=warnings,
        returning=returning,
    )


def page(step: str, handler: Any, answers: dict[str, Any], ctx: Context, **kwargs: Any) -> Response:
    number, total = flow.step_number(step, answers)
    previous = flow.previous_step(step, answers)
    extra = handler.view(answers, ctx)
    if still_polling(extra.get("waiting", False)):
        return current_app.response_class(status=204)  # still reading: keep the panel
    response = current_app.make_response(
        render_template(
            handler.template,
            step=step,
            number=number,
            total=total,
            back=url_for("intake.step", step=previous) if previous else url_for("intake.home"),
            answers=answers,
            has_errors=bool(kwargs.get("errors")),
            **extra,
            **kwargs,
        )
    )
    if request.headers.get("HX-Request") == "true" and request.method == "GET":
        response.headers["HX-Push-Url"] = request.full_path.rstrip("?")
    return response


def submit(handler: Any, draft: Any, answers: dict[str, Any], ctx: Context) -> Any:
    outcome = handler.read(request.form, answers, ctx)
    if not outcome.ok or draft is None:
        return page(
            "check",
            handler,
            answers,
            ctx,
            values=request.form.to_dict(),
            errors=outcome.errors,
            warnings={},
            returning=False,
        )
    claim = submit_draft(draft.id, today=ctx.today, branch=current_app.config["BRANCH_NAME"])
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
    if key is not None and once.done_before(key):  # the same form again: its photos are in
        outcome, queued = UploadOutcome.again(uploads), [True]
    else:
        outcome = add_photos(draft.answers, kind, uploads)
        queued = _keep_photos(draft, kind, outcome, key) if outcome.added else [True]
    if outcome.added:
        flash(str(m.PHOTO_ADDED) % {"n": len(outcome.added)})
        if not all(queued):
            flash(str(m.READING_LATER))
    if outcome.problems:
        ctx = context()
        errors = {f"photo-{kind}": outcome.message()}
        return page(
            "documents",
            STEPS["documents"],
            dict(draft.answers),
            ctx,
            values={},
            errors=errors,
            warnings={},
            returning=False,
        )
    return redirect(url_for("intake.step", step="documents") + f"#document-{kind}", 303)


def _keep_photos(draft: Any, kind: str, outcome: UploadOutcome, key: str | None) -> list[bool]:
    """Put the new photos in the draft with their readings, once for this form's key, and
    queue the readings; for each, whether the queue took it. A post that lost the race to
    an identical one deletes its own copies."""
    photos = photos_of(draft.answers, kind) + outcome.added
    started = [readings.new_reading(photo["file"], kind) for photo in outcome.added]

    def keep() -> bool:
        updates = {"photos": with_photos(draft.answers, kind, photos)}
        save_answers(draft, "documents", updates, mark_done=False)  # commits the readings too
        return True

    def again() -> bool:
        db.session.rollback()  # not this post's readings
        for photo in outcome.added:
            delete_files(photo)
        return False

    if not once.run(key, keep, again):
        return [True]
    return [enqueue_reading(reading.id) for reading in filter(None, started)]


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
