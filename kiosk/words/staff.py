"""Every word the back office shows that is not in its templates."""

from __future__ import annotations

from kiosk.claims.accounts import LoginProblem, PasswordProblem
from kiosk.claims.eligibility import RosterStanding
from kiosk.claims.states import CaseState
from kiosk.claims.types import Exclusion, Priority
from kiosk.platform.i18n import lazy_gettext as _l
from kiosk.platform.models import ComplaintStatus, DocumentStatus, HomeVisitStatus, OcrStatus
from kiosk.words import claimant as m
from kiosk.words import family as tracking_words

LOGIN_PROBLEMS = {
    LoginProblem.WRONG: _l("用户名或密码不对"),
    LoginProblem.THROTTLED: _l(
        "从这里输错的次数太多，请%(minutes)s分钟后再试（这一次没有核对密码）。忘了密码请找管理员重设。"
    ),
    LoginProblem.INACTIVE: _l("这个账户已停用，请找管理员"),
}
WRONG_THEN_WAIT = _l("用户名或密码不对。输错的次数多了，请%(minutes)s分钟后再试。")
PASSWORD_PROBLEMS = {
    PasswordProblem.SHORT: _l("新密码至少%(min)s个字符"),
    PasswordProblem.SAME_AS_USERNAME: _l("新密码不能和用户名一样"),
    PasswordProblem.UNCHANGED: _l("新密码不能和原来的一样"),
}
PASSWORDS_DIFFER = _l("两次输入的新密码不一样")
CURRENT_PASSWORD_WRONG = _l("现在的密码不对")

# Staff see the second-level review as its own state; customers see it as 审核中.
STATES = {**m.STATES, CaseState.AWAITING_APPROVAL: _l("待审批")}
# 参保名册 on the case page: what the roster says of the insured on the accident date.
ROSTER = {
    RosterStanding.LISTED: _l("在名册上，意外当天在保"),
    RosterStanding.NOT_LISTED: _l("名册上没有，请核实户籍和年龄"),
    RosterStanding.NOT_YET: _l("列入名册晚于意外当月，请核实"),
    RosterStanding.REMOVED: _l("意外前已从名册移出，请核实"),
}
NO_ROSTER = _l("还没有导入参保名册")
PRIORITIES = {
    Priority.EMERGENCY: _l("紧急"),
    Priority.HIGHER: _l("较高"),
    Priority.GENERAL: _l("一般"),
}
DUE_TODAY = _l("今天到期")
DUE_IN = _l("还有%(n)s个工作日")
OVERDUE_BY = _l("逾期%(n)s个工作日")
NO_DUE = _l("等客户补材料")
ROLES = {"handler": _l("理赔员"), "approver": _l("主管"), "admin": _l("管理员")}

DOCUMENT_STATES = {
    DocumentStatus.RECEIVED: _l("已收到"),
    DocumentStatus.MISSING: _l("客户以后补"),
    DocumentStatus.REQUESTED: _l("已要求补交"),
}
OCR_STATES = {
    OcrStatus.NOT_NEEDED: _l("不识别"),
    OcrStatus.PENDING: _l("识别中"),
    OcrStatus.DONE: _l("已识别"),
    OcrStatus.FAILED: _l("识别失败"),
}
OCR_FIELDS = {
    "hospital": _l("医院"),
    "patient_name": _l("患者姓名"),
    "invoice_code": _l("票据代码"),
    "invoice_number": _l("票据号码"),
    "issue_date": _l("开票日期"),
    "total": _l("金额合计"),
    "admission_date": _l("入院日期"),
    "discharge_date": _l("出院日期"),
    "days": _l("住院天数"),
    "name": _l("姓名"),
    "sex": _l("性别"),
    "ethnicity": _l("民族"),
    "birth_date": _l("出生日期"),
    "address": _l("住址"),
    "id_number": _l("身份证号码"),
}
SOURCES = {
    "kiosk": _l("自助机"),
    "volunteer": _l("志愿者协助"),
    "paper": _l("纸质报案"),
    "link": _l("进度链接"),
}
ACTORS = {
    "customer": _l("客户"),
    "volunteer": _l("志愿者"),
    "system": _l("系统"),
    "handler": _l("理赔员"),
    "approver": _l("主管"),
    "admin": _l("管理员"),
}
AUDIT_ACTIONS = {
    "claim.submit": _l("报案"),
    "case.move": _l("状态变更"),
    "case.view": _l("查看案件"),
    "case.reveal": _l("显示个人信息"),
    "case.request_documents": _l("要求补材料"),
    "case.complex": _l("标为复杂案件"),
    "case.approve": _l("审核通过"),
    "case.decline": _l("不予赔付"),
    "case.pay": _l("登记赔付"),
    "case.priority": _l("改优先级"),
    "case.major": _l("标为或取消重大案件"),
    "case.purge": _l("保存期满清除"),
    "device.enrol": _l("登记平板"),
    "device.rename": _l("平板改名"),
    "device.revoke": _l("停用平板"),
    "device.printer": _l("设平板的打印机"),
    "policy.load": _l("载入保单"),
    "policy.correct": _l("更正保单"),
    "roster.import": _l("导入参保名册"),
    "branch.add": _l("新增服务点"),
    "branch.edit": _l("修改服务点"),
    "case.note": _l("内部备注"),
    "document.add": _l("补交材料"),
    "document.scan": _l("上传扫描件"),
    "document.view": _l("查看材料图片"),
    "complaint.file": _l("投诉"),
    "satisfaction.answer": _l("满意度评价"),
    "visit.request": _l("申请上门服务"),
    "visit.view": _l("查看上门申请"),
    "visit.assign": _l("认领上门申请"),
    "visit.book": _l("约好上门时间"),
    "visit.done": _l("上门完成"),
    "visit.cancel": _l("取消上门"),
    "complaint.view": _l("查看投诉"),
    "complaint.assign": _l("认领投诉"),
    "complaint.acknowledge": _l("投诉已回电"),
    "complaint.answer": _l("答复投诉"),
    "case.receipt": _l("打印回执"),
    "case.send_back": _l("退回重审"),
    "case.reopen": _l("重新审核"),
    "case.new_link": _l("换新链接"),
    "cases.export": _l("导出案件"),
    "claim.paper": _l("录入纸质报案"),
}
EXCLUSIONS = {
    Exclusion.SUDDEN_DEATH: _l("猝死"),
    Exclusion.INTENTIONAL_CRIME: _l("故意犯罪"),
    Exclusion.SUICIDE: _l("自杀或故意自伤"),
    Exclusion.FIGHTING: _l("斗殴"),
    Exclusion.DRUNKENNESS: _l("醉酒"),
    Exclusion.DENTAL: _l("牙齿保健和修复"),
    Exclusion.NOT_ACCIDENT: _l("非意外伤害（疾病）"),
    Exclusion.NOT_INSURED: _l("不在保障范围（年龄、户籍或保障期）"),
}

