"""A theme's chrome inside a Tumblr post block: the links by role (permalink, tags, reblog
attribution, platform buttons), the date and notes lines, and the heading that titles the post.

Themes differ in every class name; what they share is what their links point at and how short
their chrome lines are, so these rules read links and word counts, not a theme's markup.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from lxml import html as lxml_html

from crawler.dates import parse_when
from crawler.parsers.base import absolute, by_class, by_id, clean_text, has_class, xpath
from crawler.parsers.tumblr.postids import is_yearless_date
from crawler.parsers.tumblr.urls import JUNK_PATH, blog_name, blog_root, post_id_of, same_blog, split
from crawler.urls import is_http_url

SELECTORS = {
    # Theme and platform chrome inside a post block.
    "chrome": ".//script | .//style | .//noscript | .//form | .//button | .//ol[contains(@class, 'notes')]"
    f" | {by_class('notes', scope='')} | {by_id('notes', scope='')}"
    " | descendant::*/@class[contains(., 'like_button') or contains(., 'reblog_button') or contains(., 'share')]"
    "/parent::*"
    # The audio player's placeholder ("[Flash 9 is required to listen to audio.]"), replaced by script.
    " | descendant::*/@id[starts-with(., 'audio_player_')]/parent::*"
    # A permalink page's previous/next-post links ("prev", "next", "home").
    f" | descendant::*/@id[contains(., 'pagination')]/parent::* | {by_class('pagination', scope='')}"
    f" | {by_id('navigation', scope='')} | {by_class('navigation', scope='')}"
    # Third-party comment widgets (Disqus, Facebook): their thread holder and "powered by" credit.
    f" | {by_id('disqus_thread', scope='')}"
    " | descendant::*/@class[contains(., 'dsq-brlink') or contains(., 'fb-comments')]/parent::*",
    # A post's caption is its text: the class goes, or trafilatura prunes it as a figure caption.
    # (Any class naming a caption: trafilatura flattens ``caption_and_post_info`` into one line too.)
    "captions": ".//*[contains(@class, 'caption')]",
    # The caption by class or id, where a theme prints it twice (over the photo on hover, and below it).
    "caption_copies": f".//*[{has_class('caption')} or @id='caption']",
    "headings": ("h1", "h2", "h3", "h4"),
    # A theme's date box: short, no media (its words are checked in the code).
    # ``date``, ``datetime``, ``timestamp`` (``div.timestamp`` > ``span.month`` "Sep" ``span.date`` "24"
    # ``span.year`` "2013": the day alone going would leave the month and year), or a linkless element
    # another class word starting with "date" names (``datebox``: "27 / Aug"; ``datenotes`` with its
    # permalink and notes count is read before it goes) or ending with "-date" (``article-date`` "янв 21",
    # in a language no date parser reads).
    "date_blocks": f".//*[{has_class('date')} or {has_class('datetime')} or {has_class('timestamp')}"
    " or (contains(@class, 'date') and not(.//a)"
    " and (contains(concat(' ', normalize-space(@class)), ' date')"
    " or contains(concat(normalize-space(@class), ' '), '-date ')))][not(.//img)]",
    "media_nodes": ".//img | .//video | .//audio | .//iframe | .//embed | .//object",
    # A comment widget's thread holder: what follows it in its container is the widget's chrome
    # (a blog's comment policy, "View the discussion thread"), never the post's text.
    "comment_threads": ".//*[@id='disqus_thread']",
    # The theme's page header (logo, the blog's description, its menu) when the post block holds the page.
    "page_headers": f".//header | .//*[@id='header' or {has_class('header')}]",
}
BLOCK_TAGS = frozenset({"p", "div", "li", "ul", "ol", "footer", "header", "section", "aside", "nav", "span",
                        "small", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "table", "tr", "td"})  # fmt: skip
# Where a line ends in the text drawn from a block (a separator between two of them stands alone).
LINE_TAGS = frozenset({"p", "div", "center", "li", "ul", "ol", "footer", "header", "section", "aside", "nav", "br",
                       "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt", "table", "tr", "td"})  # fmt: skip
LEFTOVER_HOLDERS = LINE_TAGS | {"a"}
# What a theme prints between its chrome links ("266 Notes | Reblog", "⤷ Reblog", "date - via"): once the
# links are gone a run of these alone is no text. Emoji and dingbats (✿, 😂) stay: a post may be just one.
SEPARATOR_CATEGORIES = ("P", "Sm", "Zs")
SEPARATOR_CHARS = frozenset("\u2937\u2936\u21b3\u21b2")  # ⤷ ⤶ ↳ ↲: arrows themes put before "Reblog"
# The words of a theme's footer that are only labels of its links ("— Shared 3 hours ago on <date> with
# <notes> via <blog> (<Source>)", "via: <blog> , source: <blog>", "Filed under: <tags>"): with the links
# gone they say nothing.
FOOTER_LABELS = re.compile(
    r"\b(?:\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago|\d[\d\s.,]*\s*(?:notes?|notas?)|"
    r"filed\s+under|tagged|tags?|"
    r"posted|shared|reblogged|originally|via|source|from|on|with|at|by|reblogado|postado|fonte|de|por)\b",
    re.I,
)
# A theme's label over a grid item or a link to the post ("View photo"), never a post's text.
VIEW_LABEL = re.compile(
    r"^\W*view\s+(?:photo|photoset|post|video|audio|quote|text|link|chat|answer)s?\W*$", re.I
)
# The blog's own pages a theme's menu links (the archive and /tagged/ pages are crawled from the links, not this).
MENU_PATH = re.compile(r"^/(?:archive|random|rss|search|mobile)\b")
# A menu link's label is a few words ("Ask me anything"); a quote linked to /random is the post's text.
MENU_LABEL_MAX_WORDS = 5
# The inline elements a theme sets a link's label in ("<b>via:</b> <a>…</a>").
LABEL_TAGS = frozenset({"b", "strong", "em", "i", "span", "small", "label"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# A theme's label or age line is short ("This was posted 2 years ago. It has 35 notes."): longer is text.
LABEL_MAX_CHARS = 80
# A chrome block keeps at most this many words once its chrome links are taken out ("— avec", "Tags :").
CHROME_MAX_WORDS = 5
# A run of text this short that holds a date is the theme's date line, not the post's text.
DATE_LINE_MAX_WORDS = 8
SENTENCE_END = re.compile(r"[.!?…]\s+\S")
RELATIVE_DATE = re.compile(
    r"^\W*(?:(?:this\s+(?:(?:post|entry)\s+)?was\s+)?(?:posted|publié|posté)\s+)?(?:il y a\s+)?(?:\d+|un|une|an?|one)\s+"
    r"(?:ans?|mois|semaines?|jours?|heures?|minutes?|secondes?|years?|months?|weeks?|days?|hours?|minutes?|seconds?)"
    r"(?:\s+ago)?(?:\W+\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)?(?:(?:\s+(?:avec|with)|\.\s*it\s+has)\s+\d[\d\s.,]*\s*notes?)?\W*$",
    re.I,
)
NOTES_TAIL = re.compile(
    r"(?:\s+(?:avec|with|con|com)|\s*[/·|•])\s+\d[\d.,]*(?:\s\d{3})*\s*not(?:e|a)s?\W*$", re.I
)
# A theme printing the post's {Timestamp}, Unix seconds ("Timestamp: 1412372911").
EPOCH_LINE = re.compile(r"^\s*timestamp\s*:?\s*(\d{9,10})\s*$", re.I)
CLOCK_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
NOTES_ONLY = re.compile(r"^\W*(?:(?:avec|with)\s+)?\d[\d\s.,]*\s*(?:notes?|notas?)\W*$", re.I)
# The heading a theme puts above the notes list ("Notes"), left alone once the list is out.
NOTES_HEADING = re.compile(r"^\W*notes?\W*$", re.I)
# A link whose whole text is the theme's label for the reblog's root ("Source") or parent ("Via").
# A share button's target: posting the post's address to another site.
SHARE_URL = re.compile(
    r"//(?:www\.)?(?:twitter\.com/(?:home/?\?status=|intent/tweet|share\b)|facebook\.com/shar|pinterest\.com/pin/create"
    r"|plus\.google\.com/share|reddit\.com/submit|(?:www\.)?stumbleupon\.com/submit)",
    re.I,
)
# The theme's {ShortURL} ("Short URL: https://tmblr.co/Z…"): a link to Tumblr's short host that prints its own
# address or the label; a word of a sentence linked there stays text.
SHORT_URL_TEXT = re.compile(r"^\W*(?:(?:https?://)?tmblr\.co/\S*|short\s*(?:url|link))\W*$", re.I)
# The label inside the link, before the blog's name ("↵ Reblogged from aliengunk", "↵ Originally from glam-tastic").
OWN_PARENT_TEXT = re.compile(r"^\W*(?:reblogged\s+(?:from|via)|rebloggu?é\s+de(?:puis)?)\s+[\w.-]+\W*$", re.I)
OWN_ROOT_TEXT = re.compile(r"^\W*(?:originally\s+(?:from|by|posted\s+by)|source\s*:?)\s+[\w.-]+\W*$", re.I)
ROOT_LINK_TEXT = re.compile(r"^\W*(?:source|src|original post)\W*$", re.I)
PARENT_LINK_TEXT = re.compile(r"^\W*(?:via|reblogged from)\W*$", re.I)
# The label's colon, or the dash some themes print instead ("Reblogged from - <a>", "Source - <a>").
LABEL_END = r"\s*[:–—-]?\s*$"
REBLOG_FROM_LABEL = re.compile(
    r"(?:reblogged from|reblogg?ué (?:de|depuis)|rebloggé (?:de|depuis)|reblogado de)" + LABEL_END, re.I
)
MEDIA_FILE = re.compile(r"//\d+\.media\.tumblr\.com/|\.(?:jpe?g|png|gif|webp)(?:[?#]|$)", re.I)
MEDIA_TAGS = frozenset({"img", "video", "audio", "iframe", "embed", "object"})
# Tumblr's avatar files ("…media.tumblr.com/avatar_7b187e1b509b_64.png"): a group blog's theme shows the
# member's above the title (blog.disqus.com), no media of the post.
AVATAR_FILE = re.compile(r"/avatar_[0-9a-f]+_\d+\.\w+$")
# A slug this short ("a", "hi") could be any text's start: no title is read from it.
SLUG_MIN_CHARS = 6
# "(via <a>x</a>)": the attribution Tumblr wrote into captions, part of the post's text.
VIA_LABEL = re.compile(r"\bvia\s*:?\s*$", re.I)
# "— Anonyme", "– Oscar Wilde", "via http://…", class="source": a quote's source line; its link (if any) is unwrapped so that the
# text extractor does not drop the line as link-only boilerplate.
ATTRIBUTION = re.compile(r"^\s*(?:[—–―-]\s*\S|\(?via\s+\S)", re.I)
ATTRIBUTION_MAX_WORDS = 12
REBLOG_ROOT_LABEL = re.compile(
    r"(?:source|origine|fonte|originally posted by|posted by|postado por)" + LABEL_END + r"|\bop\s*:\s*$",
    re.I,
)
# The label a theme prints before the post's date ("Posted on", "Publié le", "Publicado el").
POSTED_LABEL = re.compile(
    r"\b(?:posted|publié|posté|publicado|postado)(?:\s+(?:on|le|el|em))?\s*:?\s*$", re.I
)
# "Updated 1 week ago by <a href=member.tumblr.com>member</a>": a group blog's member who posted it.
MEMBER_LABEL = re.compile(r"(?:^|\s)(?:by|par|von|por|door)\s*:?\s*$", re.I)


def _text_before(anchor: lxml_html.HtmlElement) -> str:
    """The text just before a link: its label ("via: ", "Source: "), also when the theme sets the label in
    bold (``<b>source:</b> <a>``)."""
    previous = anchor.getprevious()
    if previous is not None:
        tail = previous.tail or ""
        if previous.tag not in LABEL_TAGS or any(c.isalnum() for c in tail):
            return tail
        return previous.text_content() + tail  # "<b>Via</b>: <a>", the colon after the bold label
    parent = anchor.getparent()
    return (parent.text or "") if parent is not None else ""


def is_permalink(anchor: lxml_html.HtmlElement, url: str, blog: str, pid: str) -> bool:
    """``link_role(...) == "permalink"``, answered at once for the many links whose address does not even
    hold the post's id (a post page's blocks ask it of every link, several times)."""
    if pid and pid not in (anchor.get("href") or ""):
        return False
    return link_role(anchor, url, blog, pid) == "permalink"


def link_role(anchor: lxml_html.HtmlElement, url: str, blog: str, pid: str) -> str | None:
    """A post block's link: "permalink", "tag", "reblog_from", "reblog_root", "member", "junk", or None for
    content ("via" is an attribution inside the content: it names the reblog source and stays text;
    "member" is the group blog's member who posted, a link to that member's blog after "by")."""
    raw = (anchor.get("href") or "").strip()
    href = absolute(url, raw)
    if not href or not is_http_url(href):
        return "junk" if raw.startswith(("javascript:", "#")) else None
    _, netloc, path = split(href)
    if MEDIA_FILE.search(href) and not xpath(anchor, SELECTORS["media_nodes"]):
        return "junk"  # "Pop-up", "High-res": a link to the photo file shown above
    if "tumblr_blog" in (anchor.get("class") or "").split():
        # "name:" above the reblogged post in the caption; "(via <a class=tumblr_blog>name</a>)" is the caption's
        # attribution, text like any other "(via name)".
        return "via" if VIA_LABEL.search(_text_before(anchor)) else "reblog_from"
    if "source_link" in (anchor.get("class") or "").split():
        return "reblog_root"  # Tumblr's {SourceLink}: "(Source: name)", "Fonte: name"
    if same_blog(href, blog):
        if post_id_of(href) == pid:
            return "permalink"
        if path.startswith("/tagged/"):
            return "tag"
        if JUNK_PATH.match(path) or path == "/" or _blog_menu_link(anchor, path):
            return "junk"  # "/": the blog's own name or home
        return None
    if netloc.endswith(".tumblr.com") and path.startswith("/tagged/"):
        return "tag"  # a custom-domain blog's theme linking its tags on its tumblr.com name
    if netloc.endswith("tumblr.com") and JUNK_PATH.match(path):
        return "junk"
    if SHARE_URL.search(href):
        return "junk"  # "Tweet this", "Share on Facebook"
    own = anchor.text_content()
    if netloc == "tmblr.co" and SHORT_URL_TEXT.match(own):
        return "junk"
    if post_id_of(href) and (role := _reblog_link(anchor, href, own)):
        return role
    if (netloc.endswith(".tumblr.com") or post_id_of(href)) and ROOT_LINK_TEXT.match(own):
        return "reblog_root"
    if (netloc.endswith(".tumblr.com") or post_id_of(href)) and PARENT_LINK_TEXT.match(own):
        return "reblog_from"
    before = _text_before(anchor)
    if REBLOG_FROM_LABEL.search(before):
        return "reblog_from"
    if VIA_LABEL.search(before):
        return "via"
    if REBLOG_ROOT_LABEL.search(before) and (netloc.endswith(".tumblr.com") or post_id_of(href)):
        return "reblog_root"
    if netloc.endswith(".tumblr.com") and path in ("", "/") and MEMBER_LABEL.search(before):
        return "member"
    return None


def _blog_menu_link(anchor: lxml_html.HtmlElement, path: str) -> bool:
    """A theme's menu of the blog's pages ("RSS / Archive / Random"): a link to one of them among links
    and separators only; a sentence linking a word to them ("the extensive archives!") is text, and so is
    a whole quote a theme links to the blog's random post (``blockquote > a[href=/random]``)."""
    parent = anchor.getparent()
    return (
        MENU_PATH.match(path) is not None
        and _words(anchor.text_content()) <= MENU_LABEL_MAX_WORDS
        and parent is not None
        and _words("".join(_texts_outside(parent, set(parent.iter("a"))))) == 0
    )


