"""What a member of staff may do with a case, from its state, their role and whether they
gave the first of two approvals: the buttons the case page offers (the services check each
action again when it is taken)."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.claims.states import CaseState, Role, allowed_targets

IN_REVIEW = (CaseState.SUBMITTED, CaseState.UNDER_REVIEW)
# Paper scans can be added while the documents are still being gathered or read.
SCANNABLE = (CaseState.SUBMITTED, CaseState.UNDER_REVIEW, CaseState.DOCUMENTS_NEEDED)
# A case can be marked complex (or no longer) until it is decided.
COMPLEX_STATES = (CaseState.SUBMITTED, CaseState.UNDER_REVIEW, CaseState.AWAITING_APPROVAL)


@dataclass(frozen=True)
class CaseActions:
    request: bool  # 要求补材料
    approve: bool
    decline: bool
    pay: bool
    back: bool  # back to review
    scan: bool  # add a paper scan
    complex: bool  # mark complex or not


def case_actions(state: CaseState, role: Role, *, gave_first_approval: bool) -> CaseActions:
    """The actions open to this role at this state. Whoever gave a case's first approval may
    not give its second."""
    targets = set(allowed_targets(state, role))
    return CaseActions(
        request=state in IN_REVIEW
        and bool(targets & {CaseState.DOCUMENTS_NEEDED, CaseState.UNDER_REVIEW}),
        approve=state in IN_REVIEW or (CaseState.APPROVED in targets and not gave_first_approval),
        decline=CaseState.DECLINED in targets or state is CaseState.SUBMITTED,
        pay=CaseState.PAID in targets,
        back=state in (CaseState.AWAITING_APPROVAL, CaseState.DECLINED)
        and CaseState.UNDER_REVIEW in targets,
        scan=state in SCANNABLE,
        complex=state in COMPLEX_STATES,
    )