# Action problems
CONFLICT = _l("这个案件刚被别人改过，您的操作没有保存。下面是改动，请看过后再决定。")
NOT_ALLOWED = {
    "state": _l("案件现在的状态不能做这个操作。"),
    "same_approver": _l("二级审批要由另一位主管来做，不能审批自己初审的案件。"),
    "role": _l("只有主管可以做二级审批。"),
    "document": _l("这个案件没有这项材料。"),
}
KINDS_EMPTY = _l("请至少勾选一样要补的材料")
AMOUNT_ERRORS = {
    "empty": _l("请填写金额"),
    "bad": _l("金额要是大于0的数字，最多两位小数"),
}
AMOUNT_REASON_NEEDED = _l("金额和按条款测算的 %(benefit)s 不同，请写明原因")
PAID_AMOUNT_DIFFERS = _l("赔付金额应等于审批金额 %(amount)s")
EXCLUSION_EMPTY = _l("请选择拒赔的条款")
NOTE_EMPTY = _l("请写明理由")
TEXT_TOO_LONG = _l("最多%(max)s个字")
PAID_ON_BAD = _l("打款日期要是今天或以前的日期，不能早于审批日期")
REFERENCE_BAD = _l("请填写银行流水号（4到64个字符）")
PRIORITY_BAD = _l("请选择优先级")
DONE = {
    "request": _l("已要求补材料，案件改为待补材料。"),
    "approve": _l("已审核通过。"),
    "approve_second": _l("初审通过，已送主管二级审批。"),
    "decline": _l("已登记不予赔付。"),
    "pay": _l("已登记赔付。"),
    "priority": _l("已改优先级。"),
    "major": _l("已改：重大案件结案后保存10年，其他案件5年。"),
    "note": _l("已加备注。"),
    "visit": _l("已登记上门服务。"),
    "back": _l("案件已回到审核中。"),
    "link": _l("已换新链接：旧回执的二维码和补交码已失效，请补打回执交给家属。"),
    "scans": _l("已上传扫描件。"),
    "complex": _l("已标为复杂案件：家属在进度页上会看到原因和最晚审核完的日期。"),
}
SCAN_PROBLEMS = {
    "empty": _l("文件是空的"),
    "too_large": _l("文件超过20MB，请用较低的分辨率重新扫描"),
    "not_an_image": _l("只收PDF，或JPG、PNG、HEIC图片"),
    "corrupt": _l("文件打不开：可能没有传完整，或PDF设了密码"),
    "too_many_pixels": _l("图片像素太多，请用较低的分辨率重新扫描"),
    "too_small": _l("图片太小，看不清字，请用300dpi左右重新扫描"),
    "duplicate": _l("这个文件已经传过了"),
    "too_many": _l("一项材料最多10页"),
    "not_kept": _l("文件没能保存：存储空间满了或出了故障，请通知系统管理员"),
}
SCAN_EMPTY = _l("请选择要上传的文件")
SCAN_KIND_EMPTY = _l("请选择这是哪项材料")
COMPLEX_REASON_EMPTY = _l("请写明为什么需要更久，家属会看到")
STAFF_ACTIONS = {
    "staff.login": _l("登录"),
    "staff.login_failed": _l("登录失败"),
    "staff.login_locked": _l("登录被锁定"),
    "staff.login_throttled": _l("输错太多，要等一会儿再试"),
    "staff.login_under_attack": _l("账户被多处输错密码"),
    "staff.login_inactive": _l("停用账户登录"),
    "staff.logout": _l("退出"),
    "staff.create": _l("新建账户"),
    "staff.password_change": _l("改密码"),
    "staff.deactivate": _l("停用账户"),
    "staff.activate": _l("启用账户"),
    "staff.reset": _l("重设密码"),
    "volunteer.issue": _l("发志愿者码"),
    "volunteer.revoke": _l("停用志愿者码"),
}

