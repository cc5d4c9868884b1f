"""Pipeline steps as pure functions: extraction, normalization, language, hashing, PII."""

from __future__ import annotations

import pytest

from pipelines.dedup import content_hash
from pipelines.extract import extract_main_text
from pipelines.language import detect_language
from pipelines.normalize import normalize_inline, normalize_text
from pipelines.pii import redact


def test_extraction_keeps_text_outside_paragraphs_and_drops_scripts():
    html = "line one<br>line two<br><br>para two<script>var x = 1;</script><p>Un paragraphe.</p>"
    text = extract_main_text(html)
    assert "line one" in text and "para two" in text and "Un paragraphe." in text
    assert "var x" not in text


def test_extraction_keeps_paragraphs_written_as_styled_divs_beside_paragraphs():
    separator = '<div class="separator" style="clear:both"><a href="a.jpg"><img src="a.jpg"></a></div>'
    styled = "".join(
        f'<div style="text-align: justify;"><span style="font-family: arial;">{words}</span></div>'
        for words in ("Premier paragraphe du billet, dans un div.", "Deuxième paragraphe, dans un span.")
    )
    html = "Une introduction &amp; plus." + separator + styled + "<p>Trois.</p><p>Quatre.</p><p>Cinq.</p>"
    assert extract_main_text(html).split("\n") == [
        "Une introduction & plus.",
        "Premier paragraphe du billet, dans un div.",
        "Deuxième paragraphe, dans un span.",
        "Trois.",
        "Quatre.",
        "Cinq.",
    ]


def test_extraction_keeps_the_text_after_a_blank_line_div():
    # Blogger's editor writes a blank line as <div><br></div>; trafilatura dropped the div with its tail.
    html = "One.<br><div><br></div>Two, after a blank line.<div><span><br></span></div><span>Three.</span>"
    assert extract_main_text(html).split("\n") == ["One.", "Two, after a blank line.", "Three."]


def test_extraction_keeps_the_text_a_div_holds_beside_its_paragraphs():
    # Typepad: the body's lead sits straight in div.entry-body, before its <p>s.
    html = "<div class='entry-body'>ARLINGTON -- A <b>lead</b> run.<p>Texas won.</p>After, bare.<p>--Clark</p></div>"
    assert extract_main_text(html).split("\n") == [
        "ARLINGTON -- A lead run.",
        "Texas won.",
        "After, bare.",
        "--Clark",
    ]


def test_a_line_break_of_the_html_source_is_a_space_as_a_browser_shows_it():
    # Typepad's editor wraps long lines inside a <p> with <br>s; trafilatura kept each wrap.
    html = "<p><b>Utley is out as the Phillies \nconclude their series.</b><br><br>With\n Utley out.</p><pre>a\n  b</pre>"
    assert extract_main_text(html).split("\n") == [
        "Utley is out as the Phillies conclude their series.",
        "With Utley out.",
        "a",
        "  b",
    ]


def test_extraction_keeps_very_short_posts():
    assert extract_main_text("<div>Joyeux Noël !</div>") == "Joyeux Noël !"
    assert extract_main_text("") == "" and extract_main_text(None) == ""


def test_normalize_text_paragraphs_and_unicode():
    assert (
        normalize_text("e\u0301te\u0301\u00a0 chaud\r\n\r\n\n  second\x07 line ")
        == "été chaud\n\nsecond line"
    )
    assert normalize_inline("  A \n title\u200b ") == "A title"
    assert normalize_inline("   ") is None


def test_language_is_deterministic_and_capped():
    text = (
        "Ceci est un billet de blog écrit en français, avec des phrases assez longues pour la détection. "
        * 200
    )
    first = detect_language(text)
    assert first[0] == "fr" and 0.5 < first[1] <= 1.0
    assert all(detect_language(text) == first for _ in range(5))
    assert detect_language("ok") == (None, None)


def test_content_hash_changes_with_comments():
    base = content_hash("t", "text", [])
    assert base == content_hash("t", "text", [])
    assert base != content_hash("t", "text", [{"author": "a", "text": "hello"}])
    assert base != content_hash("t2", "text", [])


def test_redact_pii():
    text = "écrivez-moi à henri.kaufman@gmail.com ou au 01 23 45 67 89, +33 6 12 34 56 78 (en 2007, 1234567)"
    assert redact(text) == "écrivez-moi à [email] ou au [phone], [phone] (en 2007, 1234567)"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Call me at (415) 555-2671 tonight.", "Call me at [phone] tonight."),
        ("Our London office: +44 20 7946 0958.", "Our London office: [phone]."),
        ("portable 06.12.34.56.78", "portable [phone]"),
        ("Réf. commande 123456789, livrée le 12/05/2009.", "Réf. commande 123456789, livrée le 12/05/2009."),
        (
            "ISBN 978-2-07-036822-8, 1 500 exemplaires en 2007",
            "ISBN 978-2-07-036822-8, 1 500 exemplaires en 2007",
        ),
        ("mon serveur 192.168.1.20 et 2001:db8::8a2e:370:7334", "mon serveur [ip] et [ip]"),
        ("version 999.1.1.1 et 12:30", "version 999.1.1.1 et 12:30"),
        ("écrire à Jean.Dupont+blog@orange.fr", "écrire à [email]"),
    ],
)
def test_redact_pii_international_and_no_false_positive(text, expected):
    assert redact(text) == expected


def test_meta_robots_of_a_permalink_page_is_recorded_whatever_the_platform():
    from crawler.capture import page_robots

    assert (
        page_robots('<head><meta name="robots" content="noarchive, noindex"></head>') == "noarchive, noindex"
    )
    assert page_robots("<meta content='noindex,nofollow' name='ROBOTS' />") == "noindex,nofollow"
    assert page_robots("<p>no meta</p>") is None
