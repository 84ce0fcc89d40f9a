"""Imported descriptions become plain text: paragraphs and lists, never markup."""

from competencies.frameworks.moodle_csv import FORMAT_HTML, FORMAT_MARKDOWN, FORMAT_PLAIN
from competencies.frameworks.text import Block, description_blocks, plain_text


def test_html_becomes_paragraphs_and_lists_of_text():
    html = (
        '<p dir="ltr" style="text-align:left;">First &amp; <b>bold</b></p>\n'
        "<h5><span>Heading</span></h5><p></p><ul><li><span>one</span></li><li>two</li></ul>"
    )
    assert description_blocks(html, FORMAT_HTML) == [
        Block(text="First & bold"),
        Block(text="Heading"),
        Block(items=["one", "two"]),
    ]


def test_scripts_styles_and_attributes_are_dropped():
    html = '<p onclick="x()">Hi<script>alert(1)</script><style>p{}</style><img src=x onerror=y></p>'
    assert description_blocks(html, FORMAT_HTML) == [Block(text="Hi")]


def test_broken_html_still_gives_text():
    assert description_blocks("<p>unclosed <b>bold", FORMAT_HTML) == [Block(text="unclosed bold")]


def test_plain_text_and_markdown_are_shown_as_written():
    assert description_blocks("a <b>\n\nb", FORMAT_PLAIN) == [Block(text="a <b>"), Block(text="b")]
    assert description_blocks("**a**", FORMAT_MARKDOWN) == [Block(text="**a**")]
    assert description_blocks("   ", FORMAT_HTML) == []


def test_plain_text_is_one_line():
    assert plain_text("<p>a</p><ul><li>b</li><li>c</li></ul>", FORMAT_HTML) == "a b; c"