# Complaints, home visits, satisfaction
COMPLAINT_STATES = {
    ComplaintStatus.RECEIVED: _l("待回电"),
    ComplaintStatus.ACKNOWLEDGED: _l("已回电，待答复"),
    ComplaintStatus.ANSWERED: _l("已答复"),
}
ACK_BY = _l("24小时内回电")
ACK_LATE = _l("超过24小时未回电")
ANSWERED = _l("已答复")
ANSWER_EMPTY = _l("请写下答复的内容")
VISIT_STATES = {
    HomeVisitStatus.REQUESTED: _l("待约时间"),
    HomeVisitStatus.BOOKED: _l("已约好"),
    HomeVisitStatus.DONE: _l("已上门"),
    HomeVisitStatus.CANCELLED: _l("已取消"),
}
HALF_DAYS = tracking_words.HALF_DAYS
FACES = tracking_words.FACES
SLOT_EMPTY = _l("请选一个时间")
VISIT_NOTE_EMPTY = _l("请写明上门做了什么，或为什么取消")
SAVED = _l("已保存。")


# Administration
USERNAME_BAD = _l("用户名只能用字母、数字、- 和 _")
USERNAME_TAKEN = _l("这个用户名已经有人用了")
ROLE_EMPTY = _l("请选择角色")
NOT_YOURSELF = _l("不能停用自己的账户")
VOLUNTEER_NAME_BAD = _l("请按身份证写志愿者的姓名")
EXPORT_HEADINGS = (
    _l("报案号"),
    _l("报案日期"),
    _l("类型"),
    _l("状态"),
    _l("优先级"),
    _l("服务点"),
    _l("被保险人"),
    _l("身份证号码"),
    _l("测算金额"),
    _l("审批金额"),
    _l("赔付金额"),
    _l("打款日期"),
)
FORM_DATE_BAD = _l("请填写纸质表上的报案日期（不能晚于今天，不能早于保单生效日）")
PAPER_ENTERED = _l("纸质报案已录入。")
ACCOUNT_PROBLEMS = {
    "username_bad": USERNAME_BAD,
    "username_taken": USERNAME_TAKEN,
    "role_empty": ROLE_EMPTY,
}
AFTERCARE_MISSING = {"answer": ANSWER_EMPTY, "slot": SLOT_EMPTY, "note": VISIT_NOTE_EMPTY}
# 平板 (kiosk.staff.devices).
ENROL_QR = _l("二维码：用要登记的平板扫一扫，打开登记页面")
DEVICE_NAME_BAD = _l("没有保存：平板的名字不能为空，或者这台平板已经不在了。")
# 服务点 (kiosk.staff.branches): the field a refusal names, and the refusal.
BRANCH_FIELDS = {
    "name": _l("名称"),
    "phone": _l("电话"),
    "address": _l("地址"),
    "opening_hours": _l("开放时间"),
    "district": _l("所属区"),
}
BRANCH_REFUSED = _l("没有保存：%(field)s%(why)s")
BRANCH_PROBLEMS = {
    "missing": _l("不能空着（名称和电话都要填）"),
    "long": _l("太长了"),
    "empty": _l("不能空着"),
    "taken": _l("已经是另一个服务点的了"),
    "phone": _l("不是电话号码，例如 0754-87000000"),
    "unknown": _l("找不到这个服务点"),
}
PURGED = _l("已清除 %(n)s 个案件的照片和个人信息，留下了不含个人信息的统计记录。")
# The tablets' printers (kiosk.staff.devices): how each last answered, and the test print.
PRINTER_STATES = {
    "": _l("正常"),
    "off": _l("连不上（没开或网线没插）"),
    "no_paper": _l("没有纸了"),
    "error": _l("出错了"),
}
NO_PRINTER = _l("这台平板没有设打印机：用浏览器打印。")
TEST_PRINT_TITLE = _l("测试打印")
TEST_PRINTED = _l("测试页已经打印，请到打印机前看一下。")
