"""The data: SQLAlchemy 2 typed models. Rules live in kiosk.claims; these hold facts.

ID numbers, phone numbers, bank accounts, addresses and drafts are encrypted at rest
(EncryptedText, EncryptedJSON); the ID number has a keyed hash beside it for look-ups.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from flask import current_app, g, has_app_context
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from sqlalchemy.schema import CreateIndex

from kiosk.claims.states import CaseState, Role
from kiosk.claims.types import (
    ClaimType,
    DocumentKind,
    Exclusion,
    Priority,
    Relationship,
    Source,
    TransportMode,
)
from kiosk.platform.crypto import Vault
from kiosk.platform.extensions import Base, db

# Every table derives from Flask-SQLAlchemy's db.Model, made from Base; type checkers are
# shown Base itself, whose typed columns they can read (db.Model is built at run time).
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model


def utcnow() -> datetime:
    return datetime.now(UTC)


def _vault() -> Vault:
    return current_app.extensions["kiosk.vault"]


def device_of_request() -> int | None:
    """The enrolled tablet this request came from (set by the kiosk's check of its device
    credential), recorded by default on the drafts, claims and audit rows it makes."""
    return g.get("device_id") if has_app_context() else None


class EncryptedText(sa.TypeDecorator[str]):
    """A string stored encrypted (Fernet: AES-128-CBC + HMAC-SHA256)."""

    impl = sa.LargeBinary
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: sa.Dialect) -> bytes | None:
        return None if value is None else _vault().encrypt(value.encode())

    def process_result_value(self, value: bytes | None, dialect: sa.Dialect) -> str | None:
        return None if value is None else _vault().decrypt(bytes(value)).decode()


class EncryptedJSON(sa.TypeDecorator[Any]):
    """A JSON document stored encrypted: drafts hold ID numbers and bank accounts."""

    impl = sa.LargeBinary
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> bytes | None:
        if value is None:
            return None
        return _vault().encrypt(json.dumps(value, ensure_ascii=False).encode())

    def process_result_value(self, value: bytes | None, dialect: sa.Dialect) -> Any:
        return None if value is None else json.loads(_vault().decrypt(bytes(value)))


class UTCDateTime(sa.TypeDecorator[datetime]):
    """Timestamps always stored in UTC and read back timezone-aware, on SQLite too."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use an aware one (utcnow())")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def enum_column(enum: type[Enum], **kwargs: Any) -> Any:
    """A string column checked against a Python enum's values (portable, no native ENUM)."""
    return mapped_column(
        sa.Enum(
            enum,
            native_enum=False,
            create_constraint=False,
            length=32,
            values_callable=lambda e: [m.value for m in e],
            validate_strings=True,
        ),
        **kwargs,
    )


@compiles(CreateIndex)
def partial_index_where(
    create: CreateIndex, compiler: sa.sql.compiler.DDLCompiler, **kw: Any
) -> str:
    """CREATE INDEX with the WHERE of an index's info["where"], on SQLite and PostgreSQL
    alike. SQLAlchemy's own sqlite_where and postgresql_where would load both dialects into
    every process that imports the models (ADR 0056)."""
    sql = compiler.visit_create_index(create, **kw)
    where = create.element.info.get("where")
    return f"{sql} WHERE {where}" if where else sql


Money = sa.Numeric(12, 2)


