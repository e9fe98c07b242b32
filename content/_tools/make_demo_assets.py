"""Regenerate the fictional demo images, logos and attachments (PNG/SVG/DOCX/PDF) for the 霁川市 site group using only the standard library."""

import math
import os
import struct
import zipfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # .../content
W, H = 640, 360


# ---------------------------------------------------------------------------
# Minimal raster canvas + PNG writer
# ---------------------------------------------------------------------------
class Canvas:
    def __init__(self, w=W, h=H, bg=(255, 255, 255)):
        self.w, self.h = w, h
        self.px = [bytearray(bytes(bg) * w) for _ in range(h)]

    def set(self, x, y, c):
        if 0 <= x < self.w and 0 <= y < self.h:
            i = 3 * x
            self.px[y][i:i + 3] = bytes(c)

    def rect(self, x0, y0, x1, y1, c):
        x0, x1 = max(0, int(x0)), min(self.w, int(x1))
        y0, y1 = max(0, int(y0)), min(self.h, int(y1))
        if x1 <= x0:
            return
        seg = bytes(c) * (x1 - x0)
        for y in range(y0, y1):
            self.px[y][3 * x0:3 * x1] = seg

    def vgradient(self, y0, y1, c0, c1):
        for y in range(y0, y1):
            t = (y - y0) / max(1, y1 - y0 - 1)
            c = tuple(int(a + (b - a) * t) for a, b in zip(c0, c1))
            self.rect(0, y, self.w, y + 1, c)

    def circle(self, cx, cy, r, c):
        for y in range(int(cy - r), int(cy + r) + 1):
            dy = y - cy
            if dy * dy > r * r:
                continue
            dx = int(math.sqrt(r * r - dy * dy))
            self.rect(cx - dx, y, cx + dx + 1, y + 1, c)

    def polygon(self, pts, c):
        ys = [p[1] for p in pts]
        for y in range(int(min(ys)), int(max(ys)) + 1):
            xs = []
            n = len(pts)
            for i in range(n):
                (xa, ya), (xb, yb) = pts[i], pts[(i + 1) % n]
                if (ya <= y < yb) or (yb <= y < ya):
                    xs.append(xa + (y - ya) * (xb - xa) / (yb - ya))
            xs.sort()
            for i in range(0, len(xs) - 1, 2):
                self.rect(round(xs[i]), y, round(xs[i + 1]) + 1, y + 1, c)

    def line(self, x0, y0, x1, y1, c, width=3):
        steps = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        r = width / 2
        for s in range(steps + 1):
            t = s / steps
            x, y = x0 + (x1 - x0) * t, y0 + (y1 - y0) * t
            self.rect(x - r, y - r, x + r, y + r, c)

    def text(self, x, y, s, c, scale=2):
        for ch in s:
            glyph = FONT.get(ch.upper())
            if glyph is None:
                x += 4 * scale
                continue
            for gy, row in enumerate(glyph):
                for gx, bit in enumerate(row):
                    if bit == "1":
                        self.rect(x + gx * scale, y + gy * scale,
                                  x + (gx + 1) * scale, y + (gy + 1) * scale, c)
            x += (len(glyph[0]) + 1) * scale

    def save(self, path):
        raw = b"".join(b"\x00" + bytes(row) for row in self.px)

        def chunk(tag, data):
            body = tag + data
            return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

        png = (b"\x89PNG\r\n\x1a\n"
               + chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0))
               + chunk(b"IDAT", zlib.compress(raw, 9))
               + chunk(b"IEND", b""))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as fh:
            fh.write(png)


# 3x5 pixel font: digits and a few letters for axis labels
FONT = {
    "0": ["111", "101", "101", "101", "111"], "1": ["010", "110", "010", "010", "111"],
    "2": ["111", "001", "111", "100", "111"], "3": ["111", "001", "111", "001", "111"],
    "4": ["101", "101", "111", "001", "001"], "5": ["111", "100", "111", "001", "111"],
    "6": ["111", "100", "111", "101", "111"], "7": ["111", "001", "010", "010", "010"],
    "8": ["111", "101", "111", "101", "111"], "9": ["111", "101", "111", "001", "111"],
    ".": ["0", "0", "0", "0", "1"], "%": ["101", "001", "010", "100", "101"],
    "-": ["000", "000", "111", "000", "000"], "Q": ["0110", "1001", "1001", "1010", "0101"],
    "M": ["10001", "11011", "10101", "10001", "10001"], "A": ["111", "101", "111", "101", "101"],
    "B": ["110", "101", "110", "101", "110"], "C": ["111", "100", "100", "100", "111"],
    "D": ["110", "101", "101", "101", "110"], "E": ["111", "100", "111", "100", "111"],
    "S": ["111", "100", "111", "001", "111"], "I": ["111", "010", "010", "010", "111"],
    "W": ["10001", "10001", "10101", "11011", "10001"], "T": ["111", "010", "010", "010", "010"],
    "L": ["100", "100", "100", "100", "111"], "Y": ["101", "101", "010", "010", "010"],
    "X": ["101", "101", "010", "101", "101"],
}

