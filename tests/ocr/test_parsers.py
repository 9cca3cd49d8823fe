"""Parsers and validators on text lines as an engine returns them (no images, no engine)."""

from __future__ import annotations

from datetime import date

import pytest

from kiosk.claims.identity import check_character
from kiosk.ocr.fields import SURE
from kiosk.ocr.hospitals import Hospital, HospitalListError, load_hospitals, match_hospital
from kiosk.ocr.lines import Box, Line
from kiosk.ocr.parsers import parse_discharge_summary, parse_id_card, parse_receipt

TODAY = date(2026, 11, 23)
HOSPITALS = (Hospital("汕头市潮南区人民医院", 2), Hospital("潮南区陈店镇卫生院", 1))


def page(*rows_: list[str] | str, height: int = 40, score: float = 0.99) -> list[Line]:
    """Lines laid out in rows, left to right: each row a string or a list of strings."""
    lines = []
    for index, row in enumerate(rows_):
        x = 50
        for text in [row] if isinstance(row, str) else row:
            width = int(len(text) * height * 0.9)
            top = 60 + index * int(height * 1.8)
            lines.append(Line(text, score, Box(x, top, x + width, top + height)))
            x += width + 3 * height
    return lines


def an_id_number(birth: str = "19500312", region: str = "440514", sequence: str = "123") -> str:
    first17 = region + birth + sequence
    return first17 + check_character(first17)


OUTPATIENT = page(
    "广东省医疗门诊收费票据（电子）",
    ["票据代码：44060121", "票据号码：0012345678"],
    ["交款人：张秀英", "开票日期：2026-10-12"],
    ["项目名称", "金额"],
    ["西药费", "123.45", "检查费", "80.00"],
    ["合计（大写）：贰佰零叁元肆角伍分", "（小写）¥203.45"],
    ["收款单位（章）：汕头市潮南区人民医院", "收款人：李四"],
)


def test_outpatient_receipt_fields_and_checks():
    fields = parse_receipt(OUTPATIENT, hospitals=HOSPITALS, today=TODAY)
    values = {name: field.value for name, field in fields.items()}
    assert values == {
        "kind": "outpatient",
        "hospital": "汕头市潮南区人民医院",
        "patient_name": "张秀英",
        "invoice_code": "44060121",
        "invoice_number": "0012345678",
        "issue_date": "2026-10-12",
        "total": "203.45",
        "admission_date": None,
        "discharge_date": None,
    }
    assert set(fields["total"].checks) == {"capital_total", "sum_of_items"}
    assert fields["total"].sure
    assert "hospital_list" in fields["hospital"].checks
    # A name has nothing to check it against: never pre-accepted on the engine's word alone.
    assert not fields["patient_name"].checks and fields["patient_name"].confidence < 0.99


def test_a_total_whose_capitals_disagree_must_be_looked_at():
    lines = page(
        "广东省医疗门诊收费票据",
        ["合计（大写）：贰佰零叁元肆角伍分", "（小写）¥208.45"],
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "208.45"
    assert "capital_total_differs" in total.doubts
    assert not total.sure


def test_only_the_capitals_read_gives_their_value_marked_for_checking():
    lines = page("门诊收费票据", "合计（大写）：壹仟元整")
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "1000.00" and not total.sure


def test_inpatient_receipt_dates_checked_against_days_in_hospital():
    lines = page(
        "广东省医疗住院收费票据（电子）",
        ["票据代码：44060122", "票据号码：1234567890"],
        ["交款人：王建国", "开票日期：2026年10月20日"],
        ["住院时间：2026-10-01 至 2026-10-13", "住院天数：12天"],
        ["合计（大写）：叁仟元整", "（小写）¥3000.00"],
    )
    fields = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)
    assert fields["kind"].value == "inpatient"
    assert fields["issue_date"].value == "2026-10-20"
    assert (fields["admission_date"].value, fields["discharge_date"].value) == (
        "2026-10-01",
        "2026-10-13",
    )
    assert "days_in_hospital" in fields["admission_date"].checks


@pytest.mark.parametrize(
    ("stay", "doubt"),
    [
        ("住院时间：2026-10-13 至 2026-10-01", "after_discharge"),
        ("住院时间：2026-10-01 至 2026-10-05", "days_differ"),
    ],
)
def test_impossible_stays_are_doubted(stay, doubt):
    lines = page("住院收费票据", [stay, "住院天数：12天"])
    fields = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)
    assert doubt in fields["admission_date"].doubts
    assert not fields["admission_date"].sure and not fields["discharge_date"].sure


@pytest.mark.parametrize(
    ("printed", "value", "doubt"),
    [
        ("开票日期：2026-12-01", "2026-12-01", "in_the_future"),
        ("开票日期：2026-02-30", None, "no_such_date"),
    ],
)
def test_dates_that_cannot_be_right(printed, value, doubt):
    fields = parse_receipt(page("门诊收费票据", printed), hospitals=HOSPITALS, today=TODAY)
    assert fields["issue_date"].value == value
    assert doubt in fields["issue_date"].doubts


def test_invoice_numbers_of_the_wrong_length_are_doubted_and_lookalikes_read_as_digits():
    lines = page("门诊收费票据", ["票据代码：4406O121", "票据号码：00123456"])
    fields = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)
    assert fields["invoice_code"].value == "44060121"
    assert fields["invoice_number"].value == "00123456"
    assert "not_10_digits" in fields["invoice_number"].doubts


def test_a_hospital_not_on_the_list_is_read_as_printed_but_not_sure():
    lines = page("门诊收费票据", ["收款单位（章）：广州市某某诊所", "复核人：王芳"])
    hospital = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["hospital"]
    assert hospital.value == "广州市某某诊所"
    assert not hospital.checks and not hospital.sure


def test_a_value_box_leaves_out_its_label():
    fields = parse_receipt(OUTPATIENT, hospitals=HOSPITALS, today=TODAY)
    line = next(line for line in OUTPATIENT if "票据号码" in line.text)
    box = fields["invoice_number"].box
    assert line.box.left < box.left < box.right <= line.box.right
    assert box.right - box.left < (line.box.right - line.box.left) * 0.7


def test_a_page_with_no_labels_gives_no_values():
    fields = parse_receipt(page("今天天气很好", "12.00"), hospitals=HOSPITALS, today=TODAY)
    assert all(field.value is None for name, field in fields.items() if name != "kind")


# --- discharge summaries -----------------------------------------------------------------


def test_discharge_summary_dates():
    lines = page(
        "汕头市潮南区人民医院",
        "出院小结",
        ["姓名：陈桂兰", "住院号：123456"],
        ["入院日期：2026年9月1日", "出院日期：2026年9月13日"],
        "实际住院：12天",
    )
    fields = parse_discharge_summary(lines, hospitals=HOSPITALS, today=TODAY)
    assert fields["admission_date"].value == "2026-09-01"
    assert fields["discharge_date"].value == "2026-09-13"
    assert fields["days"].value == "12"
    assert fields["hospital"].value == "汕头市潮南区人民医院"
    assert fields["patient_name"].value == "陈桂兰"
    assert "days_in_hospital" in fields["discharge_date"].checks


