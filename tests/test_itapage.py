"""The agency's ITA page (prongsai.itapage): every item in the framework's order, the register's links, hostile
values escaped, and HTML a strict parser accepts with no script and no outside resource."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import lxml.etree
import lxml.html
import pytest

from prongsai.frameworks import available_years, get_framework
from prongsai.itapage import NOT_PUBLISHED_TH, ita_page, page_html, snippet_html

FY70 = get_framework(2570)
FY64 = get_framework(2564)
HOSTILE_NAME = 'อบต.<script>alert("x")</script> & "เทศบาล" \'o\''

# The snippet's whole vocabulary: what any agency's site shows as its own text, without a stylesheet of ours.
SNIPPET_ELEMENTS = {"div", "h1", "h2", "h3", "h4", "p", "ul", "li", "a", "em"}
PAGE_ELEMENTS = SNIPPET_ELEMENTS | {"html", "head", "meta", "title", "style", "body", "main"}
ATTRIBUTES = {"div": {"lang"}, "a": {"href"}, "html": {"lang"}, "meta": {"charset", "name", "content"}}
VOID = {"meta"}
PARENTS = {"li": {"ul"}, "ul": {"div"}, "a": {"li"}, "em": {"li"}, "div": {"main", None}, "main": {"body"}}


class _Strict(HTMLParser):
    """Every element and attribute known, void elements only where HTML has them, each element closed by its
    own end tag in order (nothing left to a browser's repair), and each element where its parent allows it."""

    def __init__(self, elements: set[str]) -> None:
        super().__init__(convert_charrefs=False)
        self.elements, self.open, self.problems = elements, [], []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.elements:
            self.problems.append(f"element <{tag}>")
        for name, value in attrs:
            if name not in ATTRIBUTES.get(tag, set()) or value is None:
                self.problems.append(f"attribute {name}={value!r} on <{tag}>")
        parent = self.open[-1] if self.open else None
        if tag in PARENTS and parent not in PARENTS[tag]:
            self.problems.append(f"<{tag}> inside <{parent}>")
        if tag not in VOID:
            self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.problems.append(f"<{tag} /> is not a void element")
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> closes nothing open")

    def handle_entityref(self, name: str) -> None:
        if name not in ("amp", "lt", "gt", "quot"):
            self.problems.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        if name != "x27":
            self.problems.append(f"&#{name};")


def assert_valid(markup: str, *, whole: bool) -> None:
    """Strict: lxml's XML parser (no recovery) accepts it, the HTML parser builds the very same tree (so no
    browser repairs anything), and the strict walk above finds nothing."""
    body = markup.removeprefix("<!DOCTYPE html>\n")
    strict = lxml.etree.fromstring(body.encode(), lxml.etree.XMLParser(recover=False, resolve_entities=False))
    parsed = lxml.html.document_fromstring(markup) if whole else lxml.html.fragment_fromstring(markup)
    shape = [(e.tag, sorted(e.attrib.items()), (e.text or "").strip()) for e in strict.iter()]
    assert shape == [(e.tag, sorted(e.attrib.items()), (e.text or "").strip()) for e in parsed.iter()]
    walker = _Strict(PAGE_ELEMENTS if whole else SNIPPET_ELEMENTS)
    walker.feed(markup)
    walker.close()
    assert walker.problems == [] and walker.open == []


def _links(markup: str) -> list[tuple[str, str]]:
    tree = lxml.html.fromstring(markup)
    return [(a.get("href"), a.text_content()) for a in tree.iter("a")]


def test_every_item_in_the_official_order_with_its_code_and_title() -> None:
    page = ita_page(FY70, {}, agency_name="องค์การบริหารส่วนตำบลทดสอบ")
    assert [(i.code, i.title) for i in page.items] == [(i.code, i.title_th) for i in FY70.items]
    assert all(item.missing for item in page.items)
    text = lxml.html.fromstring(snippet_html(page)).text_content()
    positions = [text.index(f"{item.code} {item.title_th}") for item in FY70.items]
    assert positions == sorted(positions)
    assert text.count(NOT_PUBLISHED_TH) == len(FY70.items)


def test_the_heading_is_the_years_name_with_ita_and_the_year_in_thai_digits() -> None:
    page = ita_page(FY70, {}, agency_name="อบต.ทดสอบ")
    assert page.heading == ("การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. ๒๕๗๐")
    html = page_html(page)
    assert f"<h1>{page.heading}</h1>" in html and f"<title>{page.heading} · อบต.ทดสอบ</title>" in html
    assert "<h2>ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล</h2>" in html and "<h2>ตัวชี้วัดที่ ๑๐ การป้องกันการทุจริต</h2>" in html
    assert "ฉบับชั่วคราว" in html  # FY2570 is prongsai's provisional copy of FY2569
    arabic = ita_page(FY64, {}, agency_name="อบต.ทดสอบ", thai_digits=False)
    assert arabic.heading.endswith("(ITA) ประจำปีงบประมาณ พ.ศ. 2564")
    assert "<h4>9.1 ข้อมูลพื้นฐาน</h4>" in snippet_html(arabic) and "ฉบับชั่วคราว" not in snippet_html(arabic)
    assert "<h4>๙.๑ ข้อมูลพื้นฐาน</h4>" in snippet_html(ita_page(FY64, {}, agency_name=""))


def test_links_say_which_item_they_are() -> None:
    links = {"O1": ["https://www.test.go.th/o1"], "O6": ["https://a.test/plan.pdf", "https://a.test/progress.pdf"]}
    html = snippet_html(ita_page(FY70, links, agency_name="อบต.ทดสอบ"))
    assert _links(html) == [
        ("https://www.test.go.th/o1", "O1 โครงสร้าง หน้าที่และอำนาจ"),
        ("https://a.test/plan.pdf", "O6 เอกสาร ๑"),
        ("https://a.test/progress.pdf", "O6 เอกสาร ๒"),
    ]
    assert "คลิก" not in html
    page = ita_page(FY70, links, agency_name="")
    assert [i.code for i in page.items if not i.missing] == ["O1", "O6"]


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(document.cookie)",
        "java\tscript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "//evil.test/x",
        "/relative/path",
        "ftp://files.test/a.pdf",
        "https:\\\\evil.test",
        "http://",
        "https://a.test/x y",
        'https://a.test/"><script>alert(1)</script>',
    ],
)
def test_a_value_that_is_not_a_web_link_is_never_a_link(value: str) -> None:
    page = ita_page(FY70, {"O2": [value]}, agency_name="อบต.ทดสอบ")
    html = snippet_html(page)
    o2 = page.items[1]
    if value.startswith('https://a.test/"'):  # a real address whose path holds markup: a link, escaped
        assert not o2.missing and _links(html) == [(value, "O2 ข้อมูลผู้บริหาร")]
    else:
        assert o2.missing and _links(html) == []
    assert "<script" not in html and "javascript:" not in html.lower().replace("ไม่ใช่ลิงก์ของเว็บไซต์: javascript:", "")
    assert_valid(html, whole=False)


