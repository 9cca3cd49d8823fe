"""Photos read by OCR during the intake: the waiting panel and the 对 / 改一下 confirmation.

The ID card can be photographed on the identity step instead of typing; its photo is also the
insured's ID card document. Receipts photographed on the documents step are read in the
background, and the receipts step confirms each total. Nothing read is used until the person
says 对 to it, and a field the reader is unsure of is never pre-accepted.
"""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response

from kiosk.intake.blueprint import bp
from kiosk.intake.current import context, current_draft, own_photo, private_jpeg, start_draft
from kiosk.platform.models import Draft
from kiosk.questions import flow
from kiosk.questions.confirm import confirmed, id_number_groups, is_sure
from kiosk.questions.steps import STEPS, Receipts
from kiosk.services import readings
from kiosk.services.drafts import save_answers
from kiosk.services.uploads import add_to_draft, photos_of
from kiosk.words import claimant as m

ID_CARD = "insured_id_card"
ID_FIELDS = ("id_number", "name")  # what the identity step needs from the card
POLL = "reading-poll"  # the id of the waiting panel, which htmx sends when it polls
ASKER = "reading-asker"  # the small element beside it that asks, quicker


@bp.app_template_global()
def reading_asker_delay(photo: dict[str, Any]) -> int:
    """Milliseconds until the asker first asks whether this photo's reading is done."""
    return int(readings.first_ask(photo["file"]).total_seconds() * 1000)


@bp.post("/claim/identity/photo")
def identity_photo() -> Any:
    """拍身份证: the card's photo is stored as the insured's ID card and read by OCR."""
    draft = current_draft() or start_draft(session.get("volunteer_id"))
    outcome, all_queued = add_to_draft(draft, ID_CARD, request.files.getlist("photo")[:1], None)
    if not outcome.added:  # back to the identity step, which says why
        problem = outcome.problems[0] if outcome.problems else "empty"
        if problem == "duplicate":  # the same photo again: show its reading
            earlier = photos_of(draft.answers, ID_CARD)[-1]
            return redirect(url_for("intake.identity_card", photo_id=earlier["id"]), 303)
        return redirect(url_for("intake.step", step="identity", photo=str(problem)), 303)
    if not all_queued:
        flash(str(m.READING_LATER))
    return redirect(url_for("intake.identity_card", photo_id=outcome.added[0]["id"]), 303)


def still_polling(state: str) -> bool:
    """Whether this is the waiting panel asking again while the reading is waiting or slow,
    or its asker while it is waiting (when slow, the asker gets the slow page): then
    `waiting_answer` is the answer."""
    asking = request.headers.get("HX-Trigger")
    return (asking == POLL and state in ("waiting", "slow")) or (
        asking == ASKER and state == "waiting"
    )


def waiting_answer() -> Any:
    """Still reading. The panel (every 5 s) gets 204 and stays; the asker gets itself again,
    to ask in 0.4 s. Once the reading is done the asker gets the page (`for_the_asker`)."""
    if request.headers.get("HX-Trigger") == POLL:
        return "", 204
    delay = int(readings.ASK_EVERY.total_seconds() * 1000)
    return render_template("intake/_reading_wait.html", delay=delay)


def for_the_asker(page: str | Response) -> Response:
    """The page; when the asker asked for it (the reading is done), told to replace the whole
    <main> rather than the asker, so it takes no second request."""
    response = make_response(page)
    if request.headers.get("HX-Trigger") == ASKER:
        response.headers.update(
            {"HX-Retarget": "main", "HX-Reselect": "main", "HX-Reswap": "outerHTML"}
        )
    return response


