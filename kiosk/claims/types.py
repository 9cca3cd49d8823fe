"""Claim types, the documents each one needs, and the other closed vocabularies of a claim."""

from __future__ import annotations

from enum import StrEnum


class ClaimType(StrEnum):
    """The five benefits of the district's elderly accident policy (DOMAIN.md)."""

    DEATH = "death"  # 意外身故
    DISABILITY = "disability"  # 意外伤残
    HOSPITAL_ALLOWANCE = "hospital_allowance"  # 意外住院津贴
    MEDICAL = "medical"  # 意外医疗
    TRANSPORT_DEATH = "transport_death"  # 乘坐营运交通工具意外身故

    @property
    def is_death(self) -> bool:
        return self in (ClaimType.DEATH, ClaimType.TRANSPORT_DEATH)


class DocumentKind(StrEnum):
    """Every document a claim can carry (理赔资料清单)."""

    INSURED_ID_CARD = "insured_id_card"  # 被保险人居民身份证（正面）
    CLAIMANT_ID_CARD = "claimant_id_card"  # 申请人身份证
    BANK_ACCOUNT = "bank_account"  # 银行卡或存折
    DEATH_CERTIFICATE = "death_certificate"  # 死亡证明
    HOUSEHOLD_DEREGISTRATION = "household_deregistration"  # 户籍注销证明
    BENEFICIARY_ID = "beneficiary_id"  # 受益人身份证明
    DISABILITY_ASSESSMENT = "disability_assessment"  # 伤残鉴定报告
    EXPENSE_LIST = "expense_list"  # 医疗费用清单
    MEDICAL_RECORD = "medical_record"  # 病历
    DISCHARGE_SUMMARY = "discharge_summary"  # 住院证明（出院小结）
    MEDICAL_RECEIPT = "medical_receipt"  # 医疗收费票据（门诊/住院）
    TRAVEL_TICKET = "travel_ticket"  # 车票/船票/登机牌/出租车发票/交通卡记录
    OTHER = "other"  # 其他材料（工作人员要求的）


_BY_TYPE: dict[ClaimType, tuple[DocumentKind, ...]] = {
    ClaimType.DEATH: (
        DocumentKind.DEATH_CERTIFICATE,
        DocumentKind.HOUSEHOLD_DEREGISTRATION,
        DocumentKind.BENEFICIARY_ID,
    ),
    ClaimType.DISABILITY: (
        DocumentKind.DISABILITY_ASSESSMENT,
        DocumentKind.EXPENSE_LIST,
        DocumentKind.MEDICAL_RECORD,
    ),
    ClaimType.HOSPITAL_ALLOWANCE: (
        DocumentKind.DISCHARGE_SUMMARY,
        DocumentKind.EXPENSE_LIST,
        DocumentKind.MEDICAL_RECORD,
    ),
    ClaimType.MEDICAL: (
        DocumentKind.MEDICAL_RECEIPT,
        DocumentKind.MEDICAL_RECORD,
    ),
    ClaimType.TRANSPORT_DEATH: (
        DocumentKind.TRAVEL_TICKET,
        DocumentKind.DEATH_CERTIFICATE,
        DocumentKind.HOUSEHOLD_DEREGISTRATION,
    ),
}


def required_documents(
    claim_type: ClaimType, *, claimant_is_insured: bool = True
) -> tuple[DocumentKind, ...]:
    """The documents a claim of this type needs, in the order a person gathers them.

    Always the insured's ID card first and the bank account last; the claimant's own ID
    when someone else claims (always, for a death: the insured cannot claim).
    """
    documents = [DocumentKind.INSURED_ID_CARD]
    if not claimant_is_insured or claim_type.is_death:
        documents.append(DocumentKind.CLAIMANT_ID_CARD)
    documents.extend(_BY_TYPE[claim_type])
    documents.append(DocumentKind.BANK_ACCOUNT)
    return tuple(documents)


class Source(StrEnum):
    """How a claim reached us."""

    KIOSK = "kiosk"  # the person at the tablet alone or with family
    VOLUNTEER = "volunteer"  # a community volunteer at the tablet
    PAPER = "paper"  # 手工受理: a paper form entered later by staff
    LINK = "link"  # a document added from the tracking link (only ever a page's source)


class Relationship(StrEnum):
    """The reporter's relationship to the insured person."""

    SELF = "self"  # 本人
    SPOUSE = "spouse"  # 配偶
    CHILD = "child"  # 子女
    GRANDCHILD = "grandchild"  # 孙子女
    SIBLING = "sibling"  # 兄弟姐妹
    OTHER_RELATIVE = "other_relative"  # 其他亲属
    OTHER = "other"  # 其他


# Common banks in the district, as the claim records them (always in Chinese, whatever
# the kiosk's language): payment files go to the bank under these names.
BANKS = {
    "abc": "中国农业银行",
    "psbc": "中国邮政储蓄银行",
    "icbc": "中国工商银行",
    "ccb": "中国建设银行",
    "boc": "中国银行",
    "rcb": "农村商业银行",
    "bocom": "交通银行",
    "cmb": "招商银行",
}


class Priority(StrEnum):
    """Case priority (DOMAIN.md): decides how soon the first review is due."""

    EMERGENCY = "emergency"  # 紧急
    HIGHER = "higher"  # 较高
    GENERAL = "general"  # 一般


class TransportMode(StrEnum):
    """The public conveyance in a transport-death claim."""

    ROAD = "road"  # 汽车/公交/出租车
    RAIL = "rail"  # 火车/地铁
    SHIP = "ship"  # 轮船
    AIRCRAFT = "aircraft"  # 飞机


class Exclusion(StrEnum):
    """责任免除: the reasons staff may give for declining."""

    SUDDEN_DEATH = "sudden_death"  # 猝死
    INTENTIONAL_CRIME = "intentional_crime"  # 故意犯罪
    SUICIDE = "suicide"  # 自杀
    FIGHTING = "fighting"  # 斗殴
    DRUNKENNESS = "drunkenness"  # 醉酒
    DENTAL = "dental"  # 牙齿保健和修复（住院类）
    NOT_ACCIDENT = "not_accident"  # 非意外伤害（疾病）
    NOT_INSURED = "not_insured"  # 不在保障范围（年龄、户籍、保障期）