def _reblog_link(anchor: lxml_html.HtmlElement, href: str, own: str) -> str | None:
    """A link to a reblogged post that the theme classes (``a.reblog-link``, the reblog header, the footer's
    ``li.reblog`` holding it alone) or labels in its own text, or the trail's "name:" above the reblogged text
    when it has no ``tumblr_blog`` class."""
    parent = anchor.getparent()
    alone = parent is not None and len(xpath(parent, ".//a")) == 1
    tokens = f"{anchor.get('class') or ''} {parent.get('class') or '' if alone else ''}".lower().split()
    if any("reblog" in token for token in tokens) or OWN_PARENT_TEXT.match(own):
        return "reblog_from"
    if OWN_ROOT_TEXT.match(own):
        return "reblog_root"
    name = blog_name(blog_root(href))
    if name is not None and clean_text(own) == name and (anchor.tail or "").lstrip().startswith(":"):
        return "reblog_from"
    return None


def tag_name(anchor: lxml_html.HtmlElement) -> str | None:
    """``#petit monde`` as written; the URL's ``/tagged/petit-monde`` when the link has no text, or
    more than the tag (a theme's tooltip: 'Show all posts tagged with "x".x')."""
    text = clean_text((anchor.text_content() or "").lstrip().lstrip("#"))
    tail = split(anchor.get("href") or "")[2].split("/tagged/", 1)[-1].split("/")[0]
    from_url = clean_text(unquote(tail).replace("+", " ").replace("-", " "))
    if (
        text
        and from_url
        and _tag_key(text) != _tag_key(from_url)
        and _tag_key(text).endswith(_tag_key(from_url))
    ):
        return from_url
    return text or from_url