@bp.route("/claim/identity/card/<photo_id>", methods=["GET", "POST"])
def identity_card(photo_id: str) -> Any:
    """Waiting for the card to be read, then each field with 对 / 改一下."""
    draft, photo = own_photo(photo_id)
    reading = readings.reading_of(photo["file"])
    state = readings.state(reading)
    if still_polling(state):
        return waiting_answer()
    read = {name: readings.field(reading, name) for name in ID_FIELDS}
    errors: dict[str, str] = {}
    if request.method == "POST" and state == "done":
        following, errors = _confirm_identity(draft, read)
        if following is not None:
            return redirect(url_for("intake.step", step=following), 303)
    return for_the_asker(_id_card_page(draft, photo, state, read, errors))


def _confirm_identity(draft: Draft, read: dict[str, Any]) -> tuple[str | None, dict[str, str]]:
    """The card's fields, each confirmed (对) or corrected (改一下), answered as the identity
    step: the step that follows, or what was wrong."""
    errors: dict[str, str] = {}
    values = {name: confirmed(request.form, name, read[name], errors) for name in ID_FIELDS}
    if errors:
        return None, errors
    outcome = STEPS["identity"].read(MultiDict(values), dict(draft.answers), context())
    if not outcome.ok:
        return None, outcome.errors
    save_answers(draft, "identity", {**outcome.answers, "identity_from": "id_card"})
    return flow.next_step("identity", draft.answers), {}


def _id_card_page(
    draft: Draft, photo: dict[str, Any], state: str, read: dict[str, Any], errors: dict[str, str]
) -> str:
    number, total = flow.step_number("identity", draft.answers)
    return render_template(
        "intake/id_card.html",
        state=state,
        photo=photo,
        read=read,
        form=request.form if request.method == "POST" else None,
        errors=errors,
        has_errors=bool(errors),
        number=number,
        total=total,
        back=url_for("intake.step", step="identity"),
        answers=draft.answers,
        step="identity",
        id_number_groups=id_number_groups,
        is_sure=is_sure,
    )


@bp.get("/claim/receipts/<photo_id>/total")
def receipt_total(photo_id: str) -> Any:
    """One receipt's total on the receipts step, asked for again while its reading is slow:
    204 until the reading is done, then the read total to confirm (htmx swaps it in)."""
    _draft, photo = own_photo(photo_id)
    step = STEPS["receipts"]
    assert isinstance(step, Receipts)
    item = step.item(photo)
    if item["state"] in ("waiting", "slow"):
        return "", 204
    number = request.args.get("n", type=int) or 1
    return render_template(
        "intake/steps/_receipt.html", item=item, n=number, values={}, errors={}, has_errors=False
    )


@bp.get("/claim/photos/<photo_id>/crop/<field>")
def field_crop(photo_id: str, field: str) -> Response:
    """The part of this session's photo a field was read from; nobody else's, never cached."""
    _draft, photo = own_photo(photo_id)
    reading = readings.reading_of(photo["file"])
    crop = readings.crop_jpeg(reading, field) if reading else None
    if crop is None:
        abort(404)
    return private_jpeg(crop)


@bp.post("/claim/documents/discharge_summary/photos/<photo_id>/dates")
def use_stay_dates(photo_id: str) -> Response:
    """按出院小结改日期: the admission and discharge dates read from the summary, if valid."""
    draft, photo = own_photo(photo_id)
    reading = readings.reading_of(photo["file"])
    admission = readings.field(reading, "admission_date")
    discharge = readings.field(reading, "discharge_date")
    target = url_for("intake.step", step="documents") + "#document-discharge_summary"
    if not (admission and discharge):
        return redirect(target, 303)
    ctx, answers = context(), dict(draft.answers)
    first = STEPS["admission_date"].read(MultiDict({"day": admission["value"]}), answers, ctx)
    answers.update(first.answers)
    second = STEPS["discharge_date"].read(MultiDict({"day": discharge["value"]}), answers, ctx)
    if first.ok and second.ok:
        save_answers(draft, "documents", {**first.answers, **second.answers}, mark_done=False)
        flash(str(m.STAY_DATES_USED))
    else:
        flash(str(m.STAY_DATES_REFUSED))
    return redirect(target, 303)
