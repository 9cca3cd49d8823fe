"""Every word the intake shows that is not in a template: choices and error messages."""

from __future__ import annotations

from kiosk.claims.eligibility import EligibilityProblem, RosterStanding
from kiosk.claims.identity import IdProblem
from kiosk.claims.states import CaseState
from kiosk.claims.types import ClaimType, DocumentKind, Relationship, TransportMode
from kiosk.claims.validation import Problem
from kiosk.platform.i18n import lazy_gettext as _l

WHO = {
    "self": (_l("我是被保险人本人"), _l("自己出了意外，自己来办")),
    "family": (_l("我替家人来报案"), _l("家里老人出了意外，我来帮忙办")),
    "volunteer": (_l("我是志愿者，帮老人办理"), _l("已用志愿者码登录")),
}

CLAIM_TYPES = {
    ClaimType.HOSPITAL_ALLOWANCE: (_l("住院了"), _l("因为意外住了院，按住院天数领津贴")),
    ClaimType.MEDICAL: (_l("看了门诊"), _l("因为意外看病花了钱，凭票据报销")),
    ClaimType.DISABILITY: (_l("受伤留下伤残"), _l("意外受伤后，经鉴定留下伤残")),
    ClaimType.DEATH: (_l("家人意外去世"), _l("老人因为意外去世")),
    ClaimType.TRANSPORT_DEATH: (
        _l("乘坐公共交通出事"),
        _l("坐公交、出租车、火车、轮船或飞机时意外去世"),
    ),
}

TRANSPORT = {
    TransportMode.ROAD: _l("汽车、公交车、出租车"),
    TransportMode.RAIL: _l("火车、地铁"),
    TransportMode.SHIP: _l("轮船"),
    TransportMode.AIRCRAFT: _l("飞机"),
}

RELATIONSHIPS = {
    Relationship.SPOUSE: _l("配偶"),
    Relationship.CHILD: _l("子女"),
    Relationship.GRANDCHILD: _l("孙子女、外孙子女"),
    Relationship.SIBLING: _l("兄弟姐妹"),
    Relationship.OTHER_RELATIVE: _l("其他亲属"),
    Relationship.OTHER: _l("其他"),
}

PLACES = {
    "home": _l("在家里"),
    "road": _l("在路上"),
    "public": _l("公共场所"),
    "vehicle": _l("交通工具上"),
    "other": _l("其他地方"),
}

CAUSES = {
    "fall": _l("摔倒"),
    "collision": _l("碰撞、砸伤"),
    "traffic": _l("交通事故"),
    "other": _l("其他"),
}

BANKS = {
    "abc": _l("中国农业银行"),
    "psbc": _l("中国邮政储蓄银行"),
    "icbc": _l("中国工商银行"),
    "ccb": _l("中国建设银行"),
    "boc": _l("中国银行"),
    "rcb": _l("农村商业银行（农商银行）"),
    "bocom": _l("交通银行"),
    "cmb": _l("招商银行"),
    "other": _l("其他银行"),
}

DOCUMENTS = {
    DocumentKind.INSURED_ID_CARD: (_l("老人的身份证"), _l("身份证正面，有照片和号码的一面")),
    DocumentKind.CLAIMANT_ID_CARD: (_l("办理人的身份证"), _l("替老人办理的家人的身份证正面")),
    DocumentKind.BANK_ACCOUNT: (_l("银行卡或存折"), _l("收钱用的银行卡正面或存折首页")),
    DocumentKind.DEATH_CERTIFICATE: (_l("死亡证明"), _l("医院或派出所开的死亡证明")),
    DocumentKind.HOUSEHOLD_DEREGISTRATION: (_l("户口注销证明"), _l("派出所开的户籍注销证明")),
    DocumentKind.BENEFICIARY_ID: (_l("受益人身份证明"), _l("领钱的家人的身份证和关系证明")),
    DocumentKind.DISABILITY_ASSESSMENT: (_l("伤残鉴定报告"), _l("鉴定机构出具的伤残鉴定书")),
    DocumentKind.EXPENSE_LIST: (_l("医疗费用清单"), _l("医院打印的费用明细清单")),
    DocumentKind.MEDICAL_RECORD: (_l("病历"), _l("门诊病历或住院病历")),
    DocumentKind.DISCHARGE_SUMMARY: (_l("出院小结"), _l("住院证明或出院记录，写有入院和出院日期")),
    DocumentKind.MEDICAL_RECEIPT: (_l("医院收费票据"), _l("门诊或住院的收费收据（发票）")),
    DocumentKind.TRAVEL_TICKET: (_l("车票、船票或登机牌"), _l("也可以是出租车发票或交通卡记录")),
    DocumentKind.OTHER: (_l("其他材料"), _l("工作人员要求补充的材料")),
}