def _tag_key(tag: str) -> str:
    return " ".join(tag.lower().replace("-", " ").replace("_", " ").split())


def reblog(anchor: lxml_html.HtmlElement, url: str) -> tuple[str | None, str | None]:
    """(blog name, URL) of a reblog attribution link."""
    href = absolute(url, anchor.get("href"))
    name = blog_name(blog_root(href)) if href else None
    return name or clean_text(anchor.text_content()), href


HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


def _blog_header(
    anchor: lxml_html.HtmlElement, block: lxml_html.HtmlElement, url: str, blog: str
) -> lxml_html.HtmlElement | None:
    """The theme's blog header inside a post block: a heading linking to the blog's home (its title) in
    a container whose text is all headings (the title and the blog's description), no media."""
    href = absolute(url, anchor.get("href"))
    if anchor.getparent() is None or not href or not same_blog(href, blog) or split(href)[2] not in ("", "/"):
        return None
    heading = next((h for h in anchor.iter(*HEADING_TAGS)), None)
    heading = heading if heading is not None else next(anchor.iterancestors(*HEADING_TAGS), None)
    if heading is None:
        return None
    container = anchor if heading in anchor.iterancestors() else heading
    container = _nearest_block(container, block)
    if container is block or xpath(container, SELECTORS["media_nodes"]):
        return None
    outside = [t for t in xpath(container, ".//text()") if t.strip() and not _in_heading(t, container)]
    return None if outside else container


