import itertools

import pytest

from kiosk.claims.states import (
    TRANSITIONS,
    CaseState,
    Role,
    TransitionNotAllowed,
    allowed_targets,
    check_transition,
)
from kiosk.claims.types import ClaimType, DocumentKind, required_documents

S, R = CaseState, Role


def test_happy_path_through_two_level_approval() -> None:
    path = [
        (S.SUBMITTED, S.UNDER_REVIEW, R.HANDLER),
        (S.UNDER_REVIEW, S.DOCUMENTS_NEEDED, R.HANDLER),
        (S.DOCUMENTS_NEEDED, S.UNDER_REVIEW, R.CUSTOMER),
        (S.UNDER_REVIEW, S.AWAITING_APPROVAL, R.HANDLER),
        (S.AWAITING_APPROVAL, S.APPROVED, R.APPROVER),
        (S.APPROVED, S.PAID, R.HANDLER),
    ]
    for current, target, role in path:
        check_transition(current, target, role)


@pytest.mark.parametrize(
    ("current", "target", "role"),
    [
        (S.AWAITING_APPROVAL, S.APPROVED, R.HANDLER),  # the second level is a supervisor's
        (S.SUBMITTED, S.APPROVED, R.APPROVER),  # nothing is approved unreviewed
        (S.UNDER_REVIEW, S.APPROVED, R.CUSTOMER),
        (S.PAID, S.UNDER_REVIEW, R.ADMIN),  # paid is final
        (S.DECLINED, S.UNDER_REVIEW, R.HANDLER),  # reopening needs an approver
        (S.UNDER_REVIEW, S.UNDER_REVIEW, R.HANDLER),
        (S.APPROVED, S.PAID, R.VOLUNTEER),
    ],
)
def test_forbidden_moves(current: CaseState, target: CaseState, role: Role) -> None:
    with pytest.raises(TransitionNotAllowed):
        check_transition(current, target, role)


def test_paid_is_final_and_every_state_is_reachable() -> None:
    assert all(frm is not S.PAID for frm, _ in TRANSITIONS)
    reachable = {S.SUBMITTED} | {to for _, to in TRANSITIONS}
    assert reachable == set(CaseState)


def test_customers_and_volunteers_only_send_a_case_back_to_review() -> None:
    for state, role in itertools.product(CaseState, (R.CUSTOMER, R.VOLUNTEER)):
        expected = [S.UNDER_REVIEW] if state is S.DOCUMENTS_NEEDED else []
        assert allowed_targets(state, role) == expected


def test_customers_see_second_level_review_as_under_review() -> None:
    assert S.AWAITING_APPROVAL.as_customer_sees_it is S.UNDER_REVIEW
    assert S.PAID.as_customer_sees_it is S.PAID
    assert not S.PAID.is_open and not S.DECLINED.is_open and S.DOCUMENTS_NEEDED.is_open


def test_required_documents_per_claim_type() -> None:
    medical = required_documents(ClaimType.MEDICAL)
    assert medical == (
        DocumentKind.INSURED_ID_CARD,
        DocumentKind.MEDICAL_RECEIPT,
        DocumentKind.MEDICAL_RECORD,
        DocumentKind.BANK_ACCOUNT,
    )
    allowance = required_documents(ClaimType.HOSPITAL_ALLOWANCE, claimant_is_insured=False)
    assert DocumentKind.CLAIMANT_ID_CARD in allowance
    assert DocumentKind.DISCHARGE_SUMMARY in allowance
    death = required_documents(ClaimType.DEATH)
    assert {
        DocumentKind.DEATH_CERTIFICATE,
        DocumentKind.HOUSEHOLD_DEREGISTRATION,
        DocumentKind.BENEFICIARY_ID,
        DocumentKind.CLAIMANT_ID_CARD,
    } <= set(death)
    transport = required_documents(ClaimType.TRANSPORT_DEATH)
    assert DocumentKind.TRAVEL_TICKET in transport
    for claim_type in ClaimType:
        documents = required_documents(claim_type)
        assert documents[0] is DocumentKind.INSURED_ID_CARD
        assert documents[-1] is DocumentKind.BANK_ACCOUNT
        assert len(set(documents)) == len(documents)


def test_every_bank_on_screen_has_its_recorded_name() -> None:
    from kiosk.claims.types import BANKS
    from kiosk.words.claimant import BANKS as ON_SCREEN

    assert set(ON_SCREEN) == set(BANKS) | {"other"}
