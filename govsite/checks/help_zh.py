"""How to fix common axe-core findings, in Chinese, for the HTML report (English help otherwise)."""

from __future__ import annotations

HELP_ZH: dict[str, str] = {
    "color-contrast": "提高文字与背景的对比度：正文至少 4.5:1，大号文字（18pt 或 14pt 粗体以上）至少 3:1。",
    "color-contrast-enhanced": "提高文字与背景的对比度至 7:1（大号文字 4.5:1）。",
    "image-alt": "为有意义的图片提供说明其内容的 alt 文本；装饰性图片使用空 alt=\"\"。",
    "link-name": "链接需要可读的文字；仅含图片的链接请给图片写 alt，或使用 aria-label。",
    "button-name": "按钮需要可读的名称：按钮文字、aria-label 或 title。",
    "label": "每个表单控件都要有标签：<label for>、包裹它的 <label> 或 aria-label。",
    "html-has-lang": "在 <html> 元素上声明页面语言，如 lang=\"zh-CN\"。",
    "html-lang-valid": "lang 取值应为有效的语言代码，如 zh-CN。",
    "document-title": "为每个页面提供非空、能说明页面主题的 <title>。",
    "duplicate-id-aria": "被 ARIA 或 label 引用的 id 必须唯一。",
    "heading-order": "标题层级逐级递进，不要跳级。",
    "page-has-heading-one": "每个页面有且只有一个 <h1>。",
    "landmark-one-main": "页面需要一个 <main> 主要内容区域。",
    "region": "页面内容都应位于地标区域内（header、nav、main、footer）。",
    "bypass": "提供“跳到主要内容”链接或地标，便于键盘用户跳过重复内容。",
    "target-size": "可点击目标至少 24×24 像素（本平台要求 44×44），或与相邻目标留出足够间距。",
    "meta-viewport": "不要在 viewport 中禁止缩放。",
    "meta-refresh": "不要使用带延时的自动刷新或跳转。",
    "aria-allowed-attr": "只在允许的角色上使用对应的 aria-* 属性。",
    "aria-required-attr": "为该角色补齐必需的 aria-* 属性。",
    "aria-required-children": "该角色必须包含规定的子角色。",
    "aria-required-parent": "该角色必须位于规定的父角色之内。",
    "aria-roles": "role 属性必须使用有效的 WAI-ARIA 角色。",
    "aria-valid-attr": "只使用 WAI-ARIA 规定的 aria-* 属性名。",
    "aria-valid-attr-value": "aria-* 属性的取值必须符合规范。",
    "aria-hidden-focus": "aria-hidden=\"true\" 的区域内不能有可获得焦点的元素。",
    "frame-title": "为 <iframe> 提供说明其内容的 title。",
    "list": "<ul>/<ol> 只能直接包含 <li>。",
    "listitem": "<li> 必须位于 <ul> 或 <ol> 之内。",
    "nested-interactive": "交互控件内不要再嵌套可交互元素。",
    "scrollable-region-focusable": "可滚动区域需要能用键盘获得焦点。",
    "link-in-text-block": "正文中的链接除颜色外还要有下划线等区分方式。",
    "td-headers-attr": "表格 headers 属性只能引用同一表格中的表头单元格。",
    "th-has-data-cells": "表头单元格必须对应数据单元格。",
    "video-caption": "视频需要同步字幕。",
    "no-autoplay-audio": "不要自动播放有声音的音视频。",
    "select-name": "下拉框需要标签。",
    "input-button-name": "输入按钮需要可读的名称。",
    "svg-img-alt": "role=\"img\" 的 SVG 需要文字替代。",
}


def help_for(rule: str, english: str) -> str:
    """The Chinese fix for ``rule`` when we have one, else axe's English help."""
    return HELP_ZH.get(rule, english)
