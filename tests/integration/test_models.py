"""The data model on both databases: encryption at rest, look-up hashes, locking, files."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm.exc import StaleDataError

from kiosk.claims.calendar import today_in_china
from kiosk.claims.sla import complex_review_limit
from kiosk.claims.states import CaseState, Role, TransitionNotAllowed
from kiosk.claims.types import ClaimType, Priority, Relationship, Source
from kiosk.platform.extensions import db
from kiosk.platform.models import (
    AuditEvent,
    Claim,
    Draft,
    HomeVisitRequest,
    HomeVisitStatus,
    Person,
    StatusEvent,
)
from kiosk.platform.storage import files, vault
from kiosk.services.cases import move_case

ID_NUMBER = "440514194812310014"
PHONE = "13812345678"
ACCOUNT = "6228480000000001234"


def make_claim(case_number: str = "2600000017") -> Claim:
    person = Person(
        name="陈美华",
        id_number=ID_NUMBER,
        id_number_hash=vault().lookup_hash(ID_NUMBER),
        phone=PHONE,
    )
    return Claim(
        case_number=case_number,
        tracking_token="token-" + case_number,
        tracking_token_hash=vault().lookup_hash("token-" + case_number),
        claim_type=ClaimType.MEDICAL,
        state=CaseState.SUBMITTED,
        priority=Priority.GENERAL,
        source=Source.KIOSK,
        insured=person,
        reporter_relationship=Relationship.SELF,
        accident_date=date(2026, 11, 1),
        reported_on=date(2026, 11, 2),
        bank_account_number=ACCOUNT,
    )


def raw_row(table: str, row_id: int) -> dict:
    return dict(
        db.session.execute(sa.text(f"SELECT * FROM {table} WHERE id = :id"), {"id": row_id})
        .mappings()
        .one()
    )


def test_sensitive_columns_are_encrypted_at_rest(app: Flask) -> None:
    with app.app_context():
        claim = make_claim()
        db.session.add(claim)
        db.session.commit()
        person_row = raw_row("person", claim.insured_id)
        claim_row = raw_row("claim", claim.id)
        stored = b"".join(
            bytes(v)
            for v in (
                person_row["id_number"],
                person_row["phone"],
                claim_row["bank_account_number"],
            )
        )
        for secret in (ID_NUMBER, PHONE, ACCOUNT, "0014", "5678"):
            assert secret.encode() not in stored
        db.session.expire_all()
        loaded = db.session.get(Claim, claim.id)
        assert loaded.insured.id_number == ID_NUMBER
        assert loaded.insured.phone == PHONE
        assert loaded.bank_account_number == ACCOUNT


def test_person_found_by_keyed_hash_of_id_number(app: Flask) -> None:
    with app.app_context():
        db.session.add(make_claim())
        db.session.commit()
        found = db.session.scalar(
            sa.select(Person).where(Person.id_number_hash == vault().lookup_hash(ID_NUMBER))
        )
        assert found is not None and found.name == "陈美华"
        assert vault().lookup_hash(ID_NUMBER) != vault().lookup_hash("440514194812310022")


def test_drafts_are_encrypted_whole(app: Flask) -> None:
    with app.app_context():
        draft = Draft(
            id="d1",
            answers={"id_number": ID_NUMBER, "name": "陈美华"},
            expires_at=datetime(2030, 1, 1, tzinfo=UTC),
        )
        db.session.add(draft)
        db.session.commit()
        raw = db.session.execute(sa.text("SELECT answers FROM draft WHERE id = 'd1'")).scalar_one()
        assert ID_NUMBER.encode() not in bytes(raw) and "陈美华".encode() not in bytes(raw)
        db.session.expire_all()
        assert db.session.get(Draft, "d1").answers["id_number"] == ID_NUMBER


def test_case_numbers_and_tracking_tokens_are_unique(app: Flask) -> None:
    with app.app_context():
        db.session.add(make_claim("2600000017"))
        db.session.commit()
        db.session.add(make_claim("2600000017"))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()


def test_concurrent_edit_of_a_case_fails_instead_of_overwriting(app: Flask) -> None:
    with app.app_context():
        claim = make_claim()
        db.session.add(claim)
        db.session.commit()
        claim_id = claim.id
        # Another clerk changes the case in their own session meanwhile.
        with db.engine.begin() as other:
            other.execute(
                sa.text(
                    "UPDATE claim SET priority = 'higher', version = version + 1 WHERE id = :id"
                ),
                {"id": claim_id},
            )
        claim.disputed = True
        with pytest.raises(StaleDataError):
            db.session.commit()


def test_every_move_leaves_status_and_audit_events(app: Flask) -> None:
    with app.app_context():
        claim = make_claim()
        db.session.add(claim)
        move_case(claim, CaseState.UNDER_REVIEW, Role.SYSTEM, reason="材料齐全")
        db.session.commit()
        event = db.session.scalar(sa.select(StatusEvent).where(StatusEvent.claim_id == claim.id))
        assert (event.from_state, event.to_state, event.actor_role, event.reason) == (
            CaseState.SUBMITTED,
            CaseState.UNDER_REVIEW,
            Role.SYSTEM,
            "材料齐全",
        )
        assert event.at.tzinfo is not None
        audit = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.claim_id == claim.id))
        assert audit.action == "case.move" and audit.detail == {
            "from": "submitted",
            "to": "under_review",
        }
        with pytest.raises(TransitionNotAllowed):
            move_case(claim, CaseState.PAID, Role.HANDLER)
        assert claim.state is CaseState.UNDER_REVIEW


def test_a_complex_case_complete_again_gets_its_thirty_working_days_from_then(
    app: Flask,
) -> None:
    with app.app_context():
        claim = make_claim()
        claim.state = CaseState.DOCUMENTS_NEEDED
        claim.complex_reason, claim.complex_until = "需要核实。", date(2026, 1, 5)
        db.session.add(claim)
        move_case(claim, CaseState.UNDER_REVIEW, Role.CUSTOMER, reason="材料已补齐")
        db.session.commit()
        again = complex_review_limit(today_in_china())
        assert claim.complex_until == again and claim.due_on == again
        move_case(claim, CaseState.AWAITING_APPROVAL, Role.HANDLER)
        assert claim.complex_until == again and claim.due_on == again  # not moved by approval


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'case.view' WHERE id = :id",
        "UPDATE audit_event SET detail = '{}', ip = '' WHERE id = :id",
        "DELETE FROM audit_event WHERE id = :id",
        "DELETE FROM audit_event",
    ],
)
def test_audit_log_is_append_only(app: Flask, statement: str) -> None:
    """Not by code alone: the database itself refuses to change or remove an audit row."""
    with app.app_context():
        claim = make_claim()
        db.session.add(claim)
        move_case(claim, CaseState.UNDER_REVIEW, Role.SYSTEM)
        db.session.commit()
        audit_id = db.session.scalar(
            sa.select(AuditEvent.id).where(AuditEvent.claim_id == claim.id)
        )
        with pytest.raises(sa.exc.DBAPIError, match="audit_event is append-only"):
            db.session.execute(sa.text(statement), {"id": audit_id})
        db.session.rollback()
        row = db.session.get(AuditEvent, audit_id)
        assert (row.action, row.detail) == (
            "case.move",
            {"from": "submitted", "to": "under_review"},
        )
        db.session.add(AuditEvent(actor_role=Role.SYSTEM, action="case.view", claim_id=claim.id))
        db.session.commit()  # adding is still allowed
        if db.engine.dialect.name == "postgresql":
            with pytest.raises(sa.exc.DBAPIError, match="audit_event is append-only"):
                db.session.execute(sa.text("TRUNCATE audit_event CASCADE"))
            db.session.rollback()
        count = sa.select(sa.func.count()).select_from(AuditEvent)
        assert db.session.scalar(count) == 2


def test_uploaded_files_are_encrypted_with_random_names(app: Flask) -> None:
    with app.app_context():
        content = b"\xff\xd8\xff receipt photo 440514194812310014"
        name = files().save(content)
        second = files().save(content)
        assert name != second and len(name) == 32
        on_disk = (files().root / name[:2] / name).read_bytes()
        assert b"440514194812310014" not in on_disk and b"receipt" not in on_disk
        assert files().read(name) == content
        files().delete(name)
        assert not (files().root / name[:2] / name).exists()
        for hostile in ("../../etc/passwd", "x" * 32, ""):
            with pytest.raises(ValueError):
                files().read(hostile)


def test_one_open_home_visit_per_case_holds_in_a_schema_made_from_the_models() -> None:
    """The partial unique index's WHERE comes from its info (partial_index_where), not from
    per-dialect options: made by create_all it is still partial, and PostgreSQL gets it too."""
    table = HomeVisitRequest.__table__
    (index,) = [i for i in table.indexes if i.name == "uq_home_visit_request_open"]
    postgresql_ddl = str(sa.schema.CreateIndex(index).compile(dialect=postgresql.dialect()))
    assert postgresql_ddl.endswith("WHERE status IN ('requested', 'booked')")

    engine = sa.create_engine("sqlite://")
    table.create(engine)

    def request(status: HomeVisitStatus) -> None:
        with engine.begin() as connection:
            connection.execute(
                sa.text(
                    "INSERT INTO home_visit_request (claim_id, name, phone, address, status,"
                    " note, created_at) VALUES (7, '', '', '', :status, '', '2026-12-07')"
                ),
                {"status": status.value},
            )

    request(HomeVisitStatus.DONE)
    request(HomeVisitStatus.REQUESTED)
    request(HomeVisitStatus.CANCELLED)  # a closed one beside the open one: allowed
    with pytest.raises(sa.exc.IntegrityError):
        request(HomeVisitStatus.BOOKED)  # a second open one
