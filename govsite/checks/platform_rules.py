"""The platform's own static rules: government metadata, footer items, third parties, ads, IPv6, HTTPS."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from . import govmeta
from .html_page import Page
from .rules import rule

#: Advertising and ad-tracking domains (suffix match). Configurable: options["ad_domains"].
DEFAULT_AD_DOMAINS: tuple[str, ...] = (
    "doubleclick.net", "googlesyndication.com", "googleadservices.com", "adservice.google.com",
    "pos.baidu.com", "cpro.baidu.com", "union.baidu.com", "tanx.com", "mediav.com", "allyes.com",
    "adsame.com", "miaozhen.com", "admaster.com.cn", "gridsumdissector.com", "ads.yahoo.com", "adnxs.com",
)

#: (tag, attribute) pairs that make the browser fetch something.
RESOURCE_ATTRIBUTES = (
    ("script", "src"), ("img", "src"), ("iframe", "src"), ("frame", "src"), ("embed", "src"),
    ("source", "src"), ("audio", "src"), ("video", "src"), ("video", "poster"), ("track", "src"),
    ("input", "src"), ("object", "data"), ("link", "href"),
)
_FETCHED_LINK_RELS = frozenset({"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest",
                                "apple-touch-icon", "shortcut"})


def _resources(page: Page):
    """Elements and URLs the browser loads (links only for fetched rels)."""
    for tag, attribute in RESOURCE_ATTRIBUTES:
        for element in page.tags(tag):
            url = (element.get(attribute) or "").strip()
            if not url:
                continue
            if tag == "link" and not (set((element.get("rel") or "").lower().split()) & _FETCHED_LINK_RELS):
                continue
            yield element, url


def _absolute_urls(page: Page) -> list[tuple[object, str, str, bool]]:
    """``(element, url, host, is_resource)`` for every absolute URL on the page, computed once."""
    cached = page.__dict__.get("_absolute_urls")
    if cached is None:
        cached = []
        for element in page.tags("a", "area"):
            url = (element.get("href") or "").strip()
            if (host := _host(url)):
                cached.append((element, url, host, False))
        for element, url in _resources(page):
            if (host := _host(url)):
                cached.append((element, url, host, True))
        page.__dict__["_absolute_urls"] = cached
    return cached


def _host(url: str) -> str:
    """The host of an absolute or protocol-relative URL ('' for relative URLs)."""
    if url.startswith("//") or "://" in url[:12]:
        return (urlsplit(url if "://" in url[:12] else "https:" + url).hostname or "").lower()
    return ""


def ad_host(host: str, domains: frozenset[str]) -> bool:
    """The host or one of its parent domains is an advertising domain."""
    labels = host.split(".")
    return any(".".join(labels[i:]) in domains for i in range(len(labels)))


def _own_domain(page: Page) -> str:
    for meta in page.tags("meta"):
        if meta.get("name") == "SiteDomain":
            return (meta.get("content") or "").strip().lower()
    return ""


@rule("gov-meta", "serious", (), "按《政府网站网页元数据》在 <head> 中输出站点类、栏目类、内容类 meta 标签，且取值规范。",
      group="platform")
def gov_meta(page: Page):
    for finding in govmeta.check_metadata(page):
        yield None, f"[{finding.rule}] {finding.message}"


@rule("gov-footer", "serious", (), "页面底部功能区须列明主办单位、联系方式、网站标识码、ICP备案号、公安机关备案号、网站地图、找错入口、党政机关网站标识和 IPv6 支持说明。",
      group="platform")
def gov_footer(page: Page):
    for finding in govmeta.check_footer(page):
        yield None, f"[{finding.rule}] {finding.message}"


@rule("third-party-script", "serious", (), "脚本必须由本站提供；不加载第三方域名的脚本（统计、分享、广告等）。", group="platform")
def third_party_script(page: Page):
    allowed = {_own_domain(page), *page.options.get("allowed_script_hosts", ())} - {""}
    for element in page.tags("script"):
        host = _host(element.get("src") or "")
        if host and host not in allowed:
            yield element, f"script loaded from another host ({host})"


@rule("ad-link", "serious", (), "政府网站不得刊登商业广告或链接商业广告页面。", group="platform")
def ad_link(page: Page):
    domains = frozenset(page.options.get("ad_domains", DEFAULT_AD_DOMAINS))
    for element, _, host, _ in _absolute_urls(page):
        if ad_host(host, domains):
            yield element, f"links to or loads from an advertising domain ({host})"


@rule("ipv4-literal", "serious", (), "使用域名而不是 IPv4 地址引用资源和链接，保证 IPv6 用户可以访问。", group="platform")
def ipv4_literal(page: Page):
    for element, _, host, _ in _absolute_urls(page):
        if not host[-1:].isdigit():
            continue
        try:
            if isinstance(ipaddress.ip_address(host), ipaddress.IPv4Address):
                yield element, f"URL uses an IPv4 address ({host})"
        except ValueError:
            continue


@rule("insecure-resource", "serious", (), "页面资源一律使用 HTTPS（或相对地址）加载。", group="platform")
def insecure_resource(page: Page):
    for element, url, _, is_resource in _absolute_urls(page):
        if is_resource and url.lower().startswith("http://"):
            yield element, f"resource loaded over plain http ({url[:80]})"
