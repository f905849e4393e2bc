"""Article bodies: Markdown rendered by markdown-it-py and sanitised by nh3. Each case asserts
the exact HTML that readers (and the PDF) get."""

import pytest

from bulletins.text import render_markdown

CASES = [
    # A script typed in a body is shown as text (raw HTML is off) and never runs.
    ("<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"),
    # An event handler in raw HTML: text as well.
    ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"),
    # A raw HTML block.
    (
        '<div onclick="steal()">\n本文\n</div>',
        '<p>&lt;div onclick="steal()"&gt;\n本文\n&lt;/div&gt;</p>\n',
    ),
    # javascript: and data: links are not links.
    ("[押す](javascript:alert(1))", "<p>[押す](javascript:alert(1))</p>\n"),
    (
        "[開く](data:text/html;base64,PHNjcmlwdD4=)",
        "<p>[開く](data:text/html;base64,PHNjcmlwdD4=)</p>\n",
    ),
    # A remote image is never fetched: its description is shown instead.
    ("![案内図](https://example.com/map.png)", "<p>［画像：案内図］</p>\n"),
    ("![](https://example.com/x.png)", "<p>［画像］</p>\n"),
    # What is allowed: headings (one level below the page's h1), emphasis, lists, links.
    ("# 手順\n\n**必ず**確認", "<h2>手順</h2>\n<p><strong>必ず</strong>確認</p>\n"),
    ("- 転入\n- 転出", "<ul>\n<li>転入</li>\n<li>転出</li>\n</ul>\n"),
    (
        "[市のページ](https://www.city.kawasaki.jp/)",
        '<p><a href="https://www.city.kawasaki.jp/" rel="noopener noreferrer">市のページ</a></p>\n',
    ),
    # Tables without inline styles (the Content-Security-Policy forbids them).
    (
        "| 窓口 | 時間 |\n|:--|--:|\n| 区民課 | 8:30 |",
        "<table>\n<thead>\n<tr>\n<th>窓口</th>\n<th>時間</th>\n</tr>\n</thead>\n"
        "<tbody>\n<tr>\n<td>区民課</td>\n<td>8:30</td>\n</tr>\n</tbody>\n</table>\n",
    ),
    # An autolink in angle brackets with a javascript: scheme stays text.
    ("<javascript:alert(1)>", "<p>&lt;javascript:alert(1)&gt;</p>\n"),
    # The scheme in capitals, hidden behind a character reference, or in a reference link.
    ("[x](JavaScript:alert(1))", "<p>[x](JavaScript:alert(1))</p>\n"),
    ("[x](jav&#x61;script:alert(1))", "<p>[x](javascript:alert(1))</p>\n"),
    (
        "[参照][1]\n\n[1]: javascript:alert(1)",
        "<p>[参照][1]</p>\n<p>[1]: javascript:alert(1)</p>\n",
    ),
    # Other schemes that run or read local things: text too.
    ("[x](vbscript:msgbox(1))", "<p>[x](vbscript:msgbox(1))</p>\n"),
    ("[x](file:///etc/passwd)", "<p>[x](file:///etc/passwd)</p>\n"),
    # An inline data: image is not shown either (nor is any image): its description is.
    ("![地図](data:image/png;base64,AAAA)", "<p>［画像：地図］</p>\n"),
    # Raw HTML links, frames and styles are text.
    (
        '<a href="javascript:x()">押す</a>',
        '<p>&lt;a href="javascript:x()"&gt;押す&lt;/a&gt;</p>\n',
    ),
    (
        '<iframe src="https://e/"></iframe>',
        '<p>&lt;iframe src="https://e/"&gt;&lt;/iframe&gt;</p>\n',
    ),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_rendered_body_is_exactly(source, expected):
    assert render_markdown(source) == expected


def test_sanitiser_removes_what_markdown_could_not_produce():
    from bulletins.text import sanitise

    dirty = '<p onclick="x()">a<script>b</script><a href="javascript:c()">d</a><img src="https://e/f"></p>'
    assert sanitise(dirty) == '<p>a<a rel="noopener noreferrer">d</a></p>'


def test_sanitiser_drops_data_urls_handlers_frames_and_styles():
    from bulletins.text import sanitise

    dirty = (
        '<a href="data:text/html,x" onmouseover="y()">z</a>'
        '<img src="data:image/png;base64,AA"><iframe src="https://e"></iframe><style>p{}</style>'
    )
    assert sanitise(dirty) == '<a rel="noopener noreferrer">z</a>'
