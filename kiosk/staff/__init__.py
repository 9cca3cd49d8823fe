"""The back office at /staff: claims handlers (初审), approvers (审批) and administrators."""

from kiosk.staff import admin, aftercare, audit, auth, cases, paper, reports, work  # noqa: F401  (registers views)
from kiosk.staff.blueprint import bp

__all__ = ["bp"]
