"""Link-dense lines and ``<center>`` text of an isolated post body stay in its text."""

from __future__ import annotations

import pytest

from pipelines.extract import extract_main_text

_INTRO = "<p>We cooked the soup all afternoon, and here is everything that went into the pot.</p>"


def test_a_list_of_links_and_a_last_link_line_are_the_posts_text():
    html = (
        f"<div>{_INTRO}<ul><li><a href='/leek'>Leeks</a></li><li><a href='/potato'>Potatoes</a></li></ul>"
        "<p><a href='/events'>Full events page here.</a></p></div>"
    )
    assert extract_main_text(html).split("\n") == [
        "We cooked the soup all afternoon, and here is everything that went into the pot.",
        "- Leeks",
        "- Potatoes",
        "Full events page here.",
    ]


def test_a_heading_beside_a_picture_link_and_the_text_after_the_picture_are_kept():
    html = (
        f"<div>{_INTRO}<div>This is Italy:<a href='/big.jpg'><img src='/small.jpg'></a></div>"
        "<div class='separator'><u><a href='/b.jpg'><img src='/b.jpg'></a></u></div>"
        "Then we drove north.<br></div>"
    )
    assert extract_main_text(html).split("\n") == [
        "We cooked the soup all afternoon, and here is everything that went into the pot.",
        "This is Italy:",
        "Then we drove north.",
    ]


@pytest.mark.parametrize("tag", ["blink", "marquee"])
def test_text_in_obsolete_inline_elements_is_read(tag):
    html = (
        f"<p>Please send your contributions today.<br/><b>STOP THE WAR!<br/><{tag}><span>BLOCKADE=BLOCKAID</span>"
        f"</{tag}></b> Thank you all.</p>"
    )
    assert "BLOCKADE=BLOCKAID Thank you all." in extract_main_text(html)


def test_text_in_center_elements_is_read():
    html = (
        "<div><center><center>In relation to the recent call for good governance, a protest.</center>"
        "<center>The artiste lends his voice to it.</center></center>"
        "<center><a href='/song.mp3'>CLICK HERE TO DOWNLOAD</a></center></div>"
    )
    assert extract_main_text(html).split("\n") == [
        "In relation to the recent call for good governance, a protest.",
        "The artiste lends his voice to it.",
        "CLICK HERE TO DOWNLOAD",
    ]


def test_a_line_linking_to_one_of_the_blogs_static_pages_is_navigation():
    html = (
        f"<div>{_INTRO}<div><i><a href='http://x.blogspot.com/p/erklarung-zur-bewertung.html'>"
        "Info zur Bewertung</a></i></div><ul><li><a href='http://x.blogspot.com/p/impressum.html'>Impressum</a></li>"
        "</ul><p>Mehr auf <a href='http://x.blogspot.com/p/about.html'>unserer Seite</a>.</p></div>"
    )
    text = extract_main_text(html)
    assert "Info zur Bewertung" not in text and "Impressum" not in text
    assert "Mehr auf unserer Seite." in text  # inside a sentence, a static page's link is text


def test_a_heading_that_ends_the_body_is_its_last_line():
    assert extract_main_text("<p>FITTED TO WHOM</p><h2>MEEEE BABY!!!</h2>").split("\n") == [
        "FITTED TO WHOM",
        "MEEEE BABY!!!",
    ]


def test_the_lead_text_of_a_body_made_of_divs_stays_first():
    # mad3linux: Blogger's editor writes the first paragraph bare, the next ones in (nested) <div>s;
    # trafilatura gave the body's own text after all its <div>s
    html = (
        "<div class='post-body'>\nBad block is a damaged area of a disk. <div>\n<br/></div>\n<div>\nMany users "
        "write to us.<br/><br/>What really happens is this.<div>\n<br/></div>\n<h3>\nOn Linux</h3>\n<div>\n"
        "There is a command called <b>badblocks</b>.</div></div></div>"
    )
    assert [line for line in extract_main_text(html).split("\n") if line] == [
        "Bad block is a damaged area of a disk.",
        "Many users write to us.",
        "What really happens is this.",
        "On Linux",
        "There is a command called badblocks.",
    ]


def test_the_text_after_a_widget_div_in_a_body_made_of_divs_is_kept():
    # dianarambles: a recipe card <div> ("Powered by Recipage") then the text run "I picked up…"; trafilatura
    # dropped the card with its tail
    card = "".join(f"<div class='instruction'>Step {i}.</div>" for i in range(5))
    html = (
        "<div class='post-body'><div class='separator'><a href='x.jpg'><img src='x.jpg'></a></div>"
        f"<div class='single_recipe'>{card}<div class='single_recipe_text'>Powered by "
        "<a href='http://www.recipage.com/'>Recipage</a></div></div>\nI picked up all the supplies at "
        "<a href='http://cbi.as/1'>Walmart</a>.<br>\n<div class='separator'><img src='y.jpg'></div>"
        "This stadium project was a lot of fun to make.<br></div>"
    )
    text = extract_main_text(html)
    assert "I picked up all the supplies at Walmart." in text
    assert "This stadium project was a lot of fun to make." in text