# The sample picture shown beside each document ("paper" for the rest).
SAMPLES = {
    "insured_id_card": "id-card",
    "claimant_id_card": "id-card",
    "beneficiary_id": "id-card",
    "bank_account": "bank-card",
    "medical_receipt": "receipt",
    "expense_list": "receipt",
    "travel_ticket": "ticket",
}

CHOOSE_ONE = _l("请选择一项")

ID_NUMBER_ERRORS = {
    Problem.EMPTY: _l("请输入身份证号码"),
    IdProblem.LENGTH: _l("身份证号码应为18位，您输入了%(count)s位"),
    IdProblem.CHARACTERS: _l("身份证号码只能是数字，最后一位可以是X"),
    IdProblem.BIRTH_DATE: _l("号码里的出生日期不对，请对照身份证再看一下"),
    IdProblem.CHECKSUM: _l("这个号码有一位不对，请对照身份证一位一位核对"),
}

NAME_ERRORS = {
    Problem.EMPTY: _l("请输入姓名"),
    Problem.TOO_LONG: _l("姓名最多%(max)s个字，您输入了%(count)s个"),
    Problem.CHARACTERS: _l("姓名只能是汉字或字母，请按身份证上的写"),
}

PHONE_ERRORS = {
    Problem.EMPTY: _l("请输入电话号码"),
    Problem.LENGTH: _l("手机号码应为11位，您输入了%(count)s位"),
    Problem.FORMAT: _l("这个号码不对。手机号码是1开头的11位数字；座机请加区号，例如0754开头"),
    Problem.CHARACTERS: _l("电话号码只能是数字"),
}

ACCOUNT_ERRORS = {
    Problem.EMPTY: _l("请输入银行卡号或存折账号"),
    Problem.LENGTH: _l("卡号应为%(min)s到%(max)s位数字，您输入了%(count)s位"),
    Problem.CHARACTERS: _l("卡号只能是数字"),
}
ACCOUNT_LUHN_WARNING = _l(
    "这个卡号好像有一位不对，请对照银行卡再看一下。如果没有错，请再点一次“下一步”。"
)
BANK_NAME_EMPTY = _l("请写上银行的名字")
HOLDER_ERRORS = {**NAME_ERRORS, Problem.EMPTY: _l("请输入收款人姓名")}

DESCRIPTION_ERRORS = {Problem.TOO_LONG: _l("最多写%(max)s个字，您写了%(count)s个")}

DATE_IN_FUTURE = _l("日期不能晚于今天，请重新选择")
DATE_BEFORE_POLICY = _l("这份保险从%(date)s起生效，这个日期之前的意外不在保障范围内")
DATE_UNDER_SIXTY = _l(
    "按身份证上的出生日期，老人在这一天还不满60周岁。这份保险只保障60周岁及以上的老人。"
    "如果日期选错了，请重新选择；有疑问请找工作人员。"
)
# Why an accident date is refused, for each problem that blocks a claim at that step.
ACCIDENT_DATE_REFUSED = {
    EligibilityProblem.ACCIDENT_IN_FUTURE: DATE_IN_FUTURE,
    EligibilityProblem.ACCIDENT_BEFORE_POLICY: DATE_BEFORE_POLICY,
    EligibilityProblem.UNDER_SIXTY: DATE_UNDER_SIXTY,
}
DATE_INVALID = _l("这个日期不对，请重新选择")
OUTCOME_BEFORE_ACCIDENT = _l("这个日期不能早于意外发生的日期（%(date)s）")
CONSENT_MISSING = _l("请勾选同意，我们才能处理您的理赔")
SHORT_DAY_PATTERN = _l("M月d日 EEEE")  # a Babel date pattern: 11月23日 星期一
TODAY = _l("今天")
YESTERDAY = _l("昨天")
DAY_BEFORE = _l("前天")
NOT_IN_DISTRICT = _l(
    "这个身份证号码不是本区签发的。如果老人的户口在本区，也可以继续办理，工作人员会核实。"
)
COVER_NOT_STARTED = _l(
    "老人在意外发生的那个月刚满60周岁，保障从下个月1日开始。可以继续办理，工作人员会核实。"
)
AFTER_180_DAYS = _l(
    "按保险条款，去世或伤残应在意外发生后180天内。这次超过了180天，可以继续办理，工作人员会核实。"
)
# What the insured roster says, when it says anything but "listed": told kindly, never a stop.
ROSTER_NOTICES = {
    RosterStanding.NOT_LISTED: _l(
        "在政府提供的参保名单里暂时没有找到老人的名字。可以继续办理，工作人员会核实。"
    ),
    RosterStanding.NOT_YET: _l(
        "老人列入参保名单的时间比意外晚，保障从列入后的下个月1日开始。可以继续办理，工作人员会核实。"
    ),
    RosterStanding.REMOVED: _l(
        "意外发生时，老人已经不在政府提供的参保名单上。可以继续办理，工作人员会核实。"
    ),
}
RESUME_CODE_WRONG = _l(
    "这个续办码不对，或者已经过期（72小时内有效）。请对照纸条再看一下，或者重新开始。"
)
VOLUNTEER_CODE_WRONG = _l("这个志愿者码不对，或者已经停用。请对照工作人员给您的码再看一下。")

