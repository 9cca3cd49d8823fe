"""The back office's actions in random order, by random staff (hypothesis): the case only
ever takes the state machine's moves, and every move and every action is audited."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.claims.states import TRANSITIONS, CaseState, Role, TransitionNotAllowed
from kiosk.claims.types import DocumentKind, Exclusion, Priority
from kiosk.platform.extensions import db
from kiosk.platform.models import AuditEvent, Claim, DocumentStatus, StaffRole
from kiosk.services import review
from kiosk.services.accounts import create_staff
from kiosk.services.cases import move_case
from kiosk.services.supplements import missing_documents
from tests.conftest import empty_all_tables
from tests.integration.test_models import make_claim

ACTIONS = (
    "request",
    "approve",
    "decline",
    "pay",
    "priority",
    "note",
    "supply",
    "back",
    "complex",
)
steps = st.lists(
    st.tuples(
        st.sampled_from(ACTIONS),
        st.sampled_from(["handler", "boss", "boss2"]),
        st.sampled_from([Decimal("300"), Decimal("5000"), Decimal("12000")]),
    ),
    min_size=1,
    max_size=12,
)


def _run(claim: Claim, action: str, actor: review.Actor, amount: Decimal) -> str | None:
    """Do one action; the audit action it must leave, or None if it was refused."""
    try:
        if action == "request":
            review.request_documents(claim, actor, [DocumentKind.MEDICAL_RECORD], "请补病历")
            return "case.request_documents"
        if action == "approve":
            review.approve(claim, actor, amount, "测试")
            return "case.approve"
        if action == "decline":
            review.decline(claim, actor, Exclusion.NOT_ACCIDENT, "测试")
            return "case.decline"
        if action == "pay":
            review.mark_paid(claim, actor, claim.approved_amount or amount, date.today(), "REF1")
            return "case.pay"
        if action == "priority":
            review.set_priority(claim, actor, Priority.HIGHER)
            return "case.priority"
        if action == "note":
            review.add_note(claim, actor, "备注")
            return "case.note"
        if action == "complex":
            review.mark_complex(claim, actor, "需要向医院核实病历。")
            return "case.complex"
        if action == "back":
            reopened = claim.state is CaseState.DECLINED
            review.send_back(claim, actor, "退回")
            return "case.reopen" if reopened else "case.send_back"
        for document in missing_documents(claim):  # the family brings what was asked for
            document.status = DocumentStatus.RECEIVED
        if claim.state is CaseState.DOCUMENTS_NEEDED:
            move_case(claim, CaseState.UNDER_REVIEW, Role.CUSTOMER, reason="补齐")
        db.session.commit()
        return None
    except (review.NotAllowed, TransitionNotAllowed):
        db.session.rollback()
        return None


@pytest.fixture
def people(app: Flask):
    with app.app_context():
        staff = {
            name: create_staff(name, role, password="long enough password")[0]
            for name, role in (
                ("handler", StaffRole.HANDLER),
                ("boss", StaffRole.APPROVER),
                ("boss2", StaffRole.APPROVER),
            )
        }
        yield staff


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(sequence=steps)
def test_random_actions_keep_the_state_machine_and_the_audit(
    app: Flask, people: dict, sequence: list
) -> None:
    db.session.commit()
    empty_all_tables(
        {"notification", "audit_event", "case_note", "status_event", "document", "claim", "person"}
    )
    claim = make_claim()
    db.session.add(claim)
    db.session.commit()
    for action, who, amount in sequence:
        before = claim.state
        expected = _run(claim, action, review.Actor(people[who], "10.0.0.1"), amount)
        after = claim.state
        if claim.complex_until and after in (CaseState.UNDER_REVIEW, CaseState.AWAITING_APPROVAL):
            assert claim.due_on == claim.complex_until  # the day the family was told holds
        if after is not before:  # one move, or review started and then one more
            path = [e.to_state for e in claim.events if e.from_state is not None][-2:]
            assert (before, after) in TRANSITIONS or (
                before is CaseState.SUBMITTED and path[0] is CaseState.UNDER_REVIEW
            ), (action, who, before, after)
        if expected:
            assert (
                db.session.scalar(
                    sa.select(AuditEvent.action)
                    .where(AuditEvent.claim_id == claim.id)
                    .order_by(AuditEvent.id.desc())
                    .limit(1)
                )
                == expected
            )
    moves = db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "case.move")
    )
    assert moves == len(claim.events)
    if claim.state is CaseState.APPROVED and claim.approved_amount >= Decimal("5000"):
        sent = [e for e in claim.events if e.to_state is CaseState.AWAITING_APPROVAL][-1]
        approved = claim.events[-1]
        assert approved.to_state is CaseState.APPROVED
        assert sent.actor_staff_id != approved.actor_staff_id  # two different people