def _in_heading(text: lxml_html.HtmlElement, stop: lxml_html.HtmlElement) -> bool:
    """A text node (``xpath("text()")``) is inside a heading below ``stop``."""
    node = text.getparent()
    if text.is_tail:
        node = node.getparent()
    for element in (node, *node.iterancestors()):
        if element is stop:
            return False
        if element.tag in HEADING_TAGS:
            return True
    return False


def _nearest_block(node: lxml_html.HtmlElement, stop: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    for parent in node.iterancestors():
        if parent is stop or parent.tag in BLOCK_TAGS:
            return parent
    return stop


def _words(text: str) -> int:
    """Words and numbers, a number's thousands one ("with 5,636 notes": 3)."""
    return len(re.findall(r"\w+(?:[.,]\d+)*", text))


def slug_title(
    block: lxml_html.HtmlElement,
    slug: str,
    permalinks: list[lxml_html.HtmlElement],
    any_link: bool = False,
    past_media: bool = False,
) -> lxml_html.HtmlElement | None:
    """The heading or permalink whose text Tumblr made the URL slug of (``/post/1/masks-miscues-mayhem``
    from "Masks, Miscues, & Mayhem"; a long title's slug is cut short): the post's title, wherever the
    theme prints it (a heading, a ``class="title"`` link, after the date), if it comes before any media
    (an untitled photo post's slug is made of its caption). The innermost such element: its text is the
    title without what the theme adds around it ("1 week ago"). A link post's title may be any link
    (``any_link``): it links where the post points. A text post's title may follow its body's first picture
    (``past_media``: a theme hiding its title heading, the body's own heading after an image)."""
    key = _slug_key(unquote(slug))
    if len(key) < SLUG_MIN_CHARS:
        return None
    found = None
    for element in block.iter():
        if not isinstance(element.tag, str):
            continue
        if (
            element.tag in MEDIA_TAGS
            and not past_media
            and not any(a in permalinks for a in element.iterancestors())
            and not AVATAR_FILE.search(element.get("src") or "")
        ):
            break  # media, but not a theme's permalink icon nor a group blog's author avatar
        in_heading = element.tag in SELECTORS["headings"] or any(
            a.tag in SELECTORS["headings"] for a in element.iterancestors()
        )
        # ``<span class="title">``, not a link card's (``<a href=…><div class="title">``, the linked page's)
        classed = (
            "title" in (element.get("class") or "").split() and next(element.iterancestors("a"), None) is None
        )
        titled = in_heading or classed or element in permalinks or (any_link and element.tag == "a")
        if titled and _slug_key(element.text_content()).startswith(key):
            found = element
        elif found is not None and found not in element.iterancestors():
            break
    return found


def slug_matches(element: lxml_html.HtmlElement, slug: str) -> bool:
    """Whether Tumblr made ``slug`` of the element's text."""
    key = _slug_key(unquote(slug))
    return len(key) >= SLUG_MIN_CHARS and _slug_key(element.text_content()).startswith(key)


def _slug_key(text: str) -> str:
    """Letters and digits only, accents folded: what a title and its slug share."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if c.isascii() and c.isalnum())


def heading_title(block: lxml_html.HtmlElement) -> lxml_html.HtmlElement | None:
    """The block's heading when it comes before any other text (a heading lower down is the body's)."""
    for element in block.iter():
        if not isinstance(element.tag, str) or element.tag in ("script", "style", "noscript"):
            continue
        if (element.text or "").strip():
            heading = next((a for a in element.iterancestors() if a.tag in SELECTORS["headings"]), None)
            heading = element if element.tag in SELECTORS["headings"] else heading
            if heading is None:
                return None
            text = clean_text(heading.text_content()) or ""
            chrome = not re.search(r"[^\W\d_]", text) or RELATIVE_DATE.match(text) or NOTES_ONLY.match(text)
            return None if chrome else heading
    return None


def strip_chrome(
    block: lxml_html.HtmlElement, url: str, blog: str, pid: str
) -> tuple[dict[str, list], list[str]]:
    """Take the chrome out of ``block`` (in place): links by role, and the chrome text removed."""
    for thread in xpath(block, SELECTORS["comment_threads"]):
        for after in list(thread.itersiblings()):
            after.drop_tree()
        # The widget's heading just above it ("Recent comments", "Comments").
        for before in list(thread.itersiblings(preceding=True)):
            if not isinstance(before.tag, str) or before.tag in ("script", "style", "noscript"):
                continue
            if before.tag not in HEADING_TAGS or _words(before.text_content()) > 3:
                break
            before.drop_tree()
    for bad in xpath(block, SELECTORS["chrome"]):
        bad.drop_tree()
    for header in xpath(block, SELECTORS["page_headers"]):
        if header.getparent() is not None and _is_page_header(header, url, blog, pid):
            header.drop_tree()
    removed: list[str] = _drop_date_lines(block)
    _drop_caption_copies(block)
    for caption in xpath(block, SELECTORS["captions"]):
        caption.attrib.pop("class")
    roles: dict[str, list] = {}
    for anchor in list(block.iter("a")):
        role = link_role(anchor, url, blog, pid)
        if role:
            roles.setdefault(role, []).append(anchor)
    footer_vias = _footer_vias(roles)
    chrome_anchors = {a for role, anchors in roles.items() if role != "via" for a in anchors}
    # Document order, never the set's (element hashes are addresses: a set's order varied from one
    # process to the next, and with it which container below was dropped).
    ordered = [a for a in block.iter("a") if a in chrome_anchors]
    removed += [a.text_content() for a in ordered]
    touched: list[
        lxml_html.HtmlElement
    ] = []  # elements that lost chrome: a separator may be left alone in them
    for anchor in ordered:
        if (header := _blog_header(anchor, block, url, blog)) is not None:
            removed.append(header.text_content())
            _drop(header, touched)
    # Innermost containers first (the last in the document): a tag list is judged, and dropped,
    # before the footer line that holds it, whose own text is then weighed without it.
    for anchor in reversed(ordered):
        container = _nearest_block(anchor, block)
        if container is block or container.getparent() is None or xpath(container, SELECTORS["media_nodes"]):
            continue
        # A footer's "via" name still weighs: a 3-word post beside "(Source: x, via y)" is no chrome block.
        rest = "".join(t for node in [container] for t in _texts_outside(node, chrome_anchors - footer_vias))
        if _words(rest) <= CHROME_MAX_WORDS:
            removed.append(container.text_content())
            _drop(container, touched)
    for element in list(block.iter()):
        if element is block or not isinstance(element.tag, str) or element.getparent() is None:
            continue
        text = clean_text(element.text_content()) or ""
        heading = element.tag in SELECTORS["headings"] and NOTES_HEADING.match(text)
        if text and (
            RELATIVE_DATE.match(text) or NOTES_ONLY.match(text) or VIEW_LABEL.match(text) or heading
        ):
            removed.append(text)
            _drop(element, touched)
    permalinks = set(roles.get("permalink", []))
    for anchor in ordered:  # a "Permalink", a date or a tag link left beside the content
        if anchor.getparent() is not None and (
            not xpath(anchor, SELECTORS["media_nodes"])
            or (anchor in permalinks and _icons_and_chrome(anchor))
        ):
            _drop(anchor, touched)
    _drop_lone_separators(block, touched)
    _unwrap_attributions(block)
    return roles, removed


def _icons_and_chrome(anchor: lxml_html.HtmlElement) -> bool:
    """A permalink whose every line of text is a theme's date, note count or label ("1 day ago", "293 notes",
    "source:"), one at least a date or note count: its images are the theme's icons before them, not the post's
    media."""
    runs = [" ".join(text.split()) for text in anchor.itertext() if text.strip()]
    dates = [run for run in runs if RELATIVE_DATE.match(run) or NOTES_ONLY.match(run) or is_date_line(run)]
    return bool(dates) and all(run in dates or is_leftover(run) for run in runs)


def _drop_caption_copies(block: lxml_html.HtmlElement) -> None:
    """A theme printing the caption twice (``div.caption`` in the overlay shown on hover, ``div#caption``
    under the photo): the copies after the first go."""
    seen = set()
    for caption in xpath(block, SELECTORS["caption_copies"]):
        if caption.getparent() is None or any(a in seen for a in caption.iterancestors()):
            continue
        text = " ".join(caption.text_content().split())
        if text and text in {" ".join(c.text_content().split()) for c in seen}:
            caption.drop_tree()
        else:
            seen.add(caption)


def _is_page_header(header: lxml_html.HtmlElement, url: str, blog: str, pid: str) -> bool:
    """A header that links the blog's home and neither the post nor a post's media (a logo, an avatar,
    a theme's button are no post's): the page's, not the post's ("Houghton Library is the primary…")."""
    hrefs = [h for a in header.iter("a") if (h := absolute(url, a.get("href")))]
    home = any(same_blog(h, blog) and split(h)[2] in ("", "/") for h in hrefs)
    own = any(post_id_of(h) == pid for h in hrefs)
    post_media = any(
        "media.tumblr.com/" in (src := node.get("src") or "") and "/avatar_" not in src
        for node in xpath(header, SELECTORS["media_nodes"])
    )
    return home and not own and not post_media


def _footer_vias(roles: dict[str, list]) -> set[lxml_html.HtmlElement]:
    """A "via" link printed beside the reblog's source link ("via <a>blog</a> (<a>Source</a>)", "via: <a>blog</a>
    , source: <a>blog</a>") is the theme's footer naming the reblog's parent, not a caption's "(via blog)"."""
    roots = {a.getparent() for a in roles.get("reblog_root", [])}
    footer = [a for a in roles.get("via", []) if a.getparent() in roots]
    if footer:
        roles["via"] = [a for a in roles["via"] if a not in footer]
        if not roles["via"]:
            del roles["via"]
        roles.setdefault("reblog_from", []).extend(footer)
    return set(footer)


