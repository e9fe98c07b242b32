"""The 政民互动 pages as HTML fragments (the body of a theme page): every value escaped here.

Pages of a site: ``interaction.html`` (the index), ``letters.html``, ``letters-2.html``, ... (letters
and replies, newest first, ``letters_per_page`` a page; on the site leading a group, the whole group's),
``letters-statistics.html`` (the open statistics), ``interview-<file>.html``
and ``survey-<file>.html``.
"""

from __future__ import annotations

from html import escape

from govsite.registry import Site

from .records import DONE, FORWARDED, Interview, Letter, Survey
from .statistics import Counts

INDEX, LETTERS, STATISTICS = "interaction.html", "letters.html", "letters-statistics.html"
FEED_PATH = "feeds/letters.atom.xml"
COLUMNS = ("受理（件）", "转办（件）", "办结（件）", "办结率", "平均办理工作日", "超期（件）")


def interview_url(item: Interview) -> str:
    return f"interview-{item.slug}.html"


def survey_url(item: Survey) -> str:
    return f"survey-{item.slug}.html"


def anchor(letter: Letter) -> str:
    """The letter's id in a letters page (the same on the site's page and the portal's)."""
    return f"letter-{letter.site}-{letter.id}"


def newest_first(letters: list[Letter]) -> list[Letter]:
    return sorted(letters, key=lambda item: (item.received, item.key), reverse=True)


def letters_page_name(number: int) -> str:
    """The file of page ``number`` (from 1) of a site's letters."""
    return LETTERS if number == 1 else f"letters-{number}.html"


def letter_locations(letters: list[Letter], per_page: int) -> dict[str, str]:
    """Where each letter of a site's letters pages is: ``{letter key: "letters-N.html#anchor"}``."""
    return {item.key: f"{letters_page_name(index // per_page + 1)}#{anchor(item)}"
            for index, item in enumerate(newest_first(letters))}


def paragraphs(text: str | None) -> str:
    return "".join(f"<p>{escape(line.strip())}</p>" for line in (text or "").splitlines() if line.strip())


def facts(pairs) -> str:
    """A definition list of (label, HTML) pairs; pairs with no value are left out."""
    items = "".join(f"<div><dt>{escape(label)}</dt><dd>{value}</dd></div>" for label, value in pairs if value)
    return f'<dl class="interaction-facts">{items}</dl>'


def letter_html(letter: Letter, sites: dict[str, Site], forwards: dict[str, Letter], group_view: bool,
                locations: dict[str, dict[str, str]]) -> str:
    """One letter: its facts, the letter and the reply (or where it went: ``locations``, each site's
    :func:`letter_locations`)."""
    pairs = [("编号", escape(letter.id)), ("类型", escape(letter.type)), ("来信人", escape(letter.writer)),
             ("来信日期", letter.received.isoformat()), ("办理单位", escape(letter.handling_unit)),
             ("办理状态", escape(letter.status))]
    if group_view:
        pairs.insert(1, ("承办网站", escape(sites[letter.site].name)))
    if letter.forwarded_from:
        origin_site, _, origin_id = letter.forwarded_from.partition(":")
        pairs.append(("上级转办", f"{escape(sites[origin_site].name)}转来（原编号 {escape(origin_id)}）"))
    taken = forwards.get(letter.key)
    if letter.status == FORWARDED and taken is not None:
        target = sites[taken.site]
        where = locations.get(target.id, {}).get(taken.key, f"{LETTERS}#{anchor(taken)}")
        pairs.append(("转办去向", f'<a href="{escape(target.url)}{escape(where)}">'
                                f'{escape(target.name)}（编号 {escape(taken.id)}）</a>'))
    if letter.reply_date:
        pairs.append(("答复日期", letter.reply_date.isoformat()))
    parts = [f'<article class="letter" id="{escape(anchor(letter))}">', f"<h2>{escape(letter.subject)}</h2>",
             facts(pairs), "<h3>来信内容</h3>", paragraphs(letter.content)]
    if letter.status == DONE:
        parts += ["<h3>答复内容</h3>", paragraphs(letter.reply)]
    elif letter.status != FORWARDED:
        parts.append('<p class="letter-pending">正在办理，办结后公开答复。</p>')
    parts.append("</article>")
    return "".join(parts)


def letters_html(scope: str, letters: list[Letter], sites: dict[str, Site], forwards: dict[str, Letter],
                 group_view: bool, limit: int, per_page: int,
                 locations: dict[str, dict[str, str]]) -> list[tuple[str, str]]:
    """The letters pages of ``scope`` (the site's name, or its group's): ``(file name, HTML)``, newest
    first, ``per_page`` letters a page, each with a link to the statistics and the pages around it."""
    head = (f"<p>{escape(scope)}受理的群众来信及答复情况（{len(letters)} 件），按来信日期由近及远排列。"
            f"来信人信息已作隐私处理；答复时限为 {limit} 个工作日。"
            f'<a href="{STATISTICS}">查看留言办理情况统计</a></p>'
            f'<p class="feed-link"><a href="{FEED_PATH}">订阅来信答复（Atom）</a></p>')
    if group_view:
        head += "<p>上级转办的来信只列一次，列在承办网站名下。</p>"
    ordered = newest_first(letters)
    chunks = [ordered[start:start + per_page] for start in range(0, len(ordered), per_page)] or [[]]
    pages = []
    for number, chunk in enumerate(chunks, 1):
        body = "".join(letter_html(item, sites, forwards, group_view, locations) for item in chunk) or "<p>暂无来信。</p>"
        pages.append((letters_page_name(number), head + f'<div class="letters">{body}</div>'
                      + pagination(number, len(chunks))))
    return pages


