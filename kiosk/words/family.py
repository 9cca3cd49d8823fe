"""Every word the tracking page shows that is not in its template."""

from __future__ import annotations

from datetime import date

from kiosk.claims.states import CaseState
from kiosk.claims.types import Exclusion
from kiosk.claims.validation import Problem
from kiosk.platform.i18n import format_date
from kiosk.platform.i18n import lazy_gettext as _l
from kiosk.platform.models import ComplaintStatus, HalfDay
from kiosk.words.claimant import SHORT_DAY_PATTERN

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

# 投诉或建议
COMPLAINT_ERRORS = {
    Problem.EMPTY: _l("请写下您的意见"),
    Problem.LENGTH: _l("请多写几个字，至少%(min)s个字，我们才能明白"),
    Problem.TOO_LONG: _l("最多写%(max)s个字，您写了%(count)s个"),
}
COMPLAINT_RECEIVED = _l("已收到您的意见。24小时内会有工作人员打电话给您，%(day)s前给您答复。")
COMPLAINT_STATUS = _l("您%(received)s提的意见：%(status)s")
COMPLAINT_STATES = {
    ComplaintStatus.RECEIVED: _l("已收到，%(day)s前答复"),
    ComplaintStatus.ACKNOWLEDGED: _l("工作人员已联系，%(day)s前答复"),
    ComplaintStatus.ANSWERED: _l("已答复"),
}

# 满意度
FACES = {
    1: _l("很不满意"),
    2: _l("不满意"),
    3: _l("一般"),
    4: _l("满意"),
    5: _l("很满意"),
}
COMMENT_ERRORS = {Problem.TOO_LONG: _l("最多写%(max)s个字，您写了%(count)s个")}
SATISFACTION_THANKS = _l("谢谢您的评价！")

# 上门服务
ADDRESS_ERRORS = {
    Problem.EMPTY: _l("请写上门的地址"),
    Problem.LENGTH: _l("地址太短了，请写到门牌号，例如：某某街道某某小区3栋201"),
    Problem.TOO_LONG: _l("地址最多%(max)s个字，您写了%(count)s个"),
}
VISIT_SLOT_EMPTY = _l("请选一个方便的时间")
VISIT_REQUESTED = _l("已收到上门服务的申请。工作人员会在1个工作日内打电话和您约时间。")
VISIT_STATUS = _l("上门服务：已申请，希望%(slot)s。工作人员会打电话和您约时间。")
VISIT_BOOKED = _l("上门服务：已约好%(slot)s。")
HALF_DAYS = {HalfDay.MORNING: _l("上午"), HalfDay.AFTERNOON: _l("下午")}


def slot_label(day: date, half: HalfDay) -> str:
    """A home visit's half-day, as 12月2日 星期三 上午."""
    return f"{format_date(day, str(SHORT_DAY_PATTERN))} {HALF_DAYS[half]}"