def _drop(element: lxml_html.HtmlElement, touched: list[lxml_html.HtmlElement]) -> None:
    """Drop ``element`` (its tail stays) and note its parent as one that lost chrome."""
    if (parent := element.getparent()) is not None:
        touched.append(parent)
        element.drop_tree()


def is_leftover(text: str) -> bool:
    """Punctuation, blanks and link labels only, not blank: what a theme draws between and before its
    links ("| |", "- -", "via: , source:", "reblogado de") once they are gone."""
    marks = [c for c in FOOTER_LABELS.sub("", text) if not c.isspace()]
    return bool(text.strip()) and all(
        c in SEPARATOR_CHARS or unicodedata.category(c).startswith(SEPARATOR_CATEGORIES) for c in marks
    )


def _drop_lone_separators(block: lxml_html.HtmlElement, touched: list[lxml_html.HtmlElement]) -> None:
    """Take out the separators and labels the chrome links stood between, where left a line of their own:
    an element (or a link: "<a>Fonte: <a>name</a></a>") that lost chrome and holds only these in its own
    text goes (a blank stays in its place, so words on either side never join), and so does such a run of
    text between two line ends in it. A separator beside words ("Stephen Chbosky / The Perks") stays."""
    for element in dict.fromkeys(touched):  # first-touched first, each once
        while element is not block and element.getparent() is not None and element.tag in LEFTOVER_HOLDERS:
            inner = any(  # a link or item left holding a label alone ("<a>Fonte:</a>", "<li>Tags:</li>") is no text either
                (text := child.text_content() or "").strip()
                and not ((child.tag == "a" or any(c.isalpha() for c in text)) and is_leftover(text))
                for child in element
                if isinstance(child.tag, str)
            )
            if inner or not is_leftover(element.text_content()) or xpath(element, SELECTORS["media_nodes"]):
                break  # a child's own text ("<li>*</li>") is the post's, not what lay between the links
            parent = element.getparent()
            element.tail = " " + (element.tail or "")
            element.drop_tree()
            element = parent
        if element.getparent() is None and element is not block:
            continue
        _blank_separator_lines(element)