class Person(Model):
    """Someone we hold details of: the insured person, or the family member who reports."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    id_number: Mapped[str | None] = mapped_column(EncryptedText)
    id_number_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    birth_date: Mapped[date | None]
    sex: Mapped[str | None] = mapped_column(sa.String(1))
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    address: Mapped[str | None] = mapped_column(EncryptedText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Volunteer(Model):
    """A community volunteer (社区志愿者) who signs in at the kiosk with a code staff issued."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    community: Mapped[str] = mapped_column(sa.String(128), default="")
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Branch(Model):
    """A service point of the district: its name, phone, address and hours, as printed on
    receipts and shown at the foot of its kiosks' pages."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64), unique=True)
    phone: Mapped[str] = mapped_column(sa.String(32))
    address: Mapped[str] = mapped_column(sa.String(128), default="")
    opening_hours: Mapped[str] = mapped_column(sa.String(64), default="")
    district: Mapped[str] = mapped_column(sa.String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Device(Model):
    """A tablet (or mini-PC) enrolled to a branch with a one-time code. Its browser keeps a
    signed credential whose secret is kept here only as a hash; revoked, it is refused at once.
    Devices are never deleted: claims and audit rows name them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branch.id"), index=True)
    secret_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    printer: Mapped[str] = mapped_column(sa.String(128), default="")  # empty: KIOSK_PRINTER
    # How its printer last answered: "" fine, else a PrinterProblem reason (off, no_paper...)
    printer_problem: Mapped[str] = mapped_column(sa.String(16), default="", server_default="")
    printer_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    enrolled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    branch: Mapped[Branch] = relationship(lazy="joined")


