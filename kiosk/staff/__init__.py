"""The back office at /staff: claims handlers (初审), approvers (审批) and administrators."""

from kiosk.staff import (  # noqa: F401  (registers views)
    admin,
    aftercare,
    audit,
    auth,
    branches,
    cases,
    devices,
    paper,
    reports,
    retention,
    roster,
    work,
)
from kiosk.staff.blueprint import bp

__all__ = ["bp"]
