"""The discharge summary (出院小结 / 出院记录) a ward prints for the patient, on A4 portrait.

The hospital's name, the title, the patient's particulars, the dates of admission and discharge
(sometimes with the hour), often the number of days, then diagnoses and a course of treatment
in prose that mentions other dates (tests, the operation, follow-up), the advice, the doctor's
signature and the date it was signed.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from PIL import ImageDraw, ImageFont

from kiosk.ocr.samples import people
from kiosk.ocr.samples.expense_list import A4, bold_of, face, format_date, paper, seal
from kiosk.ocr.samples.page import Page

# (department, admission diagnosis, discharge diagnosis, complaint, operation or None)
CASES = (
    ("骨科", "左股骨颈骨折", "左股骨颈骨折（GardenⅣ型）", "跌倒致左髋部疼痛、活动受限{h}小时", "左侧人工股骨头置换术"),
    ("骨科", "右股骨粗隆间骨折", "右股骨粗隆间骨折", "摔伤致右髋部疼痛伴活动障碍{h}小时", "右股骨粗隆间骨折闭合复位PFNA内固定术"),
    ("创伤骨科", "右桡骨远端骨折", "右桡骨远端粉碎性骨折", "跌倒时右手撑地致右腕部肿痛{h}小时", "右桡骨远端骨折切开复位钢板内固定术"),
    ("骨科", "腰1椎体压缩性骨折", "腰1椎体骨质疏松性压缩骨折", "弯腰搬物后腰背部疼痛{d}天", "经皮椎体后凸成形术（PKP）"),
    ("创伤骨科", "左胫腓骨骨折", "左胫腓骨中下段开放性骨折", "车祸致左小腿疼痛、流血{h}小时", "左胫骨骨折髓内钉内固定术"),
    ("外科", "急性阑尾炎", "急性化脓性阑尾炎", "转移性右下腹痛{d}天", "腹腔镜下阑尾切除术"),
    ("神经外科", "颅脑外伤", "右额颞部硬膜下血肿；头皮挫裂伤", "跌倒致头部外伤伴头痛{h}小时", None),
    ("内科", "社区获得性肺炎", "社区获得性肺炎（非重症）", "咳嗽、咳痰伴发热{d}天", None),
    ("内科", "脑梗死", "急性脑梗死（左侧基底节区）", "突发右侧肢体乏力{h}小时", None),
    ("康复科", "左股骨颈骨折术后", "左侧人工股骨头置换术后功能障碍", "左髋关节置换术后活动受限{d}天", None),
)  # fmt: skip
OTHERS = (
    "高血压病2级",
    "2型糖尿病",
    "骨质疏松症",
    "冠状动脉粥样硬化性心脏病",
    "慢性支气管炎",
    "低钾血症",
    "贫血（轻度）",
)
EXAMS = {
    "骨科": "患肢肿胀，局部压痛明显，可扪及骨擦感，末梢血运、感觉可。",
    "创伤骨科": "患肢肿胀畸形，压痛明显，活动受限，末梢血运可。",
    "外科": "腹软，右下腹压痛、反跳痛阳性，肠鸣音正常。",
    "神经外科": "GCS评分14分，双侧瞳孔等大等圆，对光反射灵敏。",
    "康复科": "左髋部见陈旧手术瘢痕，髋关节活动度受限，肌力4级。",
}
TITLES = ("出院小结", "出院记录", "出 院 小 结", "出院小结（记录）", "出院记录单")
SEAL_WORDS = ("病案管理专用章", "医务科专用章", "病历复印专用章", "出院小结专用章")


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float, indent: float = 0) -> list[str]:
    """Lines of at most `width` px; punctuation never starts a line."""
    lines, current, limit = [], "", width - indent
    for char in text:
        if font.getlength(current + char) > limit and current and char not in "，。；：、）》”":
            lines.append(current)
            current, limit = "", width
        current += char
    if current:
        lines.append(current)
    return lines


def _stamp_text(rng: random.Random, moment: datetime, timed: bool) -> str:
    if not timed:
        return format_date(rng, moment.date())
    if rng.random() < 0.7:
        return f"{moment:%Y-%m-%d %H:%M}"
    return f"{moment.year}年{moment.month}月{moment.day}日 {moment.hour}时{moment.minute}分"


def draw(rng: random.Random) -> Page:
    hospital = rng.choice(people.HOSPITALS)
    patient = people.invented_name(rng)
    sex = rng.choice("男女")
    age = rng.randrange(20, 96)
    department, first, final, complaint, operation = rng.choice(CASES)
    discharge = people.random_date(rng, date(2026, 1, 10), date(2026, 11, 20))
    stay = rng.randrange(3, 40)
    admission = discharge - timedelta(days=stay)
    come = datetime(
        admission.year, admission.month, admission.day, rng.randrange(0, 24), rng.randrange(60)
    )
    go = datetime(
        discharge.year, discharge.month, discharge.day, rng.randrange(8, 17), rng.randrange(60)
    )
    timed = rng.random() < 0.45
    shows_days = rng.random() < 0.75
    others = rng.sample(OTHERS, rng.randrange(0, 3)) if age > 50 else []

    width, height = A4
    page = paper(rng, A4)
    pen = ImageDraw.Draw(page)
    ink = tuple([rng.randrange(10, 45)] * 3)
    path = rng.choice(people.ALL_FACES)
    size = rng.randrange(30, 37)
    body = face(size, path)
    bold = face(size, bold_of(path))
    leading = int(size * rng.uniform(1.55, 1.9))
    margin = rng.randrange(120, 190)
    right = width - rng.randrange(120, 190)
    y = rng.randrange(90, 170)
    colon = rng.choice(("：", ":"))

    heading = face(rng.randrange(46, 62), bold_of(path) if rng.random() < 0.7 else path)
    pen.text((width / 2, y), hospital, font=heading, fill=ink, anchor="ma")
    y += int(heading.size * 1.5)
    title_face = face(rng.randrange(42, 56), bold_of(path))
    pen.text((width / 2, y), rng.choice(TITLES), font=title_face, fill=ink, anchor="ma")
    y += int(title_face.size * 1.8)

    number = f"{rng.randrange(10**5, 10**9)}"
    bed = f"{rng.randrange(1, 60)}{rng.choice(('', '床'))}"
    admission_word = rng.choice(("入院日期", "入院时间")) if not timed else "入院时间"
    discharge_word = admission_word.replace("入", "出")
    come_text = _stamp_text(rng, come, timed)
    go_text = _stamp_text(rng, go, timed and rng.random() < 0.8)
    days_text = rng.choice(
        ("住院天数{c}{n}天", "共住院{n}天", "实际住院{n}天", "住院{n}天", "住院天数{c}{n}")
    )
    days_text = days_text.format(c=colon, n=stay)

    style = rng.choice(("grid", "lines", "rule"))
    if style == "grid":  # a bordered table of label | value cells, rows of 3, 3 and 2 or 3
        rows = [
            [("姓名", patient), ("性别", sex), ("年龄", f"{age}岁")],
            [("科室", department), ("床号", bed), ("住院号", number)],
            [(admission_word, come_text), (discharge_word, go_text)],
        ]
        if shows_days:
            rows[1 if timed else 2].append(("住院天数", f"{stay}{rng.choice(('天', '', '日'))}"))
        if rng.random() < 0.3:
            rows[0], rows[1] = rows[1], rows[0]
        row_h = int(size * 1.9)
        top = y
        for row_index, row in enumerate(rows):
            cell = (right - margin) / len(row)
            y0 = top + row_index * row_h
            for column, (label, value) in enumerate(row):
                x0 = margin + column * cell
                split = x0 + body.getlength(label) + 24
                f = body
                while f.getlength(value) > x0 + cell - split - 14 and f.size > 18:
                    f = face(f.size - 2, path)
                pen.text((x0 + 10, y0 + row_h / 2), label, font=body, fill=ink, anchor="lm")
                pen.text((split + 8, y0 + row_h / 2), value, font=f, fill=ink, anchor="lm")
                pen.line((split, y0, split, y0 + row_h), fill=ink, width=1)
                pen.line((x0, y0, x0, y0 + row_h), fill=ink, width=2)
            pen.line((right, y0, right, y0 + row_h), fill=ink, width=2)
            pen.line((margin, y0, right, y0), fill=ink, width=2)
        y = top + len(rows) * row_h
        pen.line((margin, y, right, y), fill=ink, width=2)
        y += leading // 2
    else:  # label：value runs across the line, spaced out, under a rule or not
        if style == "rule":
            pen.line((margin, y - 10, right, y - 10), fill=ink, width=3)
        gap = rng.choice(("   ", "    ", "      "))
        first_line = gap.join(
            f"{a}{colon}{b}" for a, b in (("姓名", patient), ("性别", sex), ("年龄", f"{age}岁"))
        )
        second_line = gap.join(
            f"{a}{colon}{b}" for a, b in (("科室", department), ("床号", bed), ("住院号", number))
        )
        for text_line in (first_line, second_line):
            pen.text((margin, y), text_line, font=body, fill=ink)
            y += leading
        dates = [f"{admission_word}{colon}{come_text}", f"{discharge_word}{colon}{go_text}"]
        if shows_days:
            dates.append(days_text)
        joined = gap.join(dates)
        if body.getlength(joined) <= right - margin and rng.random() < 0.6:
            pen.text((margin, y), joined, font=body, fill=ink)
            y += leading
        else:
            for text_line in dates:
                pen.text((margin, y), text_line, font=body, fill=ink)
                y += leading
        if style == "rule":
            pen.line((margin, y, right, y), fill=ink, width=2)
        y += leading // 3

    # The prose sections.
    operated = admission + timedelta(days=min(rng.randrange(1, 4), stay - 1))
    checked = operated + timedelta(
        days=min(rng.randrange(2, 6), max(stay - (operated - admission).days - 1, 0))
    )
    follow = discharge + timedelta(days=rng.choice((7, 14, 30)))
    hours = rng.randrange(2, 12)
    chief = complaint.format(h=hours, d=rng.randrange(1, 8))
    diagnoses_in = [first] + others
    diagnoses_out = [final] + others
    if operation and rng.random() < 0.6:
        diagnoses_out[0] += f"（已行{operation}）" if rng.random() < 0.3 else ""
    fmt = rng.randrange(4)
    course = [
        f"患者因“{chief}”于{format_date(rng, admission, fmt)}入院。入院后完善血常规、凝血功能、"
        "肝肾功能、心电图及影像学等相关检查，"
    ]
    if operation:
        course.append(
            f"排除手术禁忌后于{format_date(rng, operated, fmt)}在{rng.choice(('腰硬联合麻醉', '全身麻醉', '臂丛神经阻滞麻醉'))}"
            f"下行{operation}，术程顺利，术后予抗感染、镇痛、预防深静脉血栓、补液等对症支持治疗，"
            f"{format_date(rng, checked, fmt)}复查X线片示内固定（假体）位置良好。"
        )
    else:
        course.append(
            "予抗感染、营养支持、改善循环及对症治疗，"
            f"{format_date(rng, checked, fmt)}复查相关指标较前好转，病情稳定。"
        )
    course.append(
        rng.choice(
            (
                "现患者一般情况可，准予出院。",
                "经治疗后病情好转，今日办理出院。",
                "患者及家属要求出院，予办理。",
            )
        )
    )
    state = rng.choice((
        "神志清，精神可，饮食睡眠可，切口愈合良好，无红肿渗出，肢体末梢血运、感觉正常。",
        "生命体征平稳，无发热，诉疼痛明显减轻，可扶助行器下地行走。",
        "一般情况良好，症状明显缓解，查体未见明显阳性体征。",
    ))  # fmt: skip
    advice = [
        rng.choice(
            ("注意休息，加强营养，避免劳累。", "注意休息，避免患肢负重，循序渐进行功能锻炼。")
        ),
        f"{rng.choice(('出院后2周', '出院后1个月', '定期'))}门诊复诊，拟于{format_date(rng, follow, fmt)}复查。",
        rng.choice(
            (
                "出院带药：塞来昔布胶囊 0.2g 口服 每日一次×7天。",
                "出院带药：钙尔奇D 1片 口服 每日一次。",
                "按时服药，监测血压、血糖。",
            )
        ),
        "如有不适，及时来院就诊。",
    ]
    if rng.random() < 0.5:
        advice.insert(
            1, "切口定期换药，术后14天拆线。" if operation else "低盐低脂饮食，戒烟限酒。"
        )

    headings = {
        "in": rng.choice(("入院诊断", "入院诊断")),
        "out": "出院诊断",
        "why": rng.choice(("入院情况", "主诉", "入院时情况")),
        "course": rng.choice(("诊疗经过", "住院经过", "诊治经过")),
        "state": rng.choice(("出院情况", "出院时情况")),
        "advice": "出院医嘱",
    }
    numbered = rng.random() < 0.5
    head_bold = rng.random() < 0.6

    def section(
        key: str, paragraphs: list[str], numbering: bool = False, listing: bool = False
    ) -> None:
        """A heading and its text: prose (first line indented) or a list, inline or below."""
        nonlocal y
        label = f"{headings[key]}{colon}"
        label_face = bold if head_bold else body
        inline = rng.random() < 0.6 and not numbering
        pen.text((margin, y), label, font=label_face, fill=ink)
        hang = label_face.getlength(label) if inline else (size * 2 if listing else 0)
        if not inline:
            y += leading
        for index, paragraph in enumerate(paragraphs):
            text = f"{index + 1}. {paragraph}" if numbering else paragraph
            if listing:
                lines = _wrap(text, body, right - margin - hang)
                starts = [margin + hang] * len(lines)
            else:
                first = label_face.getlength(label) if inline and index == 0 else size * 2
                first = 0 if numbering else first
                lines = _wrap(text, body, right - margin, first)
                starts = [margin + first] + [margin] * (len(lines) - 1)
            for start, text_line in zip(starts, lines, strict=True):
                pen.text((start, y), text_line, font=body, fill=ink)
                y += leading
        y += leading // 4

    section("in", diagnoses_in, numbering=numbered and len(diagnoses_in) > 1, listing=True)
    section("out", diagnoses_out, numbering=numbered and len(diagnoses_out) > 1, listing=True)
    if rng.random() < 0.7:
        exam = (
            f"患者因“{chief}”入院。查体：T {rng.randrange(362, 385) / 10}℃，"
            f"P {rng.randrange(62, 108)}次/分，R {rng.randrange(16, 24)}次/分，"
            f"BP {rng.randrange(105, 170)}/{rng.randrange(60, 100)}mmHg，神志清楚，"
            + EXAMS.get(department, "双肺呼吸音粗，心律齐，未闻及病理性杂音。")
        )
        section("why", [exam])
    section("course", ["".join(course)])
    section("state", [state])
    section("advice", advice, numbering=True)

    y += leading // 2
    signed = discharge if rng.random() < 0.8 else discharge - timedelta(days=1)
    doctor = people.invented_name(rng)
    signature_face = face(size + 6, people.UKAI if rng.random() < 0.6 else path)
    label = rng.choice(("医师签名", "主治医师", "经治医师", "医生签名"))
    pen.text((right - size * 16, y), f"{label}{colon}", font=body, fill=ink)
    pen.text(
        (right - size * 16 + body.getlength(f"{label}{colon}") + 10, y - 4),
        doctor,
        font=signature_face,
        fill=(30, 30, 90),
    )
    y += leading
    date_label = rng.choice(("日期", "记录日期", "签名日期", ""))
    date_text = format_date(rng, signed)
    pen.text(
        (right - size * 16, y),
        f"{date_label}{colon if date_label else ''}{date_text}",
        font=body,
        fill=ink,
    )
    if rng.random() < 0.4:
        seal(page, rng, (right - size * 8, y - leading), hospital, rng.choice(SEAL_WORDS))
    if rng.random() < 0.5:
        pen.text(
            (width / 2, height - 70),
            rng.choice(("第1页/共1页", "第 1 页", "- 1 -")),
            font=face(24, path),
            fill=ink,
            anchor="ms",
        )

    truth = {
        "doc_type": "discharge_summary",
        "hospital": hospital,
        "patient_name": patient,
        "admission_date": admission.isoformat(),
        "discharge_date": discharge.isoformat(),
        "days": str(stay) if shows_days else None,
    }
    return Page(image=page, truth=truth)
