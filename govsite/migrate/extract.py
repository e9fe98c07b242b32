"""One legacy page in, its facts and body out: decode, classify, extract, clean, sanitise, Markdown.

Facts come from the government metadata tags first, then the page's CMS layout (title element,
info block, breadcrumbs), then the page's fixed text (``发布时间：… 来源：…``), then the URL.
The body comes from the CMS layout (TRS, Hanweb, 开普云, this platform), then common layouts, then
trafilatura. Runs in worker processes: everything returned is plain data.
"""

from __future__ import annotations

import posixpath
import re
from copy import deepcopy
from functools import lru_cache
from itertools import islice
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote, urljoin, urlsplit

from lxml import etree, html as lxml_html

from . import fields, layouts, parsing, sanitize
from .assets import decode_inline_image, kind_of
from .classify import Signals, classify
from .decoding import decode_html, looks_like_mojibake
from .markdown import fragment, to_markdown
from .sources import UNKNOWN_HOST, Document, Source

TOKEN = "\ue000{}\ue001"
TOKEN_RE = re.compile("\ue000(\\d+)\ue001")
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
_REFRESH = re.compile(r"^\s*\d+(?:\.\d+)?\s*[;,]\s*url\s*=\s*['\"]?([^'\"]+)", re.I)
_URL_DATES = (
    re.compile(r"/t(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})_\d+"),
    re.compile(r"/art/(?P<y>\d{4})/(?P<m>\d{1,2})/(?P<d>\d{1,2})/"),
    re.compile(r"/(?P<y>20\d{2}|19\d{2})-?(?P<m>\d{2})-?(?P<d>\d{2})(?:[-_/.]|$)"),
    re.compile(r"/(?P<y>20\d{2}|19\d{2})(?P<m>\d{2})/(?P<d>\d{2})/"),
)
_FOOTER_XPATH = ("//footer | //*[contains(@class,'footer') or contains(@id,'footer') or contains(@class,'foot') "
                 "or contains(@id,'foot') or contains(@class,'bottom') or contains(@id,'bottom') "
                 "or contains(@class,'copyright')]")
#: The same elements as _FOOTER_XPATH, cheaper: only elements with such an attribute are tested.
_FOOTER = etree.XPath("//footer | " + layouts.fast_xpath(_FOOTER_XPATH.split(" | ", 1)[1]))
_FOOTER_FACTS = {
    "icp": re.compile(r"([\u4e00-\u9fff]ICP备\s?\d{6,10}号(?:-\d+)?)"),
    "police_filing": re.compile(r"(?:(?P<p>[\u4e00-\u9fff])公网安备|公安(?:机关)?(?:联网)?备案号?\s*[：:]?\s*"
                                r"(?:(?P<q>[\u4e00-\u9fff])公网安备)?)\s*[：:]?\s*(?P<n>\d{14})\s*号?"),
    "site_code": re.compile(r"(?:网站标识码|网站识别码)\s*[：:]?\s*((?:\d{10})|(?:bm\d{8}))", re.I),
    "organizer": re.compile(r"主办(?:单位)?\s*[：:]?\s*([^\s|｜，,：:]{2,40}?)(?=\s|[|｜，,]|承办|运行|运维|技术|联系|$)"),
    "operator": re.compile(r"(?:运行维护单位|运维单位|承办单位|承办|技术支持)\s*[：:]?\s*([^\s|｜，,：:]{2,40}?)"
                           r"(?=\s|[|｜，,]|主办|联系|网站|$)"),
    "phone": re.compile(r"(?:电话|联系电话|热线)\s*[：:]?\s*(\d{3,4}-\d{7,8}(?:-\d+)?)"),
    "email": re.compile(r"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})"),
    "address": re.compile(r"(?:通讯地址|联系地址|办公地址|地址)\s*[：:]\s*([^\s（(|｜，,]{4,60})"),
    "postcode": re.compile(r"(?:邮编|邮政编码)\s*[：:]?\s*(\d{6})"),
    "conac_id": re.compile(r"bszs\.conac\.cn/sitename\?method=show&(?:amp;)?id=([A-Za-z0-9]+)"),
}
#: A modification time: a page's date only when nothing says when it was published (never makes it an article).
_MODIFIED = "_date:lastmodifiedtime"
_DATE_IN_TEXT = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")