GRID = (226, 230, 236)
AXIS = (90, 98, 110)
INK = (40, 48, 60)


def bar_chart(path, values, labels, colour, vmax, highlight=None, line=None, unit=""):
    """Vertical bar chart; optional polyline overlay (values on the same scale)."""
    cv = Canvas()
    left, right, top, bottom = 70, 610, 30, 300
    for i in range(6):
        y = bottom - (bottom - top) * i / 5
        cv.rect(left, int(y), right, int(y) + 1, GRID)
        cv.text(14, int(y) - 5, f"{vmax * i / 5:g}{unit}", AXIS, 2)
    cv.rect(left, top, left + 2, bottom + 1, AXIS)
    cv.rect(left, bottom, right, bottom + 2, AXIS)
    n = len(values)
    slot = (right - left) / n
    bw = slot * 0.56
    centres = []
    for i, v in enumerate(values):
        x0 = left + slot * i + (slot - bw) / 2
        h = (bottom - top) * v / vmax
        c = highlight if (highlight and i == n - 1) else colour
        cv.rect(x0, bottom - h, x0 + bw, bottom, c)
        centres.append((x0 + bw / 2, bottom - h))
        lab = labels[i]
        cv.text(int(x0 + bw / 2 - len(lab) * 4), bottom + 14, lab, INK, 2)
    if line:
        pts = [(centres[i][0], bottom - (bottom - top) * v / vmax) for i, v in enumerate(line)]
        for a, b in zip(pts, pts[1:]):
            cv.line(a[0], a[1], b[0], b[1], (214, 96, 40), 3)
        for x, y in pts:
            cv.circle(x, y, 5, (214, 96, 40))
    cv.save(path)


def landscape(path, sky0, sky1, hills, water=None, sun=None, extras=None):
    cv = Canvas()
    cv.vgradient(0, H, sky0, sky1)
    if sun:
        cv.circle(sun[0], sun[1], sun[2], sun[3])
    for pts, c in hills:
        cv.polygon(pts, c)
    if water:
        cv.rect(0, water[0], W, H, water[1])
        for i in range(8):
            y = water[0] + 12 + i * 9
            cv.rect(60 + (i * 83) % 420, y, 160 + (i * 83) % 420, y + 2, water[2])
    if extras:
        extras(cv)
    cv.save(path)


def building(cv, x, y, w, h, wall, window, floors=4, cols=5):
    cv.rect(x, y, x + w, y + h, wall)
    fh = h / (floors + 1)
    cw = w / (cols * 2 + 1)
    for f in range(floors):
        for k in range(cols):
            wx = x + cw * (2 * k + 1)
            wy = y + fh * (f + 0.6)
            cv.rect(wx, wy, wx + cw, wy + fh * 0.55, window)


def tree(cv, x, y, s=1.0):
    cv.rect(x - 3 * s, y - 10 * s, x + 3 * s, y + 12 * s, (120, 84, 52))
    cv.circle(x, y - 20 * s, 16 * s, (64, 150, 88))


