"""The claims domain: pure Python, no Flask. Rules live here; blueprints call them."""

from kiosk.claims.benefits import HospitalStay, PolicyTerms, hospital_allowance
from kiosk.claims.calendar import is_working_day, working_days_after, working_days_between
from kiosk.claims.case_numbers import new_case_number, new_tracking_token
from kiosk.claims.eligibility import check_eligibility
from kiosk.claims.identity import IdNumber, InvalidIdNumber, parse_id_number
from kiosk.claims.masking import mask_bank_account, mask_id_number, mask_name, mask_phone
from kiosk.claims.states import CaseState, Role, TransitionNotAllowed, check_transition
from kiosk.claims.types import (
    ClaimType,
    DocumentKind,
    Priority,
    Relationship,
    Source,
    required_documents,
)

__all__ = [
    "CaseState",
    "ClaimType",
    "DocumentKind",
    "HospitalStay",
    "IdNumber",
    "InvalidIdNumber",
    "PolicyTerms",
    "Priority",
    "Relationship",
    "Role",
    "Source",
    "TransitionNotAllowed",
    "check_eligibility",
    "check_transition",
    "hospital_allowance",
    "is_working_day",
    "mask_bank_account",
    "mask_id_number",
    "mask_name",
    "mask_phone",
    "new_case_number",
    "new_tracking_token",
    "parse_id_number",
    "required_documents",
    "working_days_after",
    "working_days_between",
]