def _blank_separator_lines(element: lxml_html.HtmlElement) -> None:
    """Blank the runs of text in ``element`` that are separators alone between two line ends."""
    children = [c for c in element if isinstance(c.tag, str)]
    runs = [(element, "text", element.tag in LINE_TAGS, children[0] if children else None)]
    runs += [
        (child, "tail", child.tag in LINE_TAGS, nxt) for child, nxt in zip(children, children[1:] + [None])
    ]
    for owner, attr, starts_line, following in runs:
        ends_line = following.tag in LINE_TAGS if following is not None else element.tag in LINE_TAGS
        value = getattr(owner, attr)
        if starts_line and ends_line and value and is_leftover(value):
            setattr(owner, attr, " ")
    # A label in bold left alone on its line with its colon ("<br><b>Via</b>: <br>", its link gone).
    for previous, child, following in zip([None, *children], children, [*children[1:], None], strict=False):
        before = (previous.tail if previous is not None else element.text) or ""
        starts_line = (
            previous.tag if previous is not None else element.tag
        ) in LINE_TAGS and not before.strip()
        ends_line = (following.tag if following is not None else element.tag) in LINE_TAGS
        if (
            child.tag in LABEL_TAGS
            and starts_line
            and ends_line
            and is_leftover(child.text_content() + (child.tail or ""))
            and not xpath(child, SELECTORS["media_nodes"])
        ):
            child.tail = " "
            child.drop_tree()


