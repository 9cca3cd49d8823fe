"""What a receipt says: the case, masked, what is in and what is missing, what comes next."""

from __future__ import annotations

from typing import Any

from flask import current_app, render_template

from kiosk.platform.i18n import format_date
from kiosk.platform.i18n import gettext as _
from kiosk.platform.i18n import lazy_gettext as _l
from kiosk.platform.models import Claim, DocumentStatus
from kiosk.receipts.qr import qr_svg
from kiosk.services.branches import branch_of
from kiosk.services.codes import supplement_code_of
from kiosk.services.tracking import case_view
from kiosk.words import claimant as m

QR_LABEL = _l("二维码：家人用手机扫一扫，随时查看理赔进度")
PAPERS = ("80mm", "a4")


def tracking_url(claim: Claim) -> str:
    """The family's link: the public address and the token, nothing that names anyone."""
    return f"{current_app.config['PUBLIC_URL']}/t/{claim.tracking_token}"


def receipt_view(claim: Claim) -> dict[str, Any]:
    """Everything the receipt prints. The same for the first print and every reprint."""
    code = supplement_code_of(claim)
    url = tracking_url(claim)
    received = [
        str(m.DOCUMENTS[d.kind][0]) for d in claim.documents if d.status is DocumentStatus.RECEIVED
    ]
    view = case_view(claim)
    branch = branch_of(claim)
    return {
        **view,
        "insured_id": None,  # the receipt does without it, even masked
        "received": received,
        "reported_on": claim.reported_on,
        "tracking_url": url,
        "qr": qr_svg(url, str(QR_LABEL)),
        "supplement_code": f"{code[:3]} {code[3:]}",
        "branch_name": branch.name,
        "branch_phone": branch.phone,
    }


def render_receipt(claim: Claim, paper: str, *, print_button: bool = True) -> str:
    """The receipt page for `paper` ("80mm" unless "a4")."""
    return render_template(
        "receipts/receipt.html",
        paper=paper if paper in PAPERS else PAPERS[0],
        print_button=print_button,
        **receipt_view(claim),
    )


def printed_words(r: dict[str, Any]) -> dict[str, Any]:
    """The receipt's lines for the thermal printer, in the page's words and language."""
    body = [_("材料已收到：%(list)s", list="、".join(r["received"]) or _("还没有"))]
    if r["missing"]:
        body.append(_("还缺：%(list)s", list="、".join(r["missing"])))
    body.append(r["now"])
    if r["due"]:
        body.append(_("预计在 %(day)s 前完成（按工作日计算）。", day=format_date(r["due"], "long")))
    body += [
        _("补交材料码：%(code)s", code=r["supplement_code"]),
        _("到任何一个服务点的自助机，点“补交材料”，输入这6位数字。"),
    ]
    return {
        "title": _("理赔报案回执"),
        "case_number_label": _("报案号"),
        "rows": [
            (_("被保险人"), r["insured_name"]),
            (_("出了什么事"), r["claim_type"]),
            (_("报案日期"), format_date(r["reported_on"], "long")),
        ],
        "body": body,
        "scan": _("家人扫一扫，随时查看进度"),
        "footer": [r["branch_name"], _("电话") + " " + r["branch_phone"]],
    }
