"""Which cases a member of staff may see: a branch's staff their branch's, staff of no branch
the whole district's (StaffUser.branch empty). Checked for every case-bound back-office view."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from kiosk.platform.extensions import db
from kiosk.platform.models import Claim, Complaint, Document, DocumentPage, HomeVisitRequest

DISTRICT = ""  # the scope of staff who belong to no one branch


def branch_of_view(view_args: Mapping[str, Any]) -> str | None:
    """The branch of the case a view's URL names (by claim, document page, complaint or
    visit), in one statement; None if it names no case or no such case."""
    if "claim_id" in view_args:
        which = sa.select(Claim.branch).where(Claim.id == view_args["claim_id"])
    elif "page_id" in view_args:
        which = (
            sa.select(Claim.branch)
            .join(Document, Document.claim_id == Claim.id)
            .join(DocumentPage, DocumentPage.document_id == Document.id)
            .where(DocumentPage.id == view_args["page_id"])
        )
    elif "complaint_id" in view_args:
        which = (
            sa.select(Claim.branch)
            .join(Complaint, Complaint.claim_id == Claim.id)
            .where(Complaint.id == view_args["complaint_id"])
        )
    elif "visit_id" in view_args:
        which = (
            sa.select(Claim.branch)
            .join(HomeVisitRequest, HomeVisitRequest.claim_id == Claim.id)
            .where(HomeVisitRequest.id == view_args["visit_id"])
        )
    else:
        return None
    return db.session.scalar(which)


def may_see(scope: str, view_args: Mapping[str, Any]) -> bool:
    """Whether staff of `scope` may open the case the view names (a case of another branch
    answers as if it did not exist)."""
    if scope == DISTRICT:
        return True
    branch = branch_of_view(view_args)
    return branch is None or branch == scope