# ---------------------------------------------------------------------------
# Images per site
# ---------------------------------------------------------------------------
def portal_images(d):
    bar_chart(f"{d}/econ-q3-chart.png", [812, 868, 915], ["2026Q1", "2026Q2", "2026Q3"],
              (44, 104, 178), 1000, highlight=(196, 52, 48))
    bar_chart(f"{d}/fifteen-plan-goals.png", [10.5, 11.6, 12.8, 14.0, 15.0],
              ["2026", "2027", "2028", "2029", "2030"], (60, 132, 120), 20,
              highlight=(214, 96, 40), unit="%")

    def hall(cv):
        building(cv, 120, 110, 400, 190, (236, 232, 222), (120, 160, 200), floors=4, cols=8)
        cv.polygon([(100, 112), (320, 50), (540, 112)], (176, 58, 46))
        cv.rect(280, 230, 360, 300, (90, 110, 130))
        for x in (60, 580):
            tree(cv, x, 280, 1.2)
    landscape(f"{d}/gov-service-hall.png", (196, 222, 246), (238, 246, 252),
              [([(0, 300), (640, 300), (640, 360), (0, 360)], (168, 176, 184))], extras=hall)

    def park(cv):
        for x in (70, 130, 520, 590):
            tree(cv, x, 236, 1.0)
        cv.rect(250, 262, 390, 268, (150, 110, 80))
    landscape(f"{d}/jingyue-lake-park.png", (150, 200, 240), (226, 240, 250),
              [([(0, 210), (150, 120), (300, 200), (420, 110), (640, 210), (640, 260), (0, 260)], (96, 150, 110)),
               ([(0, 240), (640, 230), (640, 262), (0, 262)], (130, 180, 120))],
              water=(262, (86, 150, 200), (170, 210, 235)), sun=(540, 70, 34, (252, 214, 96)), extras=park)


def education_images(d):
    bar_chart(f"{d}/enrollment-trend.png", [10.6, 11.2, 11.8, 12.1, 12.4],
              ["2022", "2023", "2024", "2025", "2026"], (58, 118, 196), 15, highlight=(232, 146, 40))
    bar_chart(f"{d}/teacher-training-hours.png", [72, 80, 88, 96],
              ["2023", "2024", "2025", "2026"], (110, 86, 170), 120)

    def campus(cv):
        building(cv, 80, 140, 300, 160, (246, 226, 200), (110, 150, 196), floors=3, cols=6)
        building(cv, 400, 170, 170, 130, (228, 236, 246), (110, 150, 196), floors=2, cols=3)
        cv.rect(200, 60, 204, 140, (120, 120, 120))
        cv.rect(204, 62, 244, 84, (206, 48, 44))
        for x in (40, 600):
            tree(cv, x, 284, 1.1)
    landscape(f"{d}/new-school-campus.png", (170, 210, 244), (236, 246, 252),
              [([(0, 300), (640, 300), (640, 360), (0, 360)], (120, 176, 110))], extras=campus)


def health_images(d):
    bar_chart(f"{d}/vaccination-coverage.png", [96.2, 95.8, 97.1, 94.9, 96.6],
              ["WS", "YT", "QL", "YX", "BLW"], (46, 150, 140), 100, unit="%")
    bar_chart(f"{d}/hospital-beds-plan.png", [6.8, 7.1, 7.4, 7.7, 8.0],
              ["2026", "2027", "2028", "2029", "2030"], (70, 120, 190), 10,
              line=[3.1, 3.3, 3.5, 3.7, 3.9])

    def clinic(cv):
        building(cv, 170, 120, 300, 180, (244, 246, 248), (120, 170, 210), floors=3, cols=6)
        cv.rect(300, 60, 340, 110, (255, 255, 255))
        cv.rect(314, 66, 326, 104, (214, 52, 52))
        cv.rect(302, 79, 338, 91, (214, 52, 52))
        for x in (90, 550):
            tree(cv, x, 284, 1.2)
    landscape(f"{d}/family-doctor.png", (200, 228, 240), (240, 248, 250),
              [([(0, 300), (640, 300), (640, 360), (0, 360)], (150, 196, 150))], extras=clinic)


def ecology_images(d):
    months = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]
    bar_chart(f"{d}/aqi-monthly-2026.png", [80.6, 85.7, 90.3, 93.3, 90.3, 86.7, 93.5, 96.8, 100, 96.8],
              months, (72, 160, 96), 100, unit="%")
    bar_chart(f"{d}/pm25-by-district.png", [29, 31, 26, 24, 27], ["WS", "YT", "QL", "YX", "BLW"],
              (120, 130, 150), 40)
    bar_chart(f"{d}/river-water-quality.png", [2, 2, 3, 2, 3, 2], ["S1", "S2", "S3", "S4", "S5", "S6"],
              (60, 140, 200), 5)

    def reeds(cv):
        for i in range(40):
            x = 10 + i * 16
            cv.line(x, 300, x + 4, 250 - (i * 37) % 30, (110, 150, 80), 2)
        cv.circle(430, 180, 6, (250, 250, 250))
        cv.polygon([(424, 180), (404, 172), (424, 176)], (250, 250, 250))
    landscape(f"{d}/wetland-restoration.png", (176, 214, 238), (234, 244, 248),
              [([(0, 230), (200, 160), (380, 220), (520, 150), (640, 210), (640, 270), (0, 270)], (110, 160, 120))],
              water=(270, (90, 160, 190), (180, 220, 232)), sun=(100, 70, 30, (252, 222, 120)), extras=reeds)