def test_a_seals_curved_words_are_not_taken_for_the_hospital_printed_whole():
    lines = [
        Line("汕头市中心医院", 1.0, Box(395, 144, 596, 178)),
        Line("出院小结", 1.0, Box(428, 182, 565, 229)),
        Line("入院日期：2026/06/14 出院日期:2026-07-18", 0.97, Box(129, 290, 634, 318)),
        Line("中心医院", 0.93, Box(724, 679, 820, 756)),  # the seal's: taller than a line
    ]
    fields = parse_discharge_summary(lines, hospitals=HOSPITALS, today=TODAY)
    assert fields["hospital"].value == "汕头市中心医院"


@pytest.mark.parametrize("printed", ["住院天数。12天", "住院12天", "住12天", "共住院12天"])
def test_the_days_in_hospital_however_printed_confirm_the_dates_and_are_confirmed(printed):
    lines = page(
        "出院记录",
        ["入院时间：2026-09-01", "出院时间：2026年9月13日", printed],
        "患者因“摔伤后疼痛3天”入院。",
    )
    fields = parse_discharge_summary(lines, hospitals=HOSPITALS, today=TODAY)
    assert fields["days"].value == "12" and fields["days"].sure
    assert fields["admission_date"].sure and fields["discharge_date"].sure


def test_days_not_printed_are_not_made_up_from_the_dates():
    """The reading is what the page says; the claim counts the days from the dates itself."""
    lines = page("出院记录", ["入院时间：2026-09-01", "出院时间：2026年9月13日"])
    fields = parse_discharge_summary(lines, hospitals=HOSPITALS, today=TODAY)
    assert fields["days"].value is None


# --- ID cards ----------------------------------------------------------------------------


def id_card(number: str, birth_line=("1950", "3", "12"), sex: str = "女") -> list[Line]:
    year, month, day = birth_line
    return page(
        ["姓名", "陈桂兰"],
        ["性别", sex, "民族", "汉"],
        ["出生", year, f"年 {month} 月 {day}", "日"],
        ["住址", "广东省汕头市潮南区峡山街道"],
        ["", "东溪村12巷3号"][1:],
        ["公民身份号码", number],
    )


def test_id_card_fields_checked_against_each_other():
    number = an_id_number(sequence="122")
    fields = parse_id_card(id_card(number), today=TODAY)
    values = {name: field.value for name, field in fields.items()}
    assert values == {
        "name": "陈桂兰",
        "sex": "女",
        "ethnicity": "汉",
        "birth_date": "1950-03-12",
        "address": "广东省汕头市潮南区峡山街道东溪村12巷3号",
        "id_number": number,
    }
    assert {"gb11643", "birth_line"} <= set(fields["id_number"].checks)
    assert fields["id_number"].sure and fields["birth_date"].sure and fields["sex"].sure


def test_an_id_number_failing_its_checksum_is_never_sure():
    number = an_id_number()
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    fields = parse_id_card(id_card(wrong), today=TODAY)
    assert fields["id_number"].value == wrong
    assert "id_checksum" in fields["id_number"].doubts
    assert not fields["id_number"].sure


def test_a_birth_line_that_disagrees_with_the_number_marks_both_and_shows_the_numbers():
    """The number passed its checksum: its date is shown, for the person to check."""
    number = an_id_number()
    fields = parse_id_card(id_card(number, birth_line=("1950", "8", "12")), today=TODAY)
    assert "birth_line_differs" in fields["id_number"].doubts
    assert "id_number_differs" in fields["birth_date"].doubts
    assert fields["birth_date"].value == f"{number[6:10]}-{number[10:12]}-{number[12:14]}"
    assert not fields["birth_date"].sure


def test_a_sex_that_disagrees_with_the_number_is_doubted():
    fields = parse_id_card(id_card(an_id_number(sequence="123"), sex="女"), today=TODAY)
    assert "id_number_differs" in fields["sex"].doubts


def test_an_unread_birth_line_is_taken_from_a_valid_number():
    number = an_id_number(sequence="121")
    unread = ("出生", "1950", "年 3 月 12", "日", "性别", "女")
    lines = [line for line in id_card(number) if line.text not in unread]
    fields = parse_id_card(lines, today=TODAY)
    assert fields["birth_date"].value == "1950-03-12"
    assert fields["birth_date"].checks == ("from_id_number",)
    assert fields["sex"].value == "男"


def test_an_unknown_ethnic_group_is_doubted_and_a_run_on_label_trimmed():
    lines = page(["性别", "女", "民族", "汉住址"])
    assert parse_id_card(lines, today=TODAY)["ethnicity"].value == "汉"
    lines = page(["性别", "女", "民族", "火星"])
    assert "not_an_ethnic_group" in parse_id_card(lines, today=TODAY)["ethnicity"].doubts


# --- hospitals ---------------------------------------------------------------------------


def test_hospital_matching_tolerates_a_misread_character():
    hospital, likeness = match_hospital("汕头市潮南区人民医阮", HOSPITALS)
    assert hospital == HOSPITALS[0] and 0.85 < likeness < 1
    assert match_hospital("区陈店镇卫生院潮南区陈店镇卫生院", HOSPITALS) == (HOSPITALS[1], 1.0)
    assert match_hospital("", HOSPITALS) == (None, 0.0)


def test_the_default_hospital_list_loads_with_grades():
    hospitals = load_hospitals()
    assert hospitals and all(h.grade in (1, 2, 3) for h in hospitals)
    assert any(h.grade >= 2 for h in hospitals)


@pytest.mark.parametrize(
    "content", ["name,grade\n", "name,grade\n某医院,4\n", "name,grade\n,2\n", "nonsense"]
)
def test_a_bad_hospital_list_is_refused_with_the_line(tmp_path, content):
    path = tmp_path / "hospitals.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(HospitalListError, match=str(path)):
        load_hospitals(path)


def test_sure_threshold_is_what_the_confirmation_screen_uses():
    assert 0.8 < SURE < 0.97


def test_a_hospital_is_found_when_its_label_was_not_read():
    lines = page("门诊收费票据", ["收款单忙章", "汕头市潮南区人民医院 财务专用章"])
    hospital = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["hospital"]
    assert hospital.value == "汕头市潮南区人民医院"
    assert "hospital_list" in hospital.checks


def test_words_run_on_from_a_seal_do_not_hide_the_hospital():
    hospital, likeness = match_hospital("汕头市潮南区人民医阮购务空用口", HOSPITALS)
    assert hospital == HOSPITALS[0] and likeness >= 0.85


def test_a_total_contradicted_by_its_capitals_stays_doubted_when_the_items_agree():
    lines = page(
        "门诊收费票据",
        ["西药费", "123.45", "检查费", "80.00"],
        ["合计（大写）：贰佰零捌元肆角伍分", "（小写）¥203.45"],
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert "sum_of_items" in total.checks and "capital_total_differs" in total.doubts
    assert not total.sure and total.confidence <= 0.4


# --- layouts the reader was not drawn for --------------------------------------------------


def test_the_payer_is_not_the_label_of_the_payers_credit_code_beside_it():
    number = an_id_number()
    lines = page(
        "医疗门诊收费票据（电子）",
        [f"交款人统一社会信用代码：{number}", "交款人：林惜銮"],
    )
    assert parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["patient_name"].value == "林惜銮"


@pytest.mark.parametrize("label", ["交款单位（人）：", "交款人(单位):", "缴款人："])
def test_the_payer_under_the_wordings_of_other_platforms(label):
    number = an_id_number()
    lines = page(
        "医疗门诊收费票据（电子）",
        [f"{label}詹瑞文", f"统一社会信用代码：{number}"],
        ["票据代码：44007953", "票据号码：6728238911"],
    )
    fields = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)
    assert fields["patient_name"].value == "詹瑞文" and not fields["patient_name"].sure


