"""Every word the tracking page shows that is not in its template."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ..claims.states import CaseState
from ..claims.types import Exclusion

# The current step, in one plain sentence.
NOW = {
    CaseState.SUBMITTED: _l("我们已经收到报案，正在安排审核。"),
    CaseState.UNDER_REVIEW: _l("工作人员正在审核材料。"),
    CaseState.DOCUMENTS_NEEDED: _l("还缺一些材料。补齐以后，我们会接着审核。"),
    CaseState.APPROVED: _l("审核通过了，正在安排打款到您的银行账户。"),
    CaseState.PAID: _l("赔款已经打到您的银行账户。"),
    CaseState.DECLINED: _l("很抱歉，这次的情况不在保险赔付范围内。"),
}

DECLINE_REASONS = {
    Exclusion.SUDDEN_DEATH: _l("猝死是疾病引起的，不属于意外伤害。"),
    Exclusion.INTENTIONAL_CRIME: _l("因故意犯罪造成的伤害，保险不赔。"),
    Exclusion.SUICIDE: _l("自杀或故意自伤，保险不赔。"),
    Exclusion.FIGHTING: _l("因打架斗殴造成的伤害，保险不赔。"),
    Exclusion.DRUNKENNESS: _l("因醉酒造成的伤害，保险不赔。"),
    Exclusion.DENTAL: _l("牙齿保健和修复的住院，不在保障范围内。"),
    Exclusion.NOT_ACCIDENT: _l("这次是疾病，不是意外伤害，保险不赔。"),
    Exclusion.NOT_INSURED: _l("被保险人不在这份保险的保障范围内（年龄、户籍或保障期）。"),
}

CASE_NUMBER_EMPTY = _l("请输入报案号（10位数字，在报案回执上）")
ID_LAST_SIX_EMPTY = _l("请输入老人身份证号码的最后6位")
NOT_FOUND = _l("报案号或身份证后6位不对，请对照报案回执和身份证再试一次")
