"""What the case page offers a member of staff: a rule of the domain, not of the view."""

from __future__ import annotations

from kiosk.claims.actions import case_actions
from kiosk.claims.states import CaseState, Role


def offered(state: CaseState, role: Role, *, gave_first_approval: bool = False) -> set[str]:
    actions = case_actions(state, role, gave_first_approval=gave_first_approval)
    return {name for name, allowed in vars(actions).items() if allowed}


def test_a_new_case_can_be_asked_for_documents_decided_scanned_and_marked_complex() -> None:
    assert offered(CaseState.SUBMITTED, Role.HANDLER) == {
        "request",
        "approve",
        "decline",
        "scan",
        "complex",
    }


def test_the_second_approval_is_the_approvers_and_never_the_first_approvers_own() -> None:
    assert offered(CaseState.AWAITING_APPROVAL, Role.HANDLER) == {"complex"}
    approver = offered(CaseState.AWAITING_APPROVAL, Role.APPROVER)
    assert {"approve", "decline", "back"} <= approver
    first = offered(CaseState.AWAITING_APPROVAL, Role.APPROVER, gave_first_approval=True)
    assert "approve" not in first and {"decline", "back"} <= first


def test_only_an_approved_case_is_paid_and_only_an_approver_reopens_a_declined_one() -> None:
    assert offered(CaseState.APPROVED, Role.HANDLER) == {"pay"}
    assert offered(CaseState.DECLINED, Role.HANDLER) == set()
    assert offered(CaseState.DECLINED, Role.APPROVER) == {"back"}
    assert offered(CaseState.PAID, Role.APPROVER) == set()


def test_documents_can_be_scanned_while_they_are_awaited() -> None:
    assert offered(CaseState.DOCUMENTS_NEEDED, Role.HANDLER) == {"scan"}