def _unwrap_attributions(block: lxml_html.HtmlElement) -> None:
    """Keep the text of links in a quote's source line (``<cite>``, "— <a>Author</a>") and drop the links."""
    for element in list(block.iter()):
        if not isinstance(element.tag, str) or element.getparent() is None:
            continue
        text = element.text_content()
        source_class = re.search(r"(?:^|[\s_-])source(?:$|[\s_-])", element.get("class") or "")
        attribution = element.tag == "cite" or (
            element.tag in BLOCK_TAGS
            and (ATTRIBUTION.match(text) or source_class)
            and _words(text) <= ATTRIBUTION_MAX_WORDS
        )
        if attribution:
            for anchor in list(element.iter("a")):
                if not xpath(anchor, SELECTORS["media_nodes"]):
                    anchor.drop_tag()


def _drop_date_lines(block: lxml_html.HtmlElement) -> list[str]:
    """Blank the theme's date lines ("Publié le 5 mars 2014 à 10:22 ·", "September 28, 2013 at 1:43pm"):
    a short run of text that is a date; the date itself is read from the block before."""
    removed = []
    for element in xpath(block, SELECTORS["date_blocks"]):  # "Feb<br>7th Thu": a date no parser reads
        text = element.text_content()
        if (parent := element.getparent()) is not None and len(text.split()) <= DATE_LINE_MAX_WORDS:
            removed.append(text)
            element.drop_tree()
            # Its label left alone ("Posted on <a class=date>…</a>"): the line goes.
            while parent is not None and parent is not block:
                label, up = parent.text_content(), parent.getparent()
                if len(label) > LABEL_MAX_CHARS or not is_leftover(label) or up is None:
                    break
                if xpath(parent, SELECTORS["media_nodes"]):
                    break
                removed.append(label)
                parent.drop_tree()
                parent = up
    for element in block.iter():
        if not isinstance(element.tag, str):
            continue
        for attr in ("text", "tail"):
            if (element is block and attr == "tail") or (attr == "text" and _is_tag_link(element)):
                continue  # a tag is no date line ("#specifically oct 31")
            value = getattr(element, attr)
            if not value or value.isspace():
                continue
            if (
                is_date_line(value)
                or (attr == "text" and is_labelled_yearless(element, value))
                or (_age_or_notes(value) and not _in_link(element, attr))
            ):
                removed.append(value)
                setattr(element, attr, None)
    return removed