@dataclass
class Options:
    """Extraction settings shared by every worker."""

    trafilatura: bool = True


@dataclass
class PageResult:
    """Everything the importer learned from one source page (plain data, picklable)."""

    key: str
    url: str
    old_url: str = ""
    kind: str = "other"
    kind_why: str = ""
    layout: str = ""
    extractor: str = ""
    encoding: str = ""
    encoding_how: str = ""
    title: str = ""
    pubdate: str = ""
    date_from: str = ""
    source: str = ""
    author: str = ""
    reviewer: str = ""
    keywords: str = ""
    summary: str = ""
    seo_keywords: str = ""
    seo_description: str = ""
    column_name: str = ""
    column_url: str = ""
    column_meta: dict = field(default_factory=dict)
    site_meta: dict = field(default_factory=dict)
    site_domains: list = field(default_factory=list)    # every host the SiteDomain tag names, the main one first
    markdown: str = ""
    refs: list = field(default_factory=list)            # token n -> ("a"|"img", absolute URL)
    images: list = field(default_factory=list)          # (absolute URL, alt or None)
    links: list = field(default_factory=list)           # absolute URLs of links in the body
    attachments: list = field(default_factory=list)     # (absolute URL, label) listed outside the body
    lead_image: tuple | None = None                     # (absolute URL, alt)
    list_items: list = field(default_factory=list)      # (absolute URL, text) on list and home pages
    redirect_to: str = ""
    footer: dict = field(default_factory=dict)
    logo: tuple | None = None                           # (absolute URL, alt)
    chars_page: int = 0
    chars_source: int = 0
    chars_kept: int = 0
    removed: dict = field(default_factory=dict)
    dropped_urls: list = field(default_factory=list)    # {element, attribute, url, why} of each unsafe URL
    warnings: list = field(default_factory=list)
    error: str = ""


def _text(element) -> str:
    """The element's text pieces, stripped, joined by one space, whitespace runs as one space (``\\s``
    and ``str.split()`` agree on every code point: tested), in three C calls."""
    return " ".join(" ".join(parsing.texts(element)).split())


def _has_text(element) -> bool:
    """``bool(_text(element))``, without building the text piece by piece (one C call)."""
    return bool(element.text_content().strip())


@lru_cache(maxsize=512)
def _xpath(expression: str) -> etree.XPath:
    """A compiled XPath (the layouts' expressions are evaluated on every page), prefiltered when it
    selects elements by class or id (``layouts.fast_xpath``: the same elements, faster)."""
    return etree.XPath(layouts.fast_xpath(expression))


def _first(tree, xpaths, need_text: bool = True):
    for xpath in xpaths:
        try:
            found = _xpath(xpath)(tree)
        except etree.XPathError:
            continue
        for element in found:
            if not need_text or _has_text(element) or element.xpath(".//img"):
                return element
    return None


#: A table or form label (采购项目名称, 项目编号：): a cell naming the value next to it, never a page's title.
_LABEL_TEXT = re.compile(r"^.{0,14}(?:名称|编号|单位|时间|日期|地址|方式|金额|预算|联系人|电话|类别|分类)[：:]?$|^.{1,20}[：:]$")


def _is_label(element, text: str) -> bool:
    """A label cell: label-like text in a ``td``/``th``/``dt`` that ends with a colon or has a value cell after it."""
    cell = element if element.tag in ("td", "th", "dt") else next(element.iterancestors("td", "th", "dt"), None)
    if cell is None or not _LABEL_TEXT.match(text):
        return False
    following = cell.getnext()
    return text.endswith(("：", ":")) or following is not None and following.tag in ("td", "th", "dd")


def _title_element(tree, layout):
    """The layout's title element, then the common ones; a table label (``<td class="title">``) is skipped."""
    for xpath in (*layout.title, *layouts.GENERIC.title):
        try:
            found = tree.xpath(xpath)
        except etree.XPathError:
            continue
        for element in found:
            text = _text(element)
            if text and not _is_label(element, text):
                return element
    return None


def _info_text(element) -> str:
    """An info block's text; a ``dl`` of facts reads as ``label：value`` pairs."""
    if element.tag != "dl":
        return _text(element)
    return " ".join(f"{_text(dt)}：{_text(dd)}" for dt, dd in
                    ((n.find("dt"), n.find("dd")) if n.tag == "div" else (n, n.getnext()) for n in element
                     if n.tag in ("div", "dt")) if dt is not None and dd is not None)