STATES = {
    CaseState.SUBMITTED: _l("已受理"),
    CaseState.UNDER_REVIEW: _l("审核中"),
    CaseState.DOCUMENTS_NEEDED: _l("待补材料"),
    CaseState.APPROVED: _l("审核通过"),
    CaseState.PAID: _l("已赔付"),
    CaseState.DECLINED: _l("不予赔付"),
}

UPLOAD_PROBLEMS = {
    "empty": _l("这张照片是空的，请再拍一次"),
    "too_large": _l("这张照片太大了（超过20MB），请再拍一次"),
    "not_an_image": _l("这不是照片。请用“拍照”按钮拍下材料"),
    "corrupt": _l("这张照片打不开，可能没传完整，请再拍一次"),
    "too_many_pixels": _l("这张照片太大了，请再拍一次"),
    "too_small": _l("这张照片太小，看不清字，请靠近一些再拍"),
    "duplicate": _l("这张照片已经传过了"),
    "too_many": _l("一项材料最多10张照片"),
    "not_kept": _l("照片没能保存（机器的存储出了问题），已填的内容都还在。请找工作人员帮忙"),
}
READING_LATER = _l("照片已保存。识别要晚一点，您可以先往下填")
PHOTO_ADDED = _l("已收到 %(n)s 张照片")
STAY_DATES_USED = _l("已按出院小结改了住院和出院日期")
STAY_DATES_REFUSED = _l("出院小结上的日期不能用（早于意外日期或晚于今天），请工作人员核对")
CONFIRM_CHOOSE = _l("请点“对”，或者点“改一下”再改正")
ADMISSION_BEFORE_ACCIDENT = _l("住院日期不能早于意外发生的日期（%(date)s）")
DISCHARGE_BEFORE_ADMISSION = _l("出院日期不能早于住院日期（%(date)s）")
ALLOWANCE_FIGURE = _l("%(per_day)s元 × %(days)s天 = %(amount)s元")
ALLOWANCE_RULES = _l(
    "每天%(per_day)s元，从住院那天算到出院前一天；每次住院最多算%(stay)s天，每年最多%(year)s天；要在二级及以上医院住院。"
)
ALLOWANCE_CAPPED_STAY = _l("这次住院超过%(stay)s天，按%(stay)s天算。")
ALLOWANCE_STILL_IN = _l("出院后按实际住院天数计算，每天%(per_day)s元。")
AMOUNT_ERRORS = {
    Problem.EMPTY: _l("请输入这张票据的合计金额"),
    Problem.FORMAT: _l("金额只能是数字，例如 1234.50"),
    Problem.LENGTH: _l("金额应大于0，不超过%(max)s元"),
}
RECEIPTS_TOTAL = _l("票据合计")
# The receipt printer, after 提交 (kiosk.receipts.printer.PrinterProblem.reason).
RECEIPT_PRINTING = _l("回执正在打印，请从打印口取走。")
PRINTER_PROBLEMS = {
    "off": _l(
        "回执打印机没有开，或者连不上。请找工作人员帮您补打回执。报案号和补交材料码都在下面。"
    ),
    "no_paper": _l(
        "回执打印机没有纸了。请找工作人员加纸，帮您补打回执。报案号和补交材料码都在下面。"
    ),
    "error": _l("回执没有打印出来。请找工作人员帮您补打回执。报案号和补交材料码都在下面。"),
}
# 补交材料 at the kiosk.
SUPPLEMENT_CODE_WRONG = _l("补交材料码不对，请对照回执再输入一次，或用报案号和身份证后6位")
SUPPLEMENT_CODE_EMPTY = _l("请输入回执上的补交材料码（6位数字）")
# 登记平板 (kiosk.services.devices.EnrolRefusal, by its value).
ENROL_REFUSALS = {
    "wrong": _l("登记码不对。请对照工作人员给您的8位数字再输入一次。"),
    "used": _l("这个登记码已经用过了。请工作人员在后台再生成一个新的登记码。"),
    "expired": _l("这个登记码已经过期（24小时内有效）。请工作人员再生成一个新的登记码。"),
}
DEVICE_ENROLLED = _l("此平板已登记到%(branch)s（%(name)s），可以开始使用了。")
OUTSIDE_EVERY_POLICY = _l(
    "出事那天不在已登记的任何一期保险的保障期内。您可以继续提交，工作人员会核实是否能赔。"
)