def pagination(number: int, count: int) -> str:
    """The pages' navigation (as the theme's column lists have it); nothing for a single page."""
    if count == 1:
        return ""
    items = [f'<li><a href="{letters_page_name(number - 1)}" rel="prev">上一页</a></li>'] if number > 1 else []
    items.append(f'<li><span aria-current="page">第 {number} 页，共 {count} 页</span></li>')
    if number < count:
        items.append(f'<li><a href="{letters_page_name(number + 1)}" rel="next">下一页</a></li>')
    return f'<nav class="pagination" aria-label="分页"><ul>{"".join(items)}</ul></nav>'


def _cell(value) -> str:
    return "—" if value is None else escape(str(value))


def counts_table(caption: str, heading: str, rows: list[Counts], total: Counts | None = None) -> str:
    """An accessible statistics table: a caption, column headers and a header cell per row."""
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in (heading, *COLUMNS))

    def row(counts: Counts, tag: str = "tr") -> str:
        rate = None if counts.rate is None else f"{counts.rate * 100:.1f}%"
        cells = (counts.received, counts.forwarded, counts.done, rate, counts.average_workdays, counts.overdue)
        return (f'<{tag}><th scope="row">{escape(counts.label)}</th>'
                + "".join(f"<td>{_cell(v)}</td>" for v in cells) + f"</{tag}>")

    body = "".join(row(r) for r in rows) or f'<tr><td colspan="{len(COLUMNS) + 1}">暂无数据</td></tr>'
    foot = f"<tfoot>{row(total)}</tfoot>" if total else ""
    return (f'<table class="interaction-stats"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody>{foot}</table>")


def statistics_html(scope: str, months: list[Counts], years: list[Counts], by_site: dict[str, list[Counts]],
                    limit: int, as_of) -> str:
    """The statistics page: per year, per month, and (portal) per site and year."""
    parts = [f"<p>{escape(scope)}留言办理情况，统计至 {as_of}。办理时间按国家法定工作日计算（自来信受理之日起，"
             f"上级转办件自上级网站受理之日起）；答复时限 {limit} 个工作日，超过时限答复或未答复的计为超期。"
             "办结率 = 办结 ÷（受理 − 转办）。</p>",
             f'<p><a href="{LETTERS}">查看来信及答复</a></p>',
             '<h2 id="by-year">年度统计</h2>', counts_table(f"{scope}各年度留言办理情况", "年度", years),
             '<h2 id="by-month">月度统计</h2>', counts_table(f"{scope}各月留言办理情况", "月份", months)]
    if by_site:
        parts.append('<h2 id="by-site">各网站统计</h2><p>转办件计入各网站的受理数，合计只计一次。</p>')
        for year, (rows, total) in by_site.items():
            parts.append(counts_table(f"{year}年各网站留言办理情况", "网站", rows, total))
    return "".join(parts)


def interview_html(item: Interview) -> str:
    pairs = [("访谈日期", item.date.isoformat()), ("主办单位", escape(item.host)),
             ("访谈嘉宾", escape("、".join(item.guests))),
             ("网民留言", f"{item.messages} 条" if item.messages is not None else "")]
    parts = [facts(pairs)]
    if item.summary:
        parts += ["<h2>内容摘要</h2>", paragraphs(item.summary)]
    if item.qa:
        parts.append("<h2>访谈实录</h2><dl class=\"interview-qa\">")
        for entry in item.qa:
            asker = f"（{escape(entry['asker'])}）" if entry.get("asker") else ""
            parts.append(f"<div><dt>问{asker}：{escape(entry['question'])}</dt><dd>答：{escape(entry['answer'])}</dd></div>")
        parts.append("</dl>")
    return "".join(parts)


def survey_html(item: Survey) -> str:
    pairs = [("征集单位", escape(item.host)), ("征集时间", f"{item.start} 至 {item.end}"),
             ("收到意见", f"{item.opinions} 条" if item.opinions is not None else ""),
             ("结果公布日期", item.result_date.isoformat() if item.result_date else "")]
    questions = "".join(f"<li>{escape(q)}</li>" for q in item.questions)
    parts = [facts(pairs), "<h2>征集说明</h2>", paragraphs(item.description), f"<h2>征集问题</h2><ol>{questions}</ol>",
             "<h2>征集结果</h2>", paragraphs(item.result) if item.result else "<p>征集结果尚未公布。</p>"]
    return "".join(parts)


def index_html(site: Site, letters: int, interviews: list[Interview], surveys: list[Survey]) -> str:
    """政民互动: links to the letters, the statistics, each interview and survey."""
    parts = [f"<p>{escape(site.name)}政民互动：来信办理结果、留言办理情况统计、在线访谈和征集调查。</p>"]
    if letters:
        parts.append(f'<h2>留言办理</h2><ul><li><a href="{LETTERS}">来信及答复（{letters} 件）</a></li>'
                     f'<li><a href="{STATISTICS}">留言办理情况统计</a></li></ul>')
    if interviews:
        parts.append("<h2>在线访谈</h2><ul>" + "".join(
            f'<li><a href="{interview_url(i)}">{escape(i.title)}</a> <time datetime="{i.date}">{i.date}</time></li>'
            for i in interviews) + "</ul>")
    if surveys:
        parts.append("<h2>征集调查</h2><ul>" + "".join(
            f'<li><a href="{survey_url(s)}">{escape(s.title)}</a> <time datetime="{s.start}">{s.start}</time></li>'
            for s in surveys) + "</ul>")
    return "".join(parts)