# ---------------------------------------------------------------------------
# Logos (fictional emblems)
# ---------------------------------------------------------------------------
LOGOS = {
    "portal": ("霁川市人民政府", "#b8322a", "#f3c54a", "J"),
    "education": ("霁川市教育局", "#2f6db5", "#ffffff", "JY"),
    "health": ("霁川市卫生健康委员会", "#1f8a7a", "#ffffff", "WJ"),
    "ecology": ("霁川市生态环境局", "#3d8a3a", "#d8f0c8", "HJ"),
}


def logo_svg(title, main, accent, initial):
    return f"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64" role="img">
  <title>{title}</title>
  <circle cx="32" cy="32" r="30" fill="{main}"/>
  <circle cx="32" cy="32" r="25" fill="none" stroke="{accent}" stroke-width="2"/>
  <path d="M12 40 Q22 30 32 40 T52 40" fill="none" stroke="{accent}" stroke-width="3" stroke-linecap="round"/>
  <path d="M32 10 L36 20 L32 18 L28 20 Z" fill="{accent}"/>
  <text x="32" y="34" text-anchor="middle" font-family="sans-serif" font-size="{14 if len(initial) == 1 else 11}" font-weight="bold" fill="{accent}">{initial}</text>
</svg>
"""


# ---------------------------------------------------------------------------
# DOCX and PDF attachments
# ---------------------------------------------------------------------------
CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
  <Default Extension="xml" ContentType="application/xml"/>
  <Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""


def _esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def docx(path, title, paragraphs):
    body = [f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="36"/></w:rPr>'
            f'<w:t>{_esc(title)}</w:t></w:r></w:p>']
    for p in paragraphs:
        body.append(f'<w:p><w:r><w:t xml:space="preserve">{_esc(p)}</w:t></w:r></w:p>')
    doc = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           + "".join(body)
           + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>')
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", CT), ("_rels/.rels", RELS), ("word/document.xml", doc)):
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 5, 0, 0, 0))  # fixed stamp: reproducible output
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.encode("utf-8"))


def pdf(path, lines):
    def pesc(s):
        return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    ops = ["BT", "/F1 16 Tf", "72 770 Td", f"({pesc(lines[0])}) Tj", "/F1 11 Tf"]
    for ln in lines[1:]:
        ops += ["0 -20 Td", f"({pesc(ln)}) Tj"]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n".encode() + b"0000000000 65535 f \n"
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(bytes(out))


def attachments():
    pdf(f"{ROOT}/portal/attachments/jzbf-2026-12.pdf", [
        "Jichuan Shi Renmin Zhengfu Bangongshi Wenjian",
        "Ji Zheng Ban Fa [2026] 12 Hao",
        "Jichuan Shi Youhua Yingshang Huanjing Ruogan Cuoshi",
        "(Fictional demo document - PDF version)",
        "1. Shenhua zhengwu fuwu gaige, tuijin 'gao xiao ban cheng yi jian shi'.",
        "2. Jiangdi qiye zhidu xing jiaoyi chengben.",
        "3. Jiaqiang zhishi chanquan baohu he gongping jingzheng shencha.",
        "4. Wanshan qiye suqiu xiangying jizhi.",
        "Jichuan Shi Renmin Zhengfu Bangongshi, 2026-06-18",
    ])
    pdf(f"{ROOT}/ecology/attachments/jhf-2026-8.pdf", [
        "Jichuan Shi Shengtai Huanjing Ju Wenjian",
        "Ji Huan Fa [2026] 8 Hao",
        "Jichuan Shi 2026-2027 Niandu Qiudong Ji Daqi Wuran Fangzhi Gongzuo Fang'an",
        "(Fictional demo document - PDF version)",
        "Mubiao: PM2.5 pingjun nongdu kongzhi zai 35 ug/m3 yixia.",
        "Cuoshi: yangchen guanli, jidongche paifang, sanluan wu qiye zhengzhi.",
        "Jichuan Shi Shengtai Huanjing Ju, 2026-09-28",
    ])
    docx(f"{ROOT}/portal/attachments/zhengwu-banjian-shenqingbiao.docx", "霁川市企业开办“一件事”申请表", [
        "申请企业名称：____________________",
        "统一社会信用代码（已办理的填写）：____________________",
        "经办人姓名：____________  联系电话：____________",
        "申请事项：□设立登记  □公章刻制  □申领发票  □社保登记  □公积金缴存登记",
        "本人承诺所提交材料真实、合法、有效。",
        "申请人（签字）：____________  日期：____年__月__日",
        "（本表为示例演示文件，内容均为虚构。）",
    ])
    docx(f"{ROOT}/education/attachments/yiwu-jiaoyu-ruxue-dengjibiao.docx", "霁川市2026年义务教育阶段新生入学登记表", [
        "学生姓名：____________  性别：____  出生日期：____年__月__日",
        "户籍所在地：____________________",
        "实际居住地址：____________________",
        "监护人姓名：____________  与学生关系：____________",
        "申请学校：____________________",
        "所附材料：□户口簿  □房产证明或租赁备案证明  □居住证",
        "（本表为示例演示文件，内容均为虚构。）",
    ])
    docx(f"{ROOT}/education/attachments/jiaoshi-zhaopin-baomingbiao.docx", "霁川市教育局2026年公开招聘中小学教师报名表", [
        "姓名：____________  性别：____  出生年月：________",
        "毕业院校及专业：____________________",
        "学历学位：____________  教师资格证种类及学科：____________",
        "报考岗位代码：____________",
        "学习及工作经历：",
        "本人承诺以上信息真实准确，如有不实，自愿取消聘用资格。",
        "（本表为示例演示文件，内容均为虚构。）",
    ])
    docx(f"{ROOT}/health/attachments/hpv-yimiao-jiezhong-zhiqingshu.docx", "霁川市适龄女生HPV疫苗免费接种知情同意书", [
        "学生姓名：____________  学校及班级：____________________",
        "疫苗名称：人乳头瘤病毒疫苗（二价）",
        "接种程序：共两剂，间隔6个月。",
        "监护人已阅读疫苗接种相关告知内容，了解可能出现的一般反应及注意事项。",
        "□同意接种    □不同意接种",
        "监护人签字：____________  日期：____年__月__日",
        "（本表为示例演示文件，内容均为虚构。）",
    ])


def interpretation_images():
    """图解: one chart per policy interpretation (政策解读), the lead image that makes it graphic."""
    years = lambda *ys: [str(y) for y in ys]  # noqa: E731
    charts = {
        "portal/images/tujie-jiuye-mubiao.png": ([4.1, 4.3, 4.5], years(2024, 2025, 2026), 5, ""),
        "portal/images/tujie-qiye-kaiban.png": ([3, 2, 1], years(2024, 2025, 2026), 4, ""),
        "portal/images/tujie-laojiu-xiaoqu.png": ([120, 150, 180], years(2026, 2027, 2028), 200, ""),
        "education/images/tujie-kehou-fuwu.png": ([86, 93, 100], years(2024, 2025, 2026), 100, "%"),
        "education/images/tujie-xueqian-ruyuan.png": ([91, 95], years(2025, 2028), 100, "%"),
        "health/images/tujie-jiceng-dabiao.png": ([78, 82, 86, 90], years(2025, 2026, 2027, 2028), 100, "%"),
        "health/images/tujie-jijiu-fanying.png": ([14, 12], years(2025, 2026), 20, ""),
        "ecology/images/tujie-huanping-shixian.png": ([30, 10], years(2025, 2026), 40, ""),
        "ecology/images/tujie-pm25-mubiao.png": ([42, 40, 38], years(2024, 2025, 2026), 50, ""),
    }
    for path, (values, labels, vmax, unit) in charts.items():
        bar_chart(f"{ROOT}/{path}", values, labels, (44, 104, 178), vmax, highlight=(196, 52, 48), unit=unit)


def main():
    interpretation_images()
    portal_images(f"{ROOT}/portal/images")
    education_images(f"{ROOT}/education/images")
    health_images(f"{ROOT}/health/images")
    ecology_images(f"{ROOT}/ecology/images")
    for site, args in LOGOS.items():
        p = f"{ROOT}/{site}/images/logo.svg"
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8") as fh:
            fh.write(logo_svg(*args))
    attachments()


if __name__ == "__main__":
    main()