def is_labelled_yearless(element: lxml_html.HtmlElement, value: str) -> bool:
    """A date without its year set in its own element after a posting label ("Posted on
    <font>Monday, 10 June</font>"): the theme's date line, dated by the post id."""
    words = value.split()
    return (
        0 < len(words) <= DATE_LINE_MAX_WORDS
        and POSTED_LABEL.search(_text_before(element)) is not None
        and is_yearless_date(" ".join(words))
    )


def _age_or_notes(text: str) -> bool:
    """A run that is only the post's age or note count ("2 days ago | 7:27pm", "107113 notes")."""
    return len(text) <= LABEL_MAX_CHARS and bool(NOTES_ONLY.match(text) or RELATIVE_DATE.match(text))


def _in_link(element: lxml_html.HtmlElement, attr: str) -> bool:
    """Whether ``element``'s text (or tail) run sits inside a link, whose role decides it (a permalink's
    "1 day ago" tells its icons from the post's images)."""
    holder = element if attr == "text" else element.getparent()
    return holder is not None and (holder.tag == "a" or next(holder.iterancestors("a"), None) is not None)


def _is_tag_link(element: lxml_html.HtmlElement) -> bool:
    return element.tag == "a" and "/tagged/" in (element.get("href") or "")


def is_date_line(text: str) -> bool:
    """A theme's date line: a short text that is a date, the note count after it or not ("September 28,
    2013 at 1:43pm"); without its year only as themes print one, with a time of day or the note count
    ("Posted on Friday, February 5th at 06:44PM with 95 notes", "Oct 03rd / 2,073 notes")."""
    if EPOCH_LINE.match(text):
        return True
    words = text.split()
    if not 0 < len(words) <= DATE_LINE_MAX_WORDS + 4:  # "with 29 714 notas": at most 4 words more
        return False
    text = " ".join(words)  # a theme's indentation runs, thousands of blanks, kept from the regex
    bare = NOTES_TAIL.sub("", text)
    words = bare.split()
    if not 0 < len(words) <= DATE_LINE_MAX_WORDS or SENTENCE_END.search(bare):
        return False
    if parse_when(bare) is not None:
        return True
    return (bare != text or CLOCK_TIME.search(bare) is not None) and is_yearless_date(bare)


def _texts_outside(node: lxml_html.HtmlElement, skip: set) -> list[str]:
    """The text of ``node`` without the text of the ``skip`` elements."""
    out = [node.text or ""]
    for child in node:
        if child not in skip and isinstance(child.tag, str):
            out.extend(_texts_outside(child, skip))
        out.append(child.tail or "")
    return out
