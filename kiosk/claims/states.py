"""The case state machine: which state may follow which, and who may move it."""

from __future__ import annotations

from enum import StrEnum


class CaseState(StrEnum):
    """Where a case stands. AWAITING_APPROVAL is the second-level review; customers see it
    as still under review."""

    SUBMITTED = "submitted"  # 已受理
    UNDER_REVIEW = "under_review"  # 审核中
    DOCUMENTS_NEEDED = "documents_needed"  # 待补材料
    AWAITING_APPROVAL = "awaiting_approval"  # 待审批（客户看到“审核中”）
    APPROVED = "approved"  # 审核通过
    PAID = "paid"  # 已赔付
    DECLINED = "declined"  # 不予赔付

    @property
    def is_open(self) -> bool:
        return self not in (CaseState.PAID, CaseState.DECLINED)

    @property
    def as_customer_sees_it(self) -> CaseState:
        """The state shown on the tracking page and the receipt."""
        if self is CaseState.AWAITING_APPROVAL:
            return CaseState.UNDER_REVIEW
        return self


class Role(StrEnum):
    """Who acts on a case."""

    CUSTOMER = "customer"  # the insured or family, at the kiosk or the tracking page
    VOLUNTEER = "volunteer"
    SYSTEM = "system"  # background jobs
    HANDLER = "handler"  # 理赔员：初审
    APPROVER = "approver"  # 主管：审批
    ADMIN = "admin"


S, R = CaseState, Role
STAFF = frozenset({R.HANDLER, R.APPROVER})

# (from, to) -> the roles allowed to make that move. Nothing else is allowed.
TRANSITIONS: dict[tuple[CaseState, CaseState], frozenset[Role]] = {
    (S.SUBMITTED, S.UNDER_REVIEW): STAFF | {R.SYSTEM},
    (S.SUBMITTED, S.DOCUMENTS_NEEDED): STAFF | {R.SYSTEM},
    (S.UNDER_REVIEW, S.DOCUMENTS_NEEDED): STAFF,
    (S.DOCUMENTS_NEEDED, S.UNDER_REVIEW): STAFF | {R.CUSTOMER, R.VOLUNTEER, R.SYSTEM},
    (S.UNDER_REVIEW, S.APPROVED): STAFF,  # when one level is enough (approval.py decides)
    (S.UNDER_REVIEW, S.AWAITING_APPROVAL): STAFF,
    (S.AWAITING_APPROVAL, S.APPROVED): frozenset({R.APPROVER}),
    (S.AWAITING_APPROVAL, S.UNDER_REVIEW): frozenset({R.APPROVER}),  # sent back
    (S.UNDER_REVIEW, S.DECLINED): STAFF,
    (S.AWAITING_APPROVAL, S.DECLINED): frozenset({R.APPROVER}),
    (S.APPROVED, S.PAID): STAFF,
    (S.DECLINED, S.UNDER_REVIEW): frozenset({R.APPROVER}),  # reopened on review or complaint
}

INITIAL_STATE = CaseState.SUBMITTED


class TransitionNotAllowed(Exception):
    """The move is not in TRANSITIONS, or this role may not make it."""

    def __init__(self, current: CaseState, target: CaseState, role: Role) -> None:
        super().__init__(f"{role.value} may not move a case from {current.value} to {target.value}")
        self.current, self.target, self.role = current, target, role


def allowed_targets(current: CaseState, role: Role) -> list[CaseState]:
    """The states this role may move a case to from `current`."""
    return [to for (frm, to), roles in TRANSITIONS.items() if frm is current and role in roles]


def check_transition(current: CaseState, target: CaseState, role: Role) -> None:
    """Raise TransitionNotAllowed unless `role` may move a case from `current` to `target`."""
    if role not in TRANSITIONS.get((current, target), frozenset()):
        raise TransitionNotAllowed(current, target, role)