def _link_density(element) -> float:
    total = len(element.text_content().strip()) or 1
    linked = sum(len(a.text_content().strip()) for a in element.iter("a"))
    return linked / total


def _date_from_url(url: str) -> datetime | None:
    path = urlsplit(url).path
    for pattern in _URL_DATES:
        match = pattern.search(path)
        if match:
            try:
                return datetime(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                continue
    return None


def _dated_items(tree) -> int:
    count = 0
    for item in tree.xpath("//li[.//a[@href]] | //tr[.//a[@href]]"):
        if _DATE_IN_TEXT.search(item.text_content()):
            count += 1
    return count


def _list_items(tree, layout, base: str) -> list:
    items, seen, urls = [], set(), {}    # urls: href -> absolute URL or None (nested rows list a link again)
    for xpath in (*layout.list_items, "//li[.//a[@href]]", "//tr[.//a[@href]]"):
        for a in tree.xpath(xpath if xpath.endswith("a[@href]") else xpath + "//a[@href]"):
            href = (a.get("href") or "").strip()
            if href not in urls:
                urls[href] = None if not href or href.startswith(("#", "mailto:", "tel:")) or \
                    not sanitize.is_safe_url(href) else urljoin(base, href)
            url = urls[href]
            if url is not None and url not in seen:
                seen.add(url)
                items.append((url, _text(a)))
    return items


def _breadcrumb_column(tree, layout, base: str, title: str) -> tuple[str, str]:
    crumbs = _first(tree, layout.breadcrumbs or layouts.GENERIC.breadcrumbs)
    if crumbs is None:
        return "", ""
    links = [a for a in crumbs.iter("a") if (a.get("href") or "").strip()]
    for a in reversed(links):
        text = _text(a)
        if text and text not in ("首页", "网站首页", "主页", "正文", title) and not text.startswith("首页"):
            return text, urljoin(base, a.get("href"))
    return "", ""


def _footer(tree, raw: str) -> dict:
    regions = _FOOTER(tree)
    text = " ".join(_text(r) for r in regions[-6:]) if regions else _text(tree)[-3000:]
    facts = {}
    for name, pattern in _FOOTER_FACTS.items():
        match = pattern.search(raw if name == "conac_id" else text)
        if match and name == "police_filing":
            province = match["p"] or match["q"] or facts.get("icp", "")[:1]
            if province:      # 公安备案号：<14 digits> alone: the province of the site's ICP filing
                facts[name] = f"{province}公网安备 {match['n']}号"
        elif match:
            facts[name] = match.group(1).strip()
    return facts


def _logo(tree, base: str, site_name: str) -> tuple | None:
    for img in tree.xpath("//header//img | //*[contains(@class,'logo') or contains(@id,'logo')]//img | //img"):
        src = (img.get("src") or "").strip()
        if not src or not _usable_image(src):
            continue
        alt = (img.get("alt") or "").strip()
        marks = f"{img.get('class', '')} {img.get('id', '')} {src}".lower()
        if "logo" in marks or (site_name and alt == site_name):
            return urljoin(base, src), alt
    return None


def _normalize_headings(body, title: str) -> None:
    """The body's headings start at h2 (the page's h1 is the title) and never skip a level."""
    headings = list(body.iter("h1", "h2", "h3", "h4", "h5", "h6"))
    for h in headings:
        if h.tag == "h1" and _text(h) == title:
            h.drop_tree()
    headings = [h for h in headings if h.getparent() is not None]
    if not headings:
        return
    top = min(int(h.tag[1]) for h in headings)
    previous = 1
    for h in headings:
        level = int(h.tag[1]) - top + 2
        level = max(2, min(level, previous + 1, 6))
        h.tag = f"h{level}"
        previous = level


def _drop_duplicates(body, title: str, info_texts: list[str]) -> None:
    """Remove a repeated title or info block at the top of the body."""
    for element in list(islice(body.iter("h1", "h2", "h3", "p", "div", "td", "span"), 8)):
        if element.getparent() is None:
            continue
        text = _text(element)
        if not text:
            continue
        if text == title or (text in info_texts and len(element) <= 6) or \
                (re.match(r"^(?:发布时间|发布日期|日期|时间)\s*[：:]", text) and len(text) < 120 and
                 not element.xpath(".//img")):
            element.drop_tree()


#: Why a page whose body holds no text of its own fails.
FURNITURE_ONLY = ("no body text: only page furniture (navigation, footer, the 索引号 facts table) is in the file; "
                  "the text is probably loaded by a script: save the page after it has loaded, or export it "
                  "from the CMS")
_FURNITURE_TOKENS = {"nav", "navbar", "menu", "footer", "foot", "bottom", "copyright", "header", "head", "top",
                     "crumb", "crumbs", "breadcrumb", "position", "location", "sidebar", "links", "yqlj"}
_FURNITURE_TEXT = re.compile(r"[\u4e00-\u9fff]ICP备\s*\d+号(?:-\d+)?|[\u4e00-\u9fff]公网安备\s*\d+\s*号|"
                             r"版权所有|主办单位|承办单位|运行维护|网站标识码\s*[：:]?\s*\w+|技术支持|联系电话|"
                             r"地址|邮编|Copyright|©|All Rights Reserved", re.I)
#: Characters of its own a body needs (below that, with no image or attachment, it is furniture).
MIN_OWN_TEXT = 20


def _has_substance(body, attachments: list) -> bool:
    """Whether the body holds something of its own once navigation, header, footer and the 索引号 facts
    table are left out: an image, an attachment, or text outside links."""
    if attachments:
        return True
    copy = deepcopy(body)
    for element in list(copy.iter(etree.Element)):
        if element.getparent() is None:
            continue
        if element.tag in ("nav", "header", "footer", "script", "style") or \
                parsing.name_tokens(element) & _FURNITURE_TOKENS or \
                element.tag == "table" and "索引号" in element.text_content():
            element.drop_tree()
    if next(copy.iter("img"), None) is not None:
        return True
    for a in list(copy.iter("a")):
        if kind_of(urljoin("http://x/", (a.get("href") or "").strip())) == "attachments":
            return True
        a.drop_tree()
    text = _FURNITURE_TEXT.sub("", _text(copy))
    return len(re.sub(r"[\W_]+", "", text)) >= MIN_OWN_TEXT


def _absolutize(body, base: str) -> None:
    for element in body.iter("a", "img"):
        attr = "href" if element.tag == "a" else "src"
        value = (element.get(attr) or "").strip()
        if element.tag == "img" and not value:
            value = (element.get("data-src") or element.get("data-original") or "").strip()
        if value and not value.lower().startswith(("javascript:", "data:", "mailto:", "tel:", "#")):
            element.set(attr, urljoin(base, value))
        elif value:
            element.set(attr, value)


def extract_page(doc: Document, source: Source, options: Options) -> PageResult:
    """Extract one page; never raises (a failure is recorded in ``error``)."""
    result = PageResult(key=doc.key, url=doc.url, old_url=doc.old_url)
    try:
        _extract(doc, source, options, result)
    except Exception as exc:  # noqa: BLE001 - one bad page must not stop a migration
        result.error = f"{type(exc).__name__}: {exc}"
    return result


def _extract(doc: Document, source: Source, options: Options, r: PageResult) -> None:
    data = doc.load()
    decoded = decode_html(data, doc.content_type)
    r.encoding, r.encoding_how = decoded.encoding, decoded.how
    if decoded.note:
        r.warnings.append("encoding: " + decoded.note)
    raw = decoded.text
    if not raw.strip():
        r.error = "empty page"
        return
    try:
        tree = lxml_html.document_fromstring(raw, parser=parsing.PARSER)
    except (etree.ParserError, ValueError) as exc:
        r.error = f"not parsable as HTML ({exc})"
        return
    base = _base(tree, doc, r)
    saved = _SAVED_FROM.search(raw[:2000])
    meta = fields.gov_meta(tree)
    if not r.old_url:
        if saved and saved.group(1).lower().startswith("http"):
            r.old_url = saved.group(1)
        else:
            r.old_url = source.public_url(doc.url)
            if _names_this_page(meta.get("Url", ""), doc.url, source):
                r.old_url = meta["Url"].strip()
    r.site_meta = {k: meta[k] for k in ("SiteName", "SiteDomain", "SiteIDCode") if meta.get(k)}
    if r.site_meta.get("SiteDomain"):
        r.site_domains = fields.site_domains(r.site_meta["SiteDomain"])
        r.site_meta["SiteDomain"] = r.site_domains[0] if r.site_domains else ""
    r.column_meta = {k: meta[k] for k in ("ColumnDescription", "ColumnKeywords", "ColumnType") if meta.get(k)}
    r.seo_keywords = meta.get("_seo:keywords", "")
    r.seo_description = meta.get("_seo:description", "")
    r.keywords = meta.get("Keywords", "")
    r.summary = meta.get("Description", "")
    for element in tree.xpath("//script | //style | //noscript | //template"):
        element.text = ""            # their text is not page text
    r.chars_page = parsing.visible_chars(tree.text_content())
    if looks_like_mojibake(raw[:20000]):
        r.warnings.append("the text looks like mojibake even after decoding; check the source encoding")

    path = urlsplit(doc.url).path
    rel_path = "/" + unquote(path)[len(source.base_path):].lstrip("/") if unquote(path).startswith(source.base_path) else unquote(path)
    layout = layouts.detect(raw[:200000], path)
    r.layout = layout.name
    site_name = meta.get("SiteName", "")
    body_el = tree.find("body")
    platform_type = body_el.get("data-page-type", "") if (layout is layouts.GOVSITE and body_el is not None) else ""

    # facts: tags, then the layout's title and info block, then fixed text
    title_el = _title_element(tree, layout)
    title_text = _text(title_el) if title_el is not None else ""
    page_title = _text(tree.find(".//title")) if tree.find(".//title") is not None else ""
    r.title = meta.get("ArticleTitle", "") or title_text or fields.clean_title(page_title, site_name)
    info_el = _first(tree, layout.info)
    info_texts = [_info_text(info_el)] if info_el is not None else []
    info = fields.info_block(" ".join(info_texts)) if info_texts else {}
    head_info = {}
    if not info.get("date"):
        head_text = _text(body_el)[:3000] if body_el is not None else ""
        head_info = fields.info_block(head_text)
        for key, value in head_info.items():
            if key != "date":
                info.setdefault(key, value)
    r.column_name = meta.get("ColumnName", "")
    if not r.column_name:
        r.column_name, r.column_url = _breadcrumb_column(tree, layout, base, r.title)

    refresh = tree.xpath("//meta[translate(@http-equiv,'REFSH','refsh')='refresh']/@content")
    target = _REFRESH.match(refresh[0]) if refresh else None
    body = _body(tree, raw, layout)
    if body is None and layout is layouts.GENERIC:
        body = _generic_body(tree)
    measured = body if body is not None else body_el      # the whole page when no layout matched
    body_chars = len(measured.text_content().strip()) if measured is not None else 0
    signals = Signals(
        path=rel_path, platform_type=platform_type, refresh=bool(target) and r.chars_page < 200,
        article_title=meta.get("ArticleTitle", ""), column_name=r.column_name, site_name=site_name,
        dated_items=_dated_items(tree), body_chars=body_chars,
        body_link_density=_link_density(measured) if measured is not None else 1.0,
        has_info_date=bool(_page_date(meta, info, head_info, modified=False)[0]), has_title=bool(r.title))
    r.kind, r.kind_why = classify(signals)
    if target and (why := sanitize.url_problem(target.group(1))):
        r.dropped_urls.append(sanitize.dropped_url("meta", "http-equiv=refresh", target.group(1), why))
        target = None
    if target and r.kind == "other":
        r.redirect_to = urljoin(base, target.group(1).strip())
    if r.kind in ("home", "list"):
        r.list_items = _list_items(tree, layout, base)
        if r.kind == "list" and not r.column_name:
            r.column_name = fields.clean_title(title_text or page_title, site_name)
    r.footer = _footer(tree, raw)
    if r.kind in ("home", "list"):
        r.logo = _logo(tree, base, site_name)
    if r.kind not in ("article", "page"):
        r.title = r.title if r.kind != "home" else (site_name or fields.clean_title(page_title))
        return

    # date (at the page's precision), source, author, keywords, summary
    r.pubdate, r.date_from = _page_date(meta, info, head_info)
    if not r.pubdate and r.kind == "article":
        date = _date_from_url(doc.url) or _date_from_url(r.old_url)
        r.pubdate, r.date_from = (fields.format_date(date), "URL") if date else ("", "")
    r.source = meta.get("ContentSource", "") or info.get("source", "")
    r.author = meta.get("Author", "") or info.get("author", "")
    r.reviewer = info.get("reviewer", "")

    # body: layout, common layouts, then trafilatura
    r.extractor = f"layout:{layout.name}" if body is not None else ""
    if body is None or body_chars < 5 and not body.xpath(".//img"):
        body = _generic_body(tree)
        r.extractor = "layout:generic" if body is not None else ""
    if body is None and options.trafilatura:
        body = _trafilatura(raw, doc.url)
        r.extractor = "trafilatura" if body is not None else ""
    if body is None:
        r.error = "no body text found (layouts and trafilatura found nothing)"
        return
    if meta.get("ArticleTitle") or meta.get("PubDate"):
        r.extractor = "meta+" + r.extractor

    r.chars_source = parsing.visible_chars(body.text_content())
    r.attachments = _attachments(tree, layout, base, body)
    lead = _first(tree, layout.lead_image, need_text=False) if layout.lead_image else None
    if lead is not None and lead.get("src") and _usable_image(lead.get("src")):
        r.lead_image = (urljoin(base, lead.get("src")), lead.get("alt"))
    r.removed = sanitize.audit(body)
    body = _own_copy(body)
    sanitize.strip_noise(body)
    _drop_duplicates(body, r.title, info_texts)
    if not _has_substance(body, r.attachments):
        r.error = FURNITURE_ONLY
        return
    _keep_text_out_of_tokens(body)
    r.dropped_urls += sanitize.drop_unsafe_urls(body)
    _absolutize(body, base)
    for img in body.iter("img"):
        src = img.get("src", "")
        if src and not src.startswith("data:") and not _in_source(source, src, r.site_domains):
            r.warnings.append(f"image not found in the source, left out: {source.public_url(src)}")
            img.drop_tree()
    inline = sanitize.hold_inline_images(body)
    clean = fragment(sanitize.clean(etree.tostring(body, encoding="unicode", method="html")))
    _normalize_headings(clean, r.title)

    refs: list[str] = []

    def hook(kind: str, url: str) -> str:
        mark = url.removeprefix(sanitize.INLINE_MARK)
        if kind == "img" and mark != url and mark.isdigit() and int(mark) < len(inline):
            url = inline[int(mark)]
        refs.append((kind, url))
        return TOKEN.format(len(refs) - 1)

    r.markdown, converter = to_markdown(clean, hook)
    r.refs = refs
    r.images = converter.images
    r.links = converter.links
    r.chars_kept = parsing.visible_chars(clean.text_content())


def _in_source(source: Source, url: str, site_domains: list) -> bool:
    """Whether the source holds ``url``, also when it is written with another domain of the site's
    ``SiteDomain`` tag (``http://x.gov.cn/...`` on a mirror of ``www.x.gov.cn``)."""
    if source.lookup(url) is not None:
        return True
    parts = urlsplit(url)
    if source.host == UNKNOWN_HOST or source.host not in site_domains or (parts.hostname or "") not in site_domains:
        return False
    return source.lookup(parts._replace(netloc=source.host).geturl()) is not None


_INDEX_FILE = re.compile(r"^(?:|(?:index|default)\.[a-z]+)$", re.I)


def _names_this_page(declared: str, url: str, source: Source) -> bool:
    """Whether the ``Url`` tag is this page's old address: an http(s) URL with the file's path, or, when
    the folder does not say where the page lived (saved alone, or the tag's host is the site's), a page
    URL — not a folder or home address that a template put on every page (unless this file is an index)."""
    declared = declared.strip()
    parts = urlsplit(declared)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or sanitize.url_problem(declared):
        return False
    if parts.path == urlsplit(url).path:
        return True
    if source.host != UNKNOWN_HOST and parts.hostname.lower() not in source.hosts:
        return False
    return not _INDEX_FILE.match(posixpath.basename(parts.path)) or \
        bool(_INDEX_FILE.match(posixpath.basename(urlsplit(url).path)))


def _page_date(meta: dict, info: dict, head_info: dict, modified: bool = True) -> tuple[str, str]:
    """``(date, where from)``: the PubDate tag, the info block, a publication-date meta, a 发布时间 line
    near the top of the page, then (when ``modified``) a modification time; ("", "") when none."""
    candidates = [(meta.get("PubDate"), "PubDate tag"), (info.get("date"), "发布时间 block")]
    candidates += [(value, key[6:] + " meta") for key, value in meta.items()
                   if key.startswith("_date:") and key != _MODIFIED]
    candidates.append((head_info.get("date"), "发布时间 line"))
    if modified:
        candidates.append((meta.get(_MODIFIED), _MODIFIED[6:] + " meta"))
    for value, where in candidates:
        if text := fields.date_text(value):
            return text, where
    return "", ""


def _base(tree, doc: Document, r: PageResult) -> str:
    """The URL relative links are read against: the page's, or its ``<base href>`` when that is http(s)."""
    base_el = tree.find(".//base[@href]")
    if base_el is None or doc.key.endswith(".mhtml"):
        return doc.url
    href = base_el.get("href")
    problem = sanitize.url_problem(href)
    joined = urljoin(doc.url, href.strip()) if not problem else ""
    if urlsplit(joined).scheme.lower() in ("http", "https"):
        return joined
    r.dropped_urls.append(sanitize.dropped_url("base", "href", href, problem or "not an http(s) base"))
    r.warnings.append(f"<base href> ignored (not a safe http(s) URL): {href[:120]}")
    return doc.url


def _usable_image(src: str) -> bool:
    """An image source that may be imported: a safe URL or an inline raster image."""
    return sanitize.is_safe_url(src) or decode_inline_image(src.strip()) is not None


def _keep_text_out_of_tokens(body) -> None:
    """Take the URL placeholder characters out of the page's text and attributes (a page that
    contains them must not be able to pull another URL into its text)."""
    serialised = etree.tostring(body, encoding="unicode")  # text, tails and attribute values, unescaped
    if "\ue000" not in serialised and "\ue001" not in serialised:
        return  # nothing to replace (the common case; one C call instead of a walk over the body)
    table = {ord("\ue000"): "\ufffd", ord("\ue001"): "\ufffd"}
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue
        element.text = element.text.translate(table) if element.text else element.text
        element.tail = element.tail.translate(table) if element.tail else element.tail
        for name, value in element.attrib.items():
            if "\ue000" in value or "\ue001" in value:
                element.set(name, value.translate(table))


def _own_copy(element):
    """A detached deep copy of the body (so cleaning never touches the page tree used elsewhere), in a
    ``div``; copied as a tree, not re-parsed (serialising would percent-encode ``java\tscript:``)."""
    holder = parsing.element("div")
    copy = deepcopy(element)
    copy.tail = None
    holder.append(copy)
    return holder


def _body(tree, raw: str, layout):
    marked = layouts.marked_body(layout, raw)
    if marked is not None:
        return marked
    return _first(tree, layout.body)


def _generic_body(tree):
    for xpath in layouts.GENERIC.body:
        for element in tree.xpath(xpath):
            text = element.text_content().strip()
            if len(text) >= 20 and _link_density(element) < 0.5:
                return element
    return None


def _trafilatura(raw: str, url: str):
    import trafilatura

    extracted = trafilatura.extract(raw, url=url, output_format="html", include_images=True, include_links=True,
                                    include_tables=True, include_comments=False, favor_recall=True,
                                    with_metadata=False)
    if not extracted:
        return None
    tree = lxml_html.document_fromstring(extracted)
    body = tree.find("body")
    return body if body is not None and body.text_content().strip() else None


def _attachments(tree, layout, base: str, body) -> list:
    """Attachment links listed outside the body (inside it they stay where they are)."""
    found, seen = [], set()
    for xpath in layout.attachments:
        for a in _xpath(xpath)(tree):
            if a is body or any(parent is body for parent in a.iterancestors()):
                continue
            href = (a.get("href") or "").strip()
            if not href or not sanitize.is_safe_url(href):
                continue
            url = urljoin(base, href)
            suffix = posixpath.splitext(urlsplit(url).path)[1].lower()
            if suffix and url not in seen:
                seen.add(url)
                found.append((url, _text(a)))
    return found