def test_markup_in_names_titles_and_links_is_text() -> None:
    framework = FY70.model_copy(
        update={
            "name_th": 'ITA <b onmouseover="x()">ปี</b> & "2570"',
            "oit": FY70.oit.model_copy(
                update={
                    "sub_indicators": (
                        FY70.oit.sub_indicators[0].model_copy(
                            update={
                                "name_th": "<img src=x onerror=alert(1)>",
                                "items": (
                                    FY70.items[0].model_copy(update={"title_th": '<script>alert("t")</script>&amp;'}),
                                    *FY70.oit.sub_indicators[0].items[1:],
                                ),
                            }
                        ),
                        *FY70.oit.sub_indicators[1:],
                    )
                }
            ),
        }
    )
    links = {"O1": ['https://a.test/?q="quoted"&x=<b>'], "O2": ["https://a.test/o2'onclick='x"]}
    page = ita_page(framework, links, agency_name=HOSTILE_NAME)
    for html in (snippet_html(page), page_html(page)):
        assert_valid(html, whole=html.startswith("<!DOCTYPE"))
        tree = lxml.html.fromstring(html)
        assert {e.tag for e in tree.iter()} <= PAGE_ELEMENTS  # no script, img or b: all of it is text
        assert not [name for e in tree.iter() for name in e.attrib if name.startswith("on")]
        assert HOSTILE_NAME in tree.text_content() and '<script>alert("t")</script>&amp;' in tree.text_content()
        assert _links(html) == [
            ('https://a.test/?q="quoted"&x=<b>', 'O1 <script>alert("t")</script>&amp;'),
            ("https://a.test/o2'onclick='x", "O2 ข้อมูลผู้บริหาร"),
        ]