@pytest.mark.parametrize(
    "rows_",
    [
        (["交款人", "郑瑞娥"], ["票据号码", "0012345678"]),  # values in the next cell
        ("交款人：", "郑瑞娥", "票据号码：", "0012345678"),  # values under their labels
    ],
)
def test_values_are_found_beside_or_under_their_labels(rows_):
    fields = parse_receipt(page("门诊收费票据", *rows_), hospitals=HOSPITALS, today=TODAY)
    assert fields["patient_name"].value == "郑瑞娥"
    assert fields["invoice_number"].value == "0012345678"


def test_a_neighbouring_cell_is_never_part_of_the_hospital():
    lines = page("门诊收费票据", "收款单位（章）：汕头市第二人民医院 复核人：王芳 收款人：李明")
    hospital = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["hospital"]
    assert hospital.value == "汕头市第二人民医院"  # read as printed, though not on the list
    assert not hospital.sure


def test_a_heading_names_the_hospital_when_no_payee_label_is_printed():
    lines = page("汕头市中医医院", "门诊收费收据", ["姓名：陈美玲", "合计：56.00"])
    fields = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)
    assert fields["hospital"].value == "汕头市中医医院"
    assert fields["patient_name"].value == "陈美玲"


def test_a_paper_forms_red_number_and_a_date_printed_into_its_year_month_day():
    lines = page(
        "广东省医疗收费票据",
        ["姓名", "蔡桂兰"],
        ["合计人民币（大写）", "贰拾叁元伍角", "¥23.50"],
        ["收款单位（盖章）", "收款人"],
        ["2026", "年", "03", "月", "15", "日"],
    )
    red = [Line("No 01234567", 0.95, Box(1200, 40, 1500, 80))]
    fields = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY, red=red)
    assert fields["invoice_number"].value == "01234567"
    assert fields["issue_date"].value == "2026-03-15" and not fields["issue_date"].sure
    assert fields["total"].value == "23.50" and fields["total"].sure


def test_a_date_printed_into_the_forms_year_month_day_is_not_taken_after_today() -> None:
    """2019 read 2050 in the form's 年 月 日: no such receipt yet; the date printed beside
    the operator's number is the one taken (to be checked)."""
    lines = page(
        "广东省医疗收费票据",
        ["姓名", "蔡桂兰"],
        ["合计人民币（大写）", "贰拾叁元伍角", "¥23.50"],
        ["操作员:661 2019-12-30 17:15"],
        ["收款单位（盖章）", "收款人", "2050年01月19日"],
    )
    fields = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)
    assert fields["issue_date"].value == "2019-12-30" and not fields["issue_date"].sure


@pytest.mark.parametrize(
    ("printed", "issued"),
    [
        ("20180424", "2018-04-24"),  # the form's 年 月 日 lost with its pale ink
        ("2021 03 18", "2021-03-18"),  # the same, the digits set apart as the form spaces them
        ("2021 03 18 13", None),  # not a date alone
        ("20180431", None),  # no such day
        ("19990424", None),  # before any receipt the kiosk takes
        ("20990424", None),  # after today
        ("门诊号 20180424", None),  # a number beside its label
    ],
)
def test_eight_digits_standing_alone_are_a_paper_forms_date_but_never_sure(
    printed: str, issued: str | None
) -> None:
    lines = page(
        "广东省医疗收费票据",
        ["姓名", "蔡桂兰"],
        ["合计人民币（大写）", "贰拾叁元伍角", "¥23.50"],
        ["收款单位（盖章）", "汕头市中医医院", "收款人", printed],
    )
    fields = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)
    assert fields["issue_date"].value == issued
    assert not fields["issue_date"].sure


def test_a_paper_forms_red_number_read_without_its_no_is_not_its_date() -> None:
    lines = page("广东省医疗收费票据", ["姓名", "蔡桂兰"], ["合计人民币（大写）", "¥23.50"])
    red = [Line("20190311", 0.95, Box(1200, 40, 1500, 80))]  # the press-numbered No.
    fields = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY, red=red)
    assert fields["issue_date"].value is None


def test_red_digits_low_on_the_page_are_a_seal_over_print_not_the_forms_no() -> None:
    """A seal stamped over 结算时间 2026-02-04 reads as red digits; the No. is pressed in the
    form's head, and an expense list has none."""
    lines = page(
        "住院病人费用清单",
        ["项目名称", "金额"],
        ["床位费", "1740.00"],
        ["总金额：1740.00元"],
        ["打印人：上官乌", "结算时间：2026-02-0409:27:11"],
    )
    for top, number in ((40, "20260040"), (lines[-1].box.top, None)):
        red = [Line("20260040", 0.95, Box(600, top, 800, top + 40))]
        fields = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY, red=red)
        assert fields["invoice_number"].value == number