class EnrolCode(Model):
    """A one-time enrolment code staff made for a branch; only its keyed hash is kept. Used
    once, within its hours, it becomes a Device."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branch.id"))
    device_name: Mapped[str] = mapped_column(sa.String(64))
    made_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    device_id: Mapped[int | None] = mapped_column(sa.ForeignKey("device.id"))

    branch: Mapped[Branch] = relationship()


class PolicyVersion(Model):
    """A district's policy for a period, as loaded from its reviewed file (kiosk.claims.policies).
    Never edited once loaded: a correction is the next version of the same period, and the
    claims judged under the earlier one keep it."""

    id: Mapped[int] = mapped_column(primary_key=True)
    district: Mapped[str] = mapped_column(sa.String(64))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    version: Mapped[int] = mapped_column(default=1)
    region_codes: Mapped[Any] = mapped_column(sa.JSON)
    premium_per_person: Mapped[Decimal] = mapped_column(Money)
    insured: Mapped[int]
    terms: Mapped[Any] = mapped_column(sa.JSON)  # kiosk.claims.policies.terms_as_data
    file_sha256: Mapped[str] = mapped_column(sa.String(64))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    loaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))

    __table_args__ = (sa.UniqueConstraint("district", "starts_on", "version"),)


class RosterEntry(Model):
    """One insured resident as the civil-affairs bureau lists them (the 参保名册). Found by
    the keyed hash of the ID number; the number and the address kept encrypted. A person
    left out of a later list is kept, with the day the list stopped naming them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    id_number: Mapped[str] = mapped_column(EncryptedText)
    id_number_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    address: Mapped[str] = mapped_column(EncryptedText)
    listed_on: Mapped[date]  # covered from the 1st of the following month (DOMAIN.md)
    removed_on: Mapped[date | None]  # the import that no longer listed them
    # A keyed hash of name, address and date: a row the same as last month's is left alone.
    row_hash: Mapped[str] = mapped_column(sa.String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class StaffRole(StrEnum):
    HANDLER = Role.HANDLER.value  # 理赔员（初审）
    APPROVER = Role.APPROVER.value  # 主管（审批）
    ADMIN = Role.ADMIN.value


class StaffUser(Model):
    """A back-office account. Passwords are argon2 hashes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(64))
    role: Mapped[StaffRole] = enum_column(StaffRole)
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    must_change_password: Mapped[bool] = mapped_column(default=True)
    active: Mapped[bool] = mapped_column(default=True)
    branch: Mapped[str] = mapped_column(sa.String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginThrottle(Model):
    """Failed logins from one address at one username, or from one address at any: how many,
    and until when that address must wait. The key is a keyed hash, so neither a username
    nor an address is kept here in clear."""

    key: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    failures: Mapped[int] = mapped_column()
    wait_until: Mapped[datetime] = mapped_column(UTCDateTime)  # no try before this
    forget_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # then none counted
    version: Mapped[int] = mapped_column(default=1)

    # Two tries at once from one address: one counts, the other reads the count again.
    __mapper_args__ = {"version_id_col": version}


class StaffSession(Model):
    """A staff login, kept on the server: the cookie holds only its random token, a new one at
    every login; it ends after 30 minutes idle, 12 hours in all, or at logout."""

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ip: Mapped[str] = mapped_column(sa.String(45), default="")

    staff: Mapped[StaffUser] = relationship()


class Claim(Model):
    """A reported claim (a case), from submission to payment or decline."""

    id: Mapped[int] = mapped_column(primary_key=True)
    case_number: Mapped[str] = mapped_column(sa.String(16), unique=True)
    tracking_token: Mapped[str] = mapped_column(EncryptedText)  # kept for reprints
    tracking_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    tracking_revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # link turned off
    # 补交码: six digits on the receipt for adding documents at a kiosk while the case is open.
    supplement_code: Mapped[str | None] = mapped_column(EncryptedText)  # kept for reprints
    supplement_code_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    claim_type: Mapped[ClaimType] = enum_column(ClaimType)
    state: Mapped[CaseState] = enum_column(CaseState, index=True)
    priority: Mapped[Priority] = enum_column(Priority)
    source: Mapped[Source] = enum_column(Source)
    branch: Mapped[str] = mapped_column(sa.String(64), default="")
    # The enrolled tablet it was made at (None: staff entered it); a plain number (ADR 0042).
    device_id: Mapped[int | None] = mapped_column(default=device_of_request, index=True)
    # The policy version it is judged under (None: the settings' terms); a plain number too.
    policy_id: Mapped[int | None] = mapped_column(index=True)

    insured_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id"))
    reporter_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id"))
    reporter_relationship: Mapped[Relationship] = enum_column(Relationship)
    assisted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("volunteer.id"))
    entered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))

    accident_date: Mapped[date]
    accident_place: Mapped[str] = mapped_column(sa.String(32), default="")
    accident_cause: Mapped[str] = mapped_column(sa.String(32), default="")
    accident_description: Mapped[str] = mapped_column(sa.Text, default="")
    consequence_date: Mapped[date | None]  # death, or disability assessment
    disability_grade: Mapped[int | None]
    transport_mode: Mapped[TransportMode | None] = enum_column(TransportMode, nullable=True)

    bank_name: Mapped[str] = mapped_column(sa.String(64), default="")
    bank_account_holder: Mapped[str] = mapped_column(sa.String(64), default="")
    bank_account_number: Mapped[str | None] = mapped_column(EncryptedText)
    sensitive_consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    estimated_amount: Mapped[Decimal | None] = mapped_column(Money)
    approved_amount: Mapped[Decimal | None] = mapped_column(Money)
    paid_amount: Mapped[Decimal | None] = mapped_column(Money)
    paid_on: Mapped[date | None]
    payment_reference: Mapped[str] = mapped_column(sa.String(64), default="")
    decline_reason: Mapped[Exclusion | None] = enum_column(Exclusion, nullable=True)
    decline_note: Mapped[str] = mapped_column(sa.Text, default="")
    disputed: Mapped[bool] = mapped_column(default=False)
    # 重大案件, marked by staff: kept 10 years after closing like death and disability
    major: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # 复杂案件: why review takes longer, in words the family reads, and the latest day it
    # will be done (at most 30 working days after the documents were complete).
    complex_reason: Mapped[str | None] = mapped_column(sa.Text)
    complex_until: Mapped[date | None]

    reported_on: Mapped[date]  # the paper form's date for paper claims
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The SLA deadline of the current step (None: the customer's move, or closed); kept with
    # every move so the work queue sorts on an index.
    due_on: Mapped[date | None] = mapped_column(index=True)
    # indexed: the dashboard's refresh asks for the latest change to know whether to recount
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=utcnow, onupdate=utcnow, index=True
    )
    version: Mapped[int] = mapped_column(default=1)
    # Counts changes to the rows the family's page shows around the claim (page_version
    # below): its rendered page is kept while this and `version` stay the same.
    page_version: Mapped[int] = mapped_column(default=0, server_default="0")

    insured: Mapped[Person] = relationship(foreign_keys=[insured_id])
    reporter: Mapped[Person | None] = relationship(foreign_keys=[reporter_id])
    assisted_by: Mapped[Volunteer | None] = relationship()
    documents: Mapped[list[Document]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="Document.id"
    )
    events: Mapped[list[StatusEvent]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", order_by="StatusEvent.id"
    )

    # Two staff saving the same case: the second write fails instead of overwriting.
    __mapper_args__ = {"version_id_col": version}
    # The work queue: open states, what is due first; counts of overdue cases per state.
    __table_args__ = (sa.Index("ix_claim_state_due_on", "state", "due_on"),)


class DocumentStatus(StrEnum):
    RECEIVED = "received"  # at least one page uploaded
    MISSING = "missing"  # 以后再补: to be brought later
    REQUESTED = "requested"  # asked for by staff

    @property
    def outstanding(self) -> bool:
        """Still to be brought: left for later at the kiosk, or asked for by staff."""
        return self in (DocumentStatus.MISSING, DocumentStatus.REQUESTED)


class Document(Model):
    """One required or requested item of a claim, with its pages."""

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(sa.ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DocumentKind] = enum_column(DocumentKind)
    status: Mapped[DocumentStatus] = enum_column(DocumentStatus)
    request_message: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="documents")
    pages: Mapped[list[DocumentPage]] = relationship(
        back_populates="document", cascade="all, delete-orphan", order_by="DocumentPage.id"
    )


class OcrStatus(StrEnum):
    NOT_NEEDED = "not_needed"
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class DocumentPage(Model):
    """One photo of a document, stored encrypted under a random name, with what OCR read."""

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        sa.ForeignKey("document.id", ondelete="CASCADE"), index=True
    )
    stored_name: Mapped[str] = mapped_column(sa.String(32), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(32))
    size_bytes: Mapped[
        int
    ]  # as uploaded (kiosk.services.photos): the prepared JPEG is about as large
    sha256: Mapped[str] = mapped_column(sa.String(64))
    ocr_status: Mapped[OcrStatus] = enum_column(OcrStatus)
    ocr_fields: Mapped[Any | None] = mapped_column(EncryptedJSON)  # value, confidence, box
    confirmed_fields: Mapped[Any | None] = mapped_column(EncryptedJSON)
    uploaded_via: Mapped[Source | None] = enum_column(Source, nullable=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    document: Mapped[Document] = relationship(back_populates="pages")

    # The same photo twice in one document is a double tap, never a second page.
    __table_args__ = (sa.UniqueConstraint("document_id", "sha256", name="uq_document_page_photo"),)


class ReadingStatus(StrEnum):
    QUEUED = "queued"
    READING = "reading"
    DONE = "done"
    FAILED = "failed"


class OcrReading(Model):
    """An OCR job for one uploaded photo and what it read; the photo's file name is its key.

    Readings start when a photo is taken (before the claim exists), so they are keyed by the
    stored photo, not by a DocumentPage. `fields` holds value, confidence, box, checks and
    doubts per field; `page_file` the prepared page the boxes refer to, for showing crops.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    photo_file: Mapped[str] = mapped_column(sa.String(32), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(32))  # receipt, id_card, discharge_summary
    status: Mapped[ReadingStatus] = enum_column(ReadingStatus)
    attempts: Mapped[int] = mapped_column(default=0)
    fields: Mapped[Any | None] = mapped_column(EncryptedJSON)
    page_file: Mapped[str | None] = mapped_column(sa.String(32))
    problem: Mapped[str | None] = mapped_column(sa.String(64))
    engine: Mapped[str | None] = mapped_column(sa.String(16))
    seconds: Mapped[float | None]
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class StatusEvent(Model):
    """A state change of a case: who, when, why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(sa.ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[CaseState | None] = enum_column(CaseState, nullable=True)
    to_state: Mapped[CaseState] = enum_column(CaseState)
    actor_role: Mapped[Role] = enum_column(Role)
    actor_staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    actor_volunteer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("volunteer.id"))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    claim: Mapped[Claim] = relationship(back_populates="events")


class Draft(Model):
    """The server-side state of an unfinished intake: every answer saved as it is given."""

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # random, in the session
    answers: Mapped[Any] = mapped_column(EncryptedJSON, default=dict)
    step: Mapped[str] = mapped_column(sa.String(32), default="start")
    volunteer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("volunteer.id"))
    claim_id: Mapped[int | None] = mapped_column(sa.ForeignKey("claim.id"), unique=True)
    device_id: Mapped[int | None] = mapped_column(default=device_of_request)  # begun at
    # 续办码: a six-digit code shown when someone must leave; only its keyed hash is kept.
    resume_code_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class AuditEvent(Model):
    """Every operation on a case or on personal data, and every look at unmasked data."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    actor_role: Mapped[Role] = enum_column(Role)
    actor_staff_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))
    actor_volunteer_id: Mapped[int | None] = mapped_column(sa.ForeignKey("volunteer.id"))
    action: Mapped[str] = mapped_column(sa.String(64))
    claim_id: Mapped[int | None] = mapped_column(sa.ForeignKey("claim.id"), index=True)
    detail: Mapped[Any] = mapped_column(sa.JSON, default=dict)  # never sensitive values
    ip: Mapped[str] = mapped_column(sa.String(45), default="")  # from where
    device_id: Mapped[int | None] = mapped_column(default=device_of_request)  # which tablet