@pytest.mark.parametrize("year", available_years())
def test_every_years_page_is_strict_html_with_no_script_and_nothing_from_outside(year: int) -> None:
    framework = get_framework(year)
    links = {item.code: [f"https://www.test.go.th/ita/{item.code}.pdf"] for item in framework.items[::2]}
    links["O2"] = ["https://a.test/1", "mailto:nayok@test.go.th", "https://a.test/2"]
    page = ita_page(framework, links, agency_name=HOSTILE_NAME)
    snippet, whole = snippet_html(page), page_html(page)
    assert_valid(snippet, whole=False)
    assert_valid(whole, whole=True)
    assert snippet_html(page, level=1) in whole
    for html in (snippet, whole):
        lower = html.lower()
        assert "<script" not in lower and " src=" not in lower and "<link" not in lower and "@import" not in lower
        assert "url(" not in lower and " style=" not in lower and " class=" not in lower and " on" not in lower
        assert not re.search(r"https?://(?!www\.test\.go\.th/|a\.test/)", html)  # only the register's links
    assert 'lang="th"' in snippet and '<meta charset="utf-8" />' in whole
    assert [code for code, _ in re.findall(r"<li>(?:<a [^>]*>)?(O\d+) ([^<:]*)", snippet)] == [
        i.code for i in framework.items
    ]


def test_repeated_and_blank_values_are_shown_once() -> None:
    page = ita_page(FY70, {"O3": ["https://a.test/c", " https://a.test/c ", "", "  "]}, agency_name="x")
    assert [link.url for link in page.items[2].links] == ["https://a.test/c"]
    assert _links(snippet_html(page)) == [("https://a.test/c", "O3 ข้อมูลการติดต่อและช่องทางการสอบถาม")]


def test_codes_the_year_does_not_have_are_left_out() -> None:
    page = ita_page(FY70, {"O99": ["https://a.test/x"], "O1": ["https://a.test/1"]}, agency_name="x")
    assert "O99" not in snippet_html(page) and "https://a.test/x" not in snippet_html(page)


@pytest.mark.parametrize(
    "markup",
    [
        '<div lang="th"><ul><li>O1</ul></div>',  # an li left to the parser to close
        '<div lang="th"><p>a</div>',
        '<div lang="th"><ul><li><a href="x">a<a href="y">b</a></a></li></ul></div>',  # a link in a link
        '<div lang="th"><ul><li>a &nbsp; b</li></ul></div>',  # an entity only HTML knows
        '<div lang="th"><ul><li><a href=x>a</a></li></ul></div>',  # an unquoted attribute
        '<div lang="th"><ul><li><a href="x" class="btn">a</a></li></ul></div>',  # a class the site lacks
        '<div lang="th"><ul><li><a href="x" style="color:red">a</a></li></ul></div>',
        '<div lang="th"><ul><li>a<img src="https://cdn.test/x.png" /></li></ul></div>',
        '<div lang="th"><li>O1</li></div>',  # an item outside a list
    ],
)
def test_the_validator_refuses_what_a_browser_would_repair_or_fetch(markup: str) -> None:
    with pytest.raises((AssertionError, lxml.etree.XMLSyntaxError)):
        assert_valid(markup, whole=False)