def test_amounts_paid_by_insurance_are_not_the_total():
    lines = page(
        "医疗门诊收费票据（电子）",
        ["医保统筹基金支付：80.00", "个人现金支付：43.45"],
        ["金额合计（大写）壹佰贰拾叁元肆角伍分", "（小写）123.45"],
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "123.45" and "capital_total" in total.checks


def test_when_the_total_label_is_lost_the_figure_equal_to_the_capitals_is_the_total():
    lines = page("门诊收费票据", ["个人支付 10.00", "壹佰贰拾叁元肆角伍分", "123.45"])
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "123.45" and total.sure


def test_an_unlabelled_date_is_never_sure():
    lines = page("门诊收费票据", ["就诊日期：2026-03-01"], ["2026-03-04"])
    issued = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["issue_date"]
    assert issued.value == "2026-03-04" and not issued.sure


def test_a_birth_line_read_in_pieces_keeps_the_box_of_the_whole_line():
    number = an_id_number(sequence="122")
    lines = id_card(number)
    pieces = [line for line in lines if line.text in ("1950", "年 3 月 12")]  # the digits
    birth = parse_id_card(lines, today=TODAY)["birth_date"]
    assert birth.box.left <= min(p.box.left for p in pieces)
    assert birth.box.right >= max(p.box.right for p in pieces)


def boxed(*rows: tuple[str, int, int, int, int]) -> list[Line]:
    """Lines where a tilted or worn card photo put them: text, left, top, right, bottom."""
    return [
        Line(text, 0.99, Box(left, top, right, bottom)) for text, left, top, right, bottom in rows
    ]


def test_a_mark_between_民族_and_its_value_is_skipped():
    for between in ("☑", "：", " · "):
        lines = page(["性别", "女", f"民族{between}汉"])
        assert parse_id_card(lines, today=TODAY)["ethnicity"].value == "汉", between


def test_with_民族_unread_the_group_alone_on_the_sex_row_is_taken_unsure():
    number = an_id_number(sequence="122")
    lines = boxed(
        ("郭强", 214, 77, 388, 159),
        ("姓名", 49, 105, 144, 157),
        ("女", 208, 193, 287, 256),
        ("汉", 527, 188, 593, 250),
        ("性别", 49, 206, 154, 263),
        ("公民身份号码", 75, 736, 293, 794),
        (number, 351, 707, 1108, 783),
    )
    ethnicity = parse_id_card(lines, today=TODAY)["ethnicity"]
    assert ethnicity.value == "汉" and not ethnicity.sure
    elsewhere = [line for line in lines if line.text != "汉"] + boxed(("汉", 527, 600, 593, 660))
    assert parse_id_card(elsewhere, today=TODAY)["ethnicity"].value is None  # not its row


def test_with_姓名_and_性别_unread_the_name_is_the_row_above_the_sex_unsure():
    lines = boxed(
        ("诸葛燕", 262, 60, 409, 124),
        ("女", 269, 168, 326, 219),
        ("民族汉", 312, 155, 673, 224),
        ("1936年12月31日", 263, 258, 697, 322),
    )
    name = parse_id_card(lines, today=TODAY)["name"]
    assert name.value == "诸葛燕" and not name.sure


def test_a_misread_住址_in_the_label_column_is_not_part_of_the_address():
    lines = boxed(
        ("1942年6月20日", 91, 584, 426, 672),
        ("广东省汕头市潮南区峡山", 119, 692, 591, 795),
        ("主址", 0, 749, 58, 809),
        ("街道东溪村29巷7号", 127, 757, 491, 851),
        ("440514194206200151", 285, 958, 1047, 1058),
    )
    assert (
        parse_id_card(lines, today=TODAY)["address"].value
        == "广东省汕头市潮南区峡山街道东溪村29巷7号"
    )


# Tilted card photos where 住址 does not stand level with the address's first line: beside
# its second line, or (a card cut short at the top, seen on a development photo) beside the
# 出生 line's date. Either way the address is its own lines, whole, and unsure.
LABEL_OFF_ITS_LINE = {
    "beside-the-second-line": (
        [
            ("1961年1月27日", 225, 488, 559, 608),
            ("出生", 126, 561, 217, 629),
            ("广东省汕头市龙湖区鸥汀街", 209, 558, 693, 700),
            ("住址", 109, 651, 193, 716),
            ("道鸥汀村38巷75号", 206, 647, 522, 754),
            ("440514196101273820", 249, 901, 709, 991),
        ],
        "广东省汕头市龙湖区鸥汀街道鸥汀村38巷75号",
    ),
    "beside-the-birth-date": (
        [
            ("1994年2月8日", 358, 0, 813, 158),
            ("住址", 80, 52, 266, 180),
            ("广东省汕头市濠江区礐石", 347, 112, 966, 338),
            ("街道中礐路32巷36号", 348, 200, 892, 396),
            ("公民身份号码", 100, 583, 469, 690),
            ("440514199402088868", 557, 612, 1174, 727),
        ],
        "广东省汕头市濠江区礐石街道中礐路32巷36号",
    ),
}


@pytest.mark.parametrize("rows, expected", LABEL_OFF_ITS_LINE.values(), ids=LABEL_OFF_ITS_LINE)
def test_住址_off_the_address_s_first_line_still_gives_the_whole_address(rows, expected):
    address = parse_id_card(boxed(*rows), today=TODAY)["address"]
    assert address.value == expected and not address.sure


def test_the_number_row_ends_the_address_with_its_label_and_its_head_lost():
    """Glare on 公民身份号码 and the number's 44: what is left of the number is a run of digits
    no address holds, and is not read as the address's third line."""
    lines = boxed(
        ("住址", 0, 549, 88, 601),
        ("广东省汕头市濠江区岩石", 127, 509, 608, 600),
        ("街道海旁路13巷98号", 134, 572, 543, 654),
        ("0511193208281262", 140, 825, 646, 896),
    )
    address = parse_id_card(lines, today=TODAY)["address"]
    assert address.value == "广东省汕头市濠江区礐石街道海旁路13巷98号"


def test_with_every_total_label_lost_the_largest_lone_amount_is_the_total_unsure():
    lines = page(
        "门诊收费票据",
        ["西药费", "120.50"],
        ["检查费", "80.00"],
        ["加（快）", "230.50"],  # 合计 misread; the 大写 line lost
        ["个人现金支付", "30.50"],
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "230.50" and not total.sure


def test_the_largest_amount_is_not_taken_from_a_label_that_is_not_the_total():
    lines = page(
        "住院收费票据",
        ["床位费", "300.00"],
        ["药费", "500.00"],
        ["预交金", "2000.00"],  # the deposit, larger than the total
        ["收到", "800.00"],
    )
    assert parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"].value == "800.00"


def test_a_lone_amount_equal_to_the_items_sum_is_a_sure_total():
    lines = page("门诊收费票据", "120.50", "80.00", "200.50")
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "200.50" and total.sure and "sum_of_items" in total.checks


def test_an_e_invoice_number_whose_label_was_lost_is_read_by_its_form_and_doubted():
    lines = page(
        "广东省医疗门诊收费票据（电子）",
        ["美", "5029055413", "开票日期：2025年08月09日"],  # 票据号码 misread as 美
        ["票据代码：44062017", "门诊号", "2603345393"],
        ["西药费", "120.50"],
        ["检查费", "80.00"],
        ["合计", "200.50"],
    )
    number = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["invoice_number"]
    assert number.value == "5029055413" and "number_without_label" in number.doubts
    clinic_number_only = page(
        "广东省医疗门诊收费票据（电子）",
        ["门诊号", "2603345393", "开票日期：2025年08月09日"],
        ["票据代码：44062017"],
        ["西药费", "120.50"],
        ["检查费", "80.00"],
        ["合计", "200.50"],
    )
    fields = parse_receipt(clinic_number_only, hospitals=HOSPITALS, today=TODAY)
    assert fields["invoice_number"].value is None  # 门诊号's value is not the receipt's number


# --- a paper form's grids, a figure misread, marks and tilts (tablet photos, December) -------


def test_capitals_filled_into_a_paper_forms_printed_units_are_read():
    """The older 医疗收费票据 prints 万 仟 佰 拾 元 角 分; the dot-matrix printer fills a
    numeral before each unit, a little lower, and the engine reads each as a line of its own."""
    lines = [
        Line("合计人民币（", 0.99, Box(77, 459, 236, 504)),
        Line("(大写)", 0.99, Box(212, 460, 315, 502)),
        Line("佰拾", 0.8, Box(504, 460, 623, 507)),
        Line("元", 0.99, Box(651, 465, 691, 502)),
        Line("角", 0.99, Box(716, 465, 758, 501)),
        Line("分", 0.99, Box(793, 465, 835, 502)),
        Line("柒", 0.98, Box(609, 489, 651, 527)),
        Line("玖", 0.99, Box(682, 494, 726, 529)),
        Line("伍", 0.99, Box(756, 494, 796, 531)),
        Line("¥7.95", 0.99, Box(908, 470, 1000, 514)),
    ]
    total = parse_receipt(
        [Line("广东省医疗收费票据", 0.99, Box(450, 40, 900, 100)), *lines],
        hospitals=HOSPITALS,
        today=TODAY,
    )["total"]
    assert total.value == "7.95" and "capital_total" in total.checks and total.sure


def test_units_with_nothing_filled_in_are_not_a_total():
    lines = page(
        "广东省医疗收费票据", ["合计人民币（大写）", "万", "仟", "佰", "拾", "元", "角", "分"]
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value is None


def test_a_figure_misread_by_one_digit_gives_way_to_the_capitals_and_their_twin():
    lines = page(
        "广东省医疗收费票据",
        ["个人自付102.26"],
        ["合计人民币（大写）壹佰零拾贰元贰角陆分", "¥02.26"],
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "102.26" and total.sure
    printed = next(line for line in lines if line.text == "¥02.26")
    assert total.box is not None and total.box.top == printed.box.top  # the total as printed


def test_capitals_and_a_twin_far_from_the_labelled_figure_are_taken_but_doubted():
    lines = page(
        "广东省医疗收费票据",
        ["个人自付102.26", "个人账户支付0.00"],
        ["合计（大写）壹佰零贰元贰角陆分", "（小写）¥8.00"],
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "102.26" and not total.sure
    assert "capital_total_differs" in total.doubts


def test_a_zero_beside_the_total_label_is_never_the_total():
    lines = page(
        "广东省医疗收费票据",
        ["西药费", "60.00", "检查费", "42.26"],
        ["合计人民币（大写）", "0.00"],  # 个人账户支付's value, its label lost
        ["102.26"],
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "102.26"


def test_the_figure_on_the_row_of_a_misread_total_label_is_the_total():
    """合计人民币（大写） with 合计 and 大写 blurred (许人民币（文）): 人民币 is printed on no other
    line of a receipt, so the figure on its row is the total, not a larger figure above it."""
    lines = page(
        "广东省医疗收费票据",
        ["预交金额", "10300.00"],
        ["许人民币（文）", "壹", "染", "8517.19"],
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "8517.19" and not total.sure


def test_a_paper_forms_name_whose_label_was_cut_off_is_the_one_before_sex():
    head = ["名", "杜彬", "性别", "男", "医保类型", "自费"]  # 姓 outside the photo
    lines = page("广东省医疗收费票据", head, ["项目", "金额"], ["西药费", "12.00"])
    name = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["patient_name"]
    assert name.value == "杜彬" and not name.sure
    other = page("广东省医疗收费票据", ["西药费", "性别", "男"], ["项目", "金额"])
    assert parse_receipt(other, hospitals=HOSPITALS, today=TODAY)["patient_name"].value is None


def test_a_stay_printed_over_its_labels_is_read_in_the_rows_order():
    """The printer out of register: each date lands on the next label (入 of 入院日期 lost)."""
    row = ["住院号", "79030855院日期2018.11.10出院日期", "2018-11-23住院天数 13"]
    fields = parse_receipt(page("广东省医疗收费票据 住院", row), hospitals=HOSPITALS, today=TODAY)
    assert (fields["admission_date"].value, fields["discharge_date"].value) == (
        "2018-11-10",
        "2018-11-23",
    )
    assert fields["admission_date"].sure  # the 13 days printed agree
    cut = ["住院号", "41966295院日期", "2023-02-1出院日期", "2023-03-04住院天数"]
    fields = parse_receipt(page("广东省医疗收费票据 住院", cut), hospitals=HOSPITALS, today=TODAY)
    assert fields["admission_date"].value is None  # not 2023-02-01: its day lost a digit


def test_what_is_left_of_an_overprinted_admission_label_is_no_issue_date_label():
    lines = page(
        "广东省医疗收费票据 住院",
        ["姓名", "杨锦锦", "住院号", "0017180日期", "2018-11-27院日期", "2018.12·任院天数"],
        ["床位费", "3899.17"],
        "2018-12-16 16:17 流水号:1544804534",
    )
    issued = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["issue_date"]
    assert issued.value == "2018-12-16" and not issued.sure  # not the admission's 2018-11-27


def test_a_paper_forms_press_numbered_no_is_not_held_to_the_e_invoices_ten_digits():
    lines = page(
        ["票据代码44492451", "广东省医疗收费票据", "No.63540965"],
        ["姓名", "郑文乌"],
    )
    number = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["invoice_number"]
    assert number.value == "63540965" and "not_10_digits" not in number.doubts
    electronic = page(
        ["票据代码44060121", "广东省医疗门诊收费票据（电子）", "No.63540965"],
    )
    number = parse_receipt(electronic, hospitals=HOSPITALS, today=TODAY)["invoice_number"]
    assert "not_10_digits" in number.doubts


def test_an_inpatient_list_with_no_date_of_its_own_is_dated_at_discharge_and_doubted():
    lines = page(
        "潮南区峡山街道社区卫生服务中心住院费用清单",
        ["患者姓名：蒋玲", "性别：女"],
        ["入院时间:2026-05-08 00:50 出院时间:2026-06-02 15:13 住院天数:25天"],
        ["总费用：14382.31"],
    )
    fields = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)
    assert fields["issue_date"].value == "2026-06-02" and not fields["issue_date"].sure
    printed = page(*lines_text(lines), ["打印日期：2026-06-05"])
    issued = parse_receipt(printed, hospitals=HOSPITALS, today=TODAY)["issue_date"]
    assert issued.value == "2026-06-05"


def lines_text(lines: list[Line]) -> list[list[str]]:
    """The rows of `page()` lines back as texts, to add a row to them."""
    rows: dict[int, list[str]] = {}
    for line in lines:
        rows.setdefault(line.box.top, []).append(line.text)
    return [rows[top] for top in sorted(rows)]


def test_a_name_behind_a_speck_is_read():
    number = an_id_number(sequence="122")
    lines = [
        Line("☑吕宝", 0.89, Box(180, 67, 381, 156)),
        Line("姓名", 1.0, Box(79, 87, 191, 146)),
        *[line for line in id_card(number) if line.box.top > 100],
    ]
    name = parse_id_card(lines, today=TODAY)["name"]
    assert name.value == "吕宝" and not name.sure


def test_an_address_line_starting_inside_a_tilted_first_lines_box_is_kept():
    number = an_id_number(sequence="122")
    lines = [
        Line("姓名", 1.0, Box(63, 76, 128, 125)),
        Line("陈桂兰", 1.0, Box(160, 76, 300, 125)),
        Line("住址", 1.0, Box(112, 378, 181, 433)),
        Line("广东省汕头市金平区鮀江", 0.98, Box(235, 387, 661, 504)),
        Line("街道鮀莲村3巷79号", 0.98, Box(242, 438, 580, 550)),
        Line("公民身份号码", 1.0, Box(154, 652, 323, 732)),
        Line(number, 1.0, Box(361, 683, 976, 887)),
    ]
    address = parse_id_card(lines, today=TODAY)["address"]
    assert address.value == "广东省汕头市金平区鮀江街道鮀莲村3巷79号"


def test_a_label_with_one_character_misread_as_a_letter_is_still_its_label():
    lines = page(
        "医疗门诊收费票据(电子)",
        ["票据代码：44067438", "T据号码：5443748317"],
        ["就诊号", "5287320009", "就诊日期", "2025-09-19"],
    )
    number = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["invoice_number"]
    assert number.value == "5443748317"


def test_a_label_with_an_inner_character_lost_is_still_its_label_unless_it_could_be_two():
    lines = page(
        "住院病人费用明细清单",
        ["姓名：曹惜炳", "性别：男"],
        ["入时间：2026-03-28 14:47", "出期对间：2026-03-30 16:57"],  # 入院时间, 院 lost
        ["出日期：2026-03-29"],  # 出院日期 or 出生日期: neither
    )
    fields = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)
    assert fields["admission_date"].value == "2026-03-28"
    assert fields["discharge_date"].value == "2026-03-30"  # not the 29th of 出日期


def test_a_number_after_a_label_misread_past_knowing_is_offered_for_checking():
    lines = page(
        "医疗门诊收费票据(电子)",
        ["交款人：曹建銮", "联张号码：0793530959"],  # 票据 read 联张
        ["门诊号：8181994953", "开票日期：2025-03-22"],
        ["项目名称", "金额"],
        ["治疗费", "30.31"],
        ["合计（大写）：叁拾元叁角壹分", "（小写）¥30.31"],
        ["收款单位（章）：汕头市中医医院", "收款人：程志玲"],
    )
    number = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["invoice_number"]
    assert number.value == "0793530959" and not number.sure
    assert "number_without_label" in number.doubts


@pytest.mark.parametrize("misread", ["票出：", "当月码"])  # 票据号码 blurred past knowing
def test_an_e_invoices_number_after_a_misread_label_comes_before_one_alone_below_it(
    misread: str,
) -> None:
    lines = page(
        "医疗门诊收费票据(电子)",
        ["票据代码：44017065", misread + "5847123442", "开票日期：2025年03月25日"],
        ["第0号", "6125962407"],  # 就诊号, misread too: its number stands alone
        ["项目名称", "数量", "金额"],
        ["治疗费", "1", "20.00"],
        ["检查费", "1", "10.31"],
        ["合计（大写）：叁拾元叁角壹分", "（小写）¥30.31"],
        ["收款单位（章）：汕头市中医医院", "收款人：程志玲"],
        ["复核人：王芳"],
    )
    number = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["invoice_number"]
    assert number.value == "5847123442" and not number.sure
    assert "number_without_label" in number.doubts


def test_an_e_invoices_code_after_what_is_left_of_its_label_is_offered_for_checking():
    rows = [
        "广东省医疗住院收费票据（电子）",
        ["交款人：蔡华珍", "开票日期：2026-09-08"],
        ["码：44017897", "票据号码：9212717153"],  # 票据代 lost in glare
        ["住院号", "63685969", "入院日期", "2026-09-04"],
        ["项目名称", "金额"],
        ["床位费", "4448.38"],
        ["手术费", "1377.87"],
        ["检查费", "943.19"],
        ["金额合计（大写）陆仟柒佰陆拾玖元肆角肆分", "（小写）¥6769.44"],
        ["收款单位（章）：汕头市中心医院", "收款人：徐美"],
    ]
    code = parse_receipt(page(*rows), hospitals=HOSPITALS, today=TODAY)["invoice_code"]
    assert code.value == "44017897" and not code.sure
    rows[2] = ["票据号码：9212717153"]
    code = parse_receipt(page(*rows), hospitals=HOSPITALS, today=TODAY)["invoice_code"]
    assert code.value is None  # not the 住院号


def test_the_visit_number_is_never_taken_for_the_receipts_number():
    lines = page(
        "医疗门诊收费票据(电子)",
        ["票据代码：44067438", "开票日期：2025-09-19"],
        ["就诊号", "5287320009"],
    )
    number = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["invoice_number"]
    assert number.value is None


def test_capitals_with_one_numeral_misread_pick_the_one_figure_that_fits_them():
    lines = page(
        "广东省医疗收费票据",
        ["西药费", "260.81", "诊查费", "22.36"],
        ["个人自付", "132.78", "283.17"],
        ["合计人民币（大写）", "贰佰捌抬盘元壹角柒分"],  # 拾 read 抬, 叁 read 盘
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "283.17" and not total.sure
    assert "capital_partly_read" in total.doubts


@pytest.mark.parametrize(
    ("figure", "total"),
    [("865.99", "865.99"), ("805.99", "805.99"), ("865.98", "5.99"), ("0.99", "5.99")],
)
def test_capitals_read_without_their_head_take_the_figure_beside_them_they_end(figure, total):
    """Glare on a paper form's 捌佰陆拾 leaves 伍元玖角玖分 read, and the figure's label lost:
    the figure on the row whose 大写 ends so is the total (805.99 too: 捌佰零伍元玖角玖分),
    for a person to check; a figure that does not is not taken (the 大写's own value is)."""
    lines = page(
        "广东省医疗收费票据",
        ["西药费", "446.02", "检查费", "288.03"],
        ["个人账户支付", "0.00", "个人自付", "865.99"],
        ["伍元玖角玖分", figure],
    )
    found = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert found.value == total and not found.sure


@pytest.mark.parametrize(
    ("paid", "total"), [("300.96", "300.96"), ("300.69", "800.96"), (None, "800.96")]
)
def test_a_figure_and_capitals_both_misread_give_way_to_the_items_printed_again(paid, total):
    """800.96 read for 300.96 and 壹佰 for 叁佰: the items add up to the figure with one digit
    changed, and 个人自付 prints that sum again. Without a part printed so, the figure stays."""
    lines = page(
        "广东省医疗收费票据",
        ["西药费", "189.85", "诊查费", "111.11"],
        ["医保统筹支付", "0.00", "个人账户支付", "0.00", *(["个人自付", paid] if paid else [])],
        ["合计人民币（大写）", "壹佰元玖角陆分", "800.96"],
    )
    found = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert found.value == total and not found.sure


@pytest.mark.parametrize(
    ("issued", "expected"),
    [
        ("2006-01-14", "2026-01-14"),  # the year's 2 read 0: in the stay's year, after it
        ("2016-01-14", "2026-01-14"),
        ("2006-01-10", "2006-01-10"),  # in the stay's year still before its end: as read
        ("2005-01-14", "2005-01-14"),  # a year two digits off: as read
        ("2026-01-14", "2026-01-14"),  # after the discharge: as read, not doubted
    ],
)
def test_an_issue_date_whose_year_is_the_stays_misread_is_put_in_that_year(issued, expected):
    """A 费用清单 is settled on the day of discharge or later: 结算日期 2006-01-14 for a stay
    ending 2026-01-13 is the stay's year with one digit misread. Doubted, whatever it is."""
    lines = page(
        "汕头市潮南民生医院住院费用清单",
        ["入院时间：2026/01/01", "出院时间：2026/01/13"],
        ["合计", "4403.58"],
        [f"结算日期：{issued}"],
    )
    date_ = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["issue_date"]
    assert date_.value == expected
    assert ("issued_before_discharge" in date_.doubts) is (issued < "2026-01-13")
    assert not (issued < "2026-01-13" and date_.sure)


@pytest.mark.parametrize(
    ("issued", "visit", "expected", "doubted"),
    [
        ("2020-01-29", "就诊日期", "2026-01-29", True),  # one digit misread: the visit's day
        ("2020-01-29", "装诊日期", "2026-01-29", True),  # and its label misread too
        ("2025-12-31", "就诊日期", "2025-12-31", True),  # not a misread of the visit's day
        ("2026-02-03", "就诊日期", "2026-02-03", False),  # after the visit: as read
    ],
)
def test_an_issue_date_before_the_visit_is_doubted_and_a_misread_of_its_day_mended(
    issued, visit, expected, doubted
):
    """An outpatient e-invoice is issued on the day of the visit (就诊日期) or later. A label
    misread by a character (装诊日期) is its label, not an unknown one ending in 日期."""
    lines = page(
        "广东省医疗门诊收费票据（电子）",
        ["票据代码：44065559", f"开票日期：{issued}"],
        ["交款人：郑惜明", "票据号码：5094800431"],
        f"业务流水号：2001297731520872门诊号：747551940{visit}：2026年01月29日",
    )
    date_ = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["issue_date"]
    assert date_.value == expected
    assert ("issued_before_visit" in date_.doubts) is doubted
    assert not (doubted and date_.sure)


@pytest.mark.parametrize(
    ("admitted", "discharged", "expected"),
    [
        ("2026年08月08日", "2026年08月11日", "2026-08-13"),  # 2026's 2 lost: the stay's year
        ("2016年08月08日", "2016年08月11日", "2016-08-13"),
        ("2016年08月08日", "2026年08月11日", "2026-08-11"),  # 206 of either: the discharge
    ],
)
def test_an_issue_date_whose_year_lost_a_digit_takes_the_year_of_the_page_s_dates(
    admitted, discharged, expected
):
    lines = page(
        "住院病人费用清单",
        ["入院时间:" + admitted, "出院时间:" + discharged],
        ["项目名称", "金额"],
        ["住院诊查费", "36.00"],
        "住院结算日期:206年08月13日",
    )
    issued = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["issue_date"]
    assert issued.value == expected and not issued.sure


def test_capitals_with_a_blot_that_two_figures_fit_choose_neither():
    lines = page(
        "广东省医疗收费票据",
        ["西药费", "281.17", "诊查费", "283.17"],
        ["合计人民币（大写）", "贰佰捌拾盘元壹角柒分"],
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert "capital_partly_read" not in total.doubts and not total.sure


def test_the_total_is_the_figure_level_with_its_label_not_the_last_items_price():
    """Lines packed tight: the last item's row sits half a line above 总计's, within a crooked
    row's reach, and its unit price comes before the total's figure from the left."""
    lines = [
        Line("住院患者费用清单", 1.0, Box(189, 105, 810, 149)),
        Line("仙灵骨葆胶囊", 1.0, Box(209, 476, 334, 515)),
        Line("盒", 1.0, Box(550, 481, 578, 513)),
        Line("48.00", 1.0, Box(646, 481, 706, 513)),
        Line("6", 1.0, Box(761, 485, 782, 513)),
        Line("288.00", 1.0, Box(823, 478, 906, 510)),
        Line("总计", 1.0, Box(211, 504, 263, 539)),
        Line("9387.20", 1.0, Box(823, 509, 906, 541)),
    ]
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "9387.20"


def test_glare_on_the_figure_leaves_the_capitals_confirmed_by_the_items():
    lines = page(
        "广东省医疗住院收费票据（电子）",
        ["床位费", "4448.38", "手术费", "1377.87"],
        ["检查费", "943.19", "放射费", "17.50"],
        ["金额合计（大写）", "陆仟柒佰捌拾陆元玖角肆分", "（小写）"],  # the figure under glare
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "6786.94" and total.sure
    assert total.checks == ("sum_of_items",)


def test_a_figure_that_lost_digits_gives_way_to_the_capitals():
    lines = page(
        "广东省医疗门诊收费票据（电子）",
        ["西药费", "512.30", "检查费", "100.00"],
        ["金额合计（大写）", "柒佰柒拾元柒角捌分", "（小写）¥0.78"],  # 77 lost in glare
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "770.78" and not total.sure  # the items do not add up to it


def test_capitals_with_a_blot_and_no_figure_take_the_items_sum_that_fits():
    lines = page(
        "医疗住院收费票据（电子）",
        ["诊查费", "5761.07", "化验费", "5117.77"],
        ["手术费", "3280.14", "护理费", "3695.14"],
        ["其他费", "2352.49", "放射费", "23.48"],
        ["检查费", "5050.36", "中草药费", "8.51"],
        ["治疗费", "2517.82", "床位费", "31.91"],
        "金额合计(大写)贰万柒仟捌佰参拾捌元陆角政分",  # 玖 read 政; the figure unread
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "27838.69" and not total.sure


def test_capitals_read_badly_take_an_items_sum_of_their_shape_for_a_person_to_check():
    items = [["床位费", "4448.38", "手术费", "1377.87"], ["检查费", "943.19", "放射费", "17.50"]]
    shaped = page("住院收费票据", *items, ["金额合计（大写）", "题件集佰模始陆元政角建分"])
    total = parse_receipt(shaped, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "6786.94" and not total.sure
    assert "capital_partly_read" in total.doubts
    other = page("住院收费票据", *items, ["金额合计（大写）", "题件集佰模始柒元政角建分"])
    total = parse_receipt(other, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value != "6786.94" and not total.sure  # 柒 where the sum has 陆


def test_capitals_with_a_unit_misread_are_read_as_the_software_writes_them():
    lines = page(
        "广东省医疗收费票据",
        ["西药费", "256.01", "检查费", "85.00"],
        ["合计人民币（大写）", "陆伯伍搭捌元捌角肆分", "￥"],  # 佰 read 伯, 拾 read 搭
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "658.84" and not total.sure  # not 陆佰伍零捌元 (608.84)


def test_a_date_printed_over_its_label_is_read_from_the_six_digits_left_and_doubted():
    """A dot-matrix printer out of register: the 20 of 2019 lands on the label's last
    character and is lost; what is left is never a date in 1912."""
    lines = page(
        "广东省医疗收费票据 住院",
        ["入院日期191212", "出院日期0191229", "住院天数"],
        ["合计人民币（大写）壹佰元整", "¥100.00"],
    )
    fields = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)
    assert (fields["admission_date"].value, fields["discharge_date"].value) == (
        "2019-12-12",
        "2019-12-29",
    )
    assert "two_digit_year" in fields["admission_date"].doubts
    assert not fields["discharge_date"].sure


def test_no_receipt_is_dated_before_2000():
    lines = page("门诊收费票据", ["开票日期：1912-02-09"], ["合计", "100.00"])
    issued = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["issue_date"]
    assert issued.value != "1912-02-09"


# --- a digit lost from the figure; a ¥ found apart from its figure (December, second week) ---


@pytest.mark.parametrize(
    ("second_item", "total_read"),
    [("216.62", "455.34"), ("16.00", "55.34")],
    ids=["items-add-up-to-it", "items-far-from-it"],
)
def test_a_figure_that_lost_a_digit_gives_way_to_the_items_that_add_up_to_it(
    second_item: str, total_read: str
) -> None:
    """The 大写 blurred past reading, the figure read ¥55.34 for ¥455.34: when the two items
    above it add up to the figure with that digit, theirs is the total, for the person to
    check; items that do not leave the figure as read."""
    lines = page(
        "广东省医疗收费票据",
        ["西药费", "238.72", "检查费", second_item],
        ["合计人民币（大写）佰伍拾伍元叁角肆分", "¥55.34"],
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == total_read and not total.sure
    assert ("sum_differs" in total.doubts) is (total_read != "55.34")


def test_a_yen_sign_read_apart_reaching_into_its_figure_labels_that_figure():
    """The ¥ detected as a line of its own, a little higher, its box reaching into the figure
    below-right of it; a refund's figure on the row above, further right, is not the total."""
    lines = [
        Line("广东省医疗收费票据", 0.99, Box(450, 40, 900, 100)),
        Line("预交金额", 0.99, Box(94, 391, 210, 433)),
        Line("26200.00", 0.99, Box(210, 409, 338, 451)),
        Line("退款金额", 0.99, Box(906, 390, 1024, 433)),
        Line("4379.63", 0.99, Box(1027, 414, 1144, 463)),
        Line("合计人民币（大写)", 0.9, Box(75, 444, 298, 489)),
        Line("¥", 0.51, Box(894, 447, 922, 482)),
        Line("贰万宣仟创佰贰舍元金角柒分", 0.71, Box(285, 463, 639, 509)),
        Line("21820.37", 0.99, Box(898, 466, 1027, 510)),
    ]
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "21820.37"


def test_a_figure_that_lost_a_digit_gives_way_to_the_deposit_less_the_refund():
    """¥11566.93 read ↓1566.93, the 大写 unreadable: 预交 13900.00 less 退款 2333.07 is the
    figure with its lost digit (补交 printed but read G00 counts as nothing). Taken, doubted:
    where a fund paid a part, the settlement is the person's share, never a confirmation."""
    lines = page(
        "广东省医疗收费票据",
        ["预交金额13900.00", "补交金额G00", "退款金额2333.07"],
        ["合计人民币(大写)壹青体陆竞术分", "↓1566.93"],
    )
    total = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["total"]
    assert total.value == "11566.93" and not total.sure and "sum_differs" in total.doubts
    exact = page(
        "广东省医疗收费票据",
        ["预交金额13900.00", "补交金额0.00", "退款金额2333.07"],
        ["合计人民币(大写)壹青体陆竞术分", "¥11566.93"],
    )
    assert parse_receipt(exact, hospitals=HOSPITALS, today=TODAY)["total"].checks == ()


@pytest.mark.parametrize(
    ("admitted", "discharged", "leaves", "expected"),
    [
        ("入院时间：2", "出院时间", "今日办理出院。", ("2026-06-24", "2026-08-01")),  # both lost
        (
            "入院时间：2026年6月24日",
            "出院时间：2026/06/2",
            "今日办理出院。",
            ("2026-06-24", "2026-08-01"),
        ),
        ("入院时间：2", "出院时间", "病情稳定。", ("2026-06-24", None)),  # not written on leaving
    ],
)
def test_a_summary_s_account_and_its_date_stand_in_for_stay_dates_read_past_knowing(
    admitted, discharged, leaves, expected
):
    """住院经过 says 于2026-06-24入院; a summary that says the patient leaves today is dated on
    the day of discharge. A discharge read before the admission (2026/06/2, a digit lost)
    gives way to that date too. Both for a person to check."""
    lines = page(
        "出院小结（记录）",
        admitted,
        discharged,
        "住院经过：患者因“跌倒致头部外伤伴头痛11小时”于2026-06-24入院。入院后完善血常规。",
        "经治疗后病情好转，" + leaves,
        "3. 出院后2周门诊复诊，拟于2026-08-08复查。",
        "签名日期：2026年8月1日",
    )
    fields = parse_discharge_summary(lines, hospitals=HOSPITALS, today=TODAY)
    admission, discharge = fields["admission_date"], fields["discharge_date"]
    assert admission.value == expected[0] and not admission.sure
    assert discharge.value == expected[1] and not discharge.sure


@pytest.mark.parametrize(
    ("admitted", "discharged", "expected"),
    [
        ("2006-08-23", "2026-09-02", ("2026-08-23", "2026-09-02")),  # 2026's 2 read 0
        ("2026-08-23", "2006-09-02", ("2026-08-23", "2026-09-02")),
        ("2025-12-23", "2026-01-05", ("2025-12-23", "2026-01-05")),  # over new year: as read
        ("2016-08-23", "2026-09-02", ("2026-08-23", "2026-09-02")),  # either: the later year
        ("2006-08-23", "2016-09-02", ("2016-08-23", "2016-09-02")),
        ("2001-08-23", "2026-09-02", ("2001-08-23", "2026-09-02")),  # not a digit apart
    ],
)
def test_a_stay_of_years_whose_years_are_a_digit_apart_is_mended_to_under_one(
    admitted, discharged, expected
):
    lines = page(
        "广东省医疗住院收费票据（电子）",
        [f"入院日期：{admitted}", f"出院日期：{discharged}"],
    )
    fields = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)
    admission, discharge = fields["admission_date"], fields["discharge_date"]
    assert (admission.value, discharge.value) == expected
    assert not (admission.sure or discharge.sure)


def test_a_list_s_unlabelled_date_before_the_discharge_gives_way_to_the_discharge():
    """An inpatient list's latest date with no label is an item's when it comes before the
    discharge: the list is settled on the day of discharge."""
    lines = page(
        "住院病人费用清单",
        ["入院时间：2026-04-20", "出院时间：2026-05-20"],
        ["费用日期", "项目名称", "金额"],
        ["2026-05-07", "床位费", "60.00"],
        "费用总额：14014.40元",
    )
    issued = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["issue_date"]
    assert issued.value == "2026-05-20" and not issued.sure


def test_a_bare_日期_heading_the_items_column_gives_no_issue_date_from_below_it():
    """费用日期 read as 日期 heads the items' column; the first item's date under it is no
    issue date (two readers agree on its digits, which proves nothing of the cell)."""
    lines = page(
        "汕头市中心医院住院费用明细清单",
        ["入院时间：2026年03月30日", "出院时间：2026年04月06日"],
        ["日期", "项目名称", "金额"],
        ["2026-03-30", "住院诊查费", "30.00"],
        ["2026-04-02", "床位费", "60.00"],
        "日期：2026-04-06",
    )
    issued = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["issue_date"]
    assert issued.value == "2026-04-06"
    without = parse_receipt(lines[:-1], hospitals=HOSPITALS, today=TODAY)["issue_date"]
    assert without.value != "2026-03-30" and not without.sure


def test_a_misread_date_in_the_future_is_not_the_latest_date_of_a_list_without_its_own():
    """A list with no date label is dated by its latest date; an item's 2026 read 2036 would
    be the latest of all, and is no issue date at all."""
    lines = page(
        "住院病人费用清单",
        ["费用日期", "项目名称", "金额"],
        ["2026-07-06", "康复评定", "90.00"],
        ["2036-07-07", "护理费", "18.00"],
        ["2026-07-15", "床位费", "60.00"],
    )
    issued = parse_receipt(lines, hospitals=HOSPITALS, today=TODAY)["issue_date"]
    assert issued.value == "2026-07-15" and not issued.sure