class CaseNote(Model):
    """An internal note on a case, for staff only."""

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(sa.ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int] = mapped_column(sa.ForeignKey("staff_user.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    text: Mapped[str] = mapped_column(sa.Text)

    staff: Mapped[StaffUser] = relationship()


class NotificationStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by one sender until claimed_until
    SENT = "sent"  # the gateway took it
    RECORDED = "recorded"  # no gateway is set: written to the log only
    FAILED = "failed"  # will be retried at next_attempt_at
    DEAD = "dead"  # gave up; staff see it


class Notification(Model):
    """The outbox: a message for a phone, written in the same transaction as its cause."""

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(sa.ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    dedupe_key: Mapped[str] = mapped_column(sa.String(128), unique=True)
    recipient: Mapped[str] = mapped_column(sa.String(16))  # "insured" or "reporter"
    phone: Mapped[str] = mapped_column(EncryptedText)
    body: Mapped[str] = mapped_column(sa.Text)
    status: Mapped[NotificationStatus] = enum_column(NotificationStatus, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # None: at once
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # while SENDING


class HalfDay(StrEnum):
    MORNING = "morning"  # 上午
    AFTERNOON = "afternoon"  # 下午


class HomeVisitStatus(StrEnum):
    REQUESTED = "requested"
    BOOKED = "booked"
    DONE = "done"
    CANCELLED = "cancelled"


class HomeVisitRequest(Model):
    """上门服务: a visit for someone who cannot come to a branch."""

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int | None] = mapped_column(sa.ForeignKey("claim.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    phone: Mapped[str] = mapped_column(EncryptedText)
    address: Mapped[str] = mapped_column(EncryptedText)
    preferred_date: Mapped[date | None]
    preferred_half_day: Mapped[HalfDay | None] = enum_column(HalfDay, nullable=True)
    status: Mapped[HomeVisitStatus] = enum_column(HomeVisitStatus)
    booked_for: Mapped[datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    assigned_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))

    # One open request per case, whoever asks at the same moment.
    __table_args__ = (
        sa.Index(
            "uq_home_visit_request_open",
            "claim_id",
            unique=True,
            info={"where": "status IN ('requested', 'booked')"},  # see partial_index_where
        ),
    )


class ComplaintStatus(StrEnum):
    RECEIVED = "received"
    ACKNOWLEDGED = "acknowledged"  # within 24 hours
    ANSWERED = "answered"  # within 7 working days


class Complaint(Model):
    """A complaint about a case, with a callback phone."""

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(sa.ForeignKey("claim.id"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    callback_phone: Mapped[str | None] = mapped_column(EncryptedText)
    status: Mapped[ComplaintStatus] = enum_column(ComplaintStatus)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answer: Mapped[str] = mapped_column(sa.Text, default="")
    assigned_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("staff_user.id"))


class SatisfactionAnswer(Model):
    """One answer per closed case: five faces, 1 (very unhappy) to 5, and a comment."""

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(sa.ForeignKey("claim.id"), unique=True)
    score: Mapped[int]
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (sa.CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),)


class DashboardSnapshot(Model):
    """The dashboard's figures as last counted by the worker (kiosk.services.dashboard), so a
    page view reads one row however many claims there are. Counts only: nothing personal."""

    scope: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # "": every branch
    figures: Mapped[Any] = mapped_column(sa.JSON)
    counted_from: Mapped[str] = mapped_column(sa.String(128))  # what changed since: recount
    counted_at: Mapped[datetime] = mapped_column(UTCDateTime)


class PurgedCase(Model):
    """What is kept of a case purged at the end of its retention period: nothing personal,
    only what the district's statistics need (kiosk.services.retention)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_type: Mapped[ClaimType] = enum_column(ClaimType)
    final_state: Mapped[CaseState] = enum_column(CaseState)
    branch: Mapped[str] = mapped_column(sa.String(64), default="")
    policy_id: Mapped[int | None]
    reported_month: Mapped[str] = mapped_column(sa.String(7))  # 2021-03
    closed_year: Mapped[int]
    paid_amount: Mapped[Decimal | None] = mapped_column(Money)
    purged_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SubmittedForm(Model):
    """A form already acted on, by its idempotency key (kiosk.platform.once): the same form posted
    again (a double tap, a reload, a retry) is answered again, not done twice."""

    key: Mapped[str] = mapped_column(sa.String(128), primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


# What the tracking page shows besides the claim's own row: a change to one of these bumps
# its claim's page_version, so that a page kept rendered is not shown once it is out of date.
SHOWN_AROUND_A_CLAIM = (Document, StatusEvent, Complaint, HomeVisitRequest, SatisfactionAnswer)

# The claim table bare, without the model's onupdate: a bump leaves updated_at alone (the
# dashboard's worker recounts when it moves) and the version staff's writes are checked by.
_CLAIM_PAGE = sa.table(
    "claim", *(sa.column(name) for name in ("id", "insured_id", "reporter_id", "page_version"))
)


MADE_CLAIMS = "kiosk.claims_made"  # session.info: the ids of the claims this transaction made


@sa.event.listens_for(Session, "after_commit")
@sa.event.listens_for(Session, "after_rollback")
def _forget_made_claims(session: Session) -> None:
    session.info.pop(MADE_CLAIMS, None)


@sa.event.listens_for(Session, "after_flush")
def _bump_page_versions(session: Session, _context: Any) -> None:
    """In the flush's own transaction; not the claim's `version`, which guards staff's writes
    against each other and must not fail because the family added a photo meanwhile. A claim
    made in this transaction has no page yet: what is made with it bumps nothing."""
    made = session.info.setdefault(MADE_CLAIMS, set())
    made.update(row.id for row in session.new if isinstance(row, Claim))
    made_documents = {
        row.id for row in session.new if isinstance(row, Document) and row.claim_id in made
    }
    claims: set[int] = set()
    documents: set[int] = set()
    people: set[int] = set()
    for row in (*session.dirty, *session.deleted):
        if isinstance(row, Person):
            people.add(row.id)
    for row in (*session.new, *session.dirty, *session.deleted):
        if isinstance(row, SHOWN_AROUND_A_CLAIM) and row.claim_id is not None:
            claims.add(row.claim_id)
        elif isinstance(row, DocumentPage):
            documents.add(row.document_id)
    claims -= made
    documents -= made_documents
    if not (claims or documents or people):
        return
    claim = _CLAIM_PAGE
    which = [claim.c.id.in_(sorted(claims))] if claims else []
    if documents:
        shown = sa.select(Document.claim_id).where(Document.id.in_(sorted(documents)))
        which.append(claim.c.id.in_(shown))
    if people:
        which += [claim.c.insured_id.in_(sorted(people)), claim.c.reporter_id.in_(sorted(people))]
    session.connection().execute(
        claim.update().where(sa.or_(*which)).values(page_version=claim.c.page_version + 1)
    )
