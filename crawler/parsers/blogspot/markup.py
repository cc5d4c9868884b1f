"""Blogger's markup as data: the selectors and patterns of its themes, feeds and UI strings.

A template change edits these tables, not the control flow.
"""

from __future__ import annotations

import re

from crawler.parsers.base import by_class, by_id, has_class


def _has(*classes: str) -> str:
    return "(" + " or ".join(has_class(c) for c in classes) + ")"


# Post bodies of Layouts (2006+), 2017+ themes, Dynamic Views snapshots and Google's blogs: an
# element of one of these classes or an articleBody itemprop (``base.with_classes`` finds them).
BODY_CLASSES = frozenset({"post-body", "entry-content", "article-content"})
BODY_ITEMPROP = "//@itemprop[contains(., 'articleBody')]/.."

# A post's block by its class or itemprop (a bare <article> is one only when nothing around it is).
_POST_BLOCK = (
    f"{_has('hentry', 'post', 'blog-post', 'article', 'post-outer', 'single')} or @itemprop='blogPost'"
)

# Selectors as data: a template change edits this table, not the control flow. Tuples are
# alternatives, best first; ".//" selectors are relative to one post.
SELECTORS = {
    # Third-party themes without those classes: the Blog widget's div.post-entry (Lifestyle Personal),
    # div.entry (cahayabiru) or, on magazine themes' homes, the span.post-snippet holding the post
    # (encorenorthernireland); read only when the page has no body of BODY_CLASSES.
    # A 2010-2014 magazine theme's div#summary<post id> (createSummary's teaser, carscoops) too.
    "theme_body": f"//*[@id='Blog1' or {_has('Blog')}]//*[{_has('post-entry', 'entry', 'post-snippet', 'post-content')}"
    " or starts-with(@id, 'summary')]"
    # WordPress themes ported to Blogger: iNove's div.post > div.content (journeyintoir), whose comments'
    # li.comment > div.content are no body. Twitter's blogs (2013): li.reg-post > div.post-content on
    # listings, div.the-post after the h1.post-title on a post page.
    f" | //*[@id='Blog1' or {_has('Blog')}]//*[{_has('post')}]/*[{_has('content')}]"
    f" | //*[@id='Blog1' or {_has('Blog')}]//*[{_has('the-post')}]",
    # A third-party theme with no body class at all (a WordPress theme ported to Blogger): the Blog
    # widget's post blocks; a permalink page's lone block linking this page from its heading is the post.
    "lone_post": f"//*[@id='Blog1' or {_has('Blog')}]//*[{_has('post-outer', 'post')}]"
    f"[not(ancestor::*[{_has('post-outer', 'post')}])]",
    "blog_widget": f"ancestor::*[@id='Blog1' or {_has('Blog')}][1]",
    "heading_links": "(.//h1 | .//h2 | .//h3)//a[@href]",
    "outer_body": f"ancestor::*[{_has('post-body', 'entry-content', 'article-content')}"
    " or contains(@itemprop, 'articleBody')]",
    # The post around a body: its nearest ancestor of these that holds more than the body
    # (a theme's bare <article> around the body only is a wrapper; see ``pages.post_container``).
    "container": f"ancestor::*[{_POST_BLOCK} or self::article]",
    "post_block": f"self::*[{_POST_BLOCK}]",
    "inner_bodies": f".//*[{_has('post-body', 'entry-content', 'article-content')} or contains(@itemprop, 'articleBody')]",
    # One header per day: inside the post's block (2015+ themes put it in the post header), else
    # on listings the nearest one before the post.
    # A theme drawing its header as a calendar by script (notentirelyperfect: <div id='Date'><script>
    # changeDate('26 September 2013');</script>) writes the header only as that script's argument.
    "date_header": (
        f".//*[{_has('date-header')}]",
        f"preceding::*[{_has('date-header')}][1]",
        'preceding::script[starts-with(normalize-space(), "changeDate(\'")][1]',
    ),
    # One day's posts (Blogger's loop opens a ``date-outer`` at each new day), and the post blocks in it.
    "day_group": f"ancestor::*[{_has('date-outer')}][1]",
    "group_posts": f".//*[{_has('post-outer')}]",
    "title": (
        f".//*[{_has('post-title', 'entry-title')}]",
        ".//*[self::h1 or self::h2 or self::h3][@itemprop='name' or @itemprop='headline']",
        # A post page's title heading just before the post's block, outside it (Twitter's blogs' h1).
        f"preceding-sibling::*[self::h1 or self::h2 or self::h3][{_has('post-title', 'entry-title')}][1]",
    ),
    # A theme without title classes: the nearest heading before the body (relative to the body).
    "heading_title": f"preceding::*[self::h1 or self::h2 or self::h3][not({_has('date-header')})]",
    "permalink": (
        f".//*[{_has('post-title', 'entry-title')}]//a/@href",
        f".//a[{_has('timestamp-link')}]/@href",
        ".//meta[@itemprop='url']/@content",
        ".//a[@rel='bookmark']/@href",
        ".//a[@itemprop='url']/@href",
        # Classic templates (2004-2010, <$BlogItemPermalinkUrl$>): the footer's "posted by X at <a
        # title='permanent link'>6:01 PM</a>", the title heading having no link.
        ".//a[@title='permanent link']/@href",
        # Themes without those: a heading's link outside the body (guitargarage's hidden <h3><a>), else
        # the footer's comment link to "<permalink>#comment-form" (an untitled post without a timestamp).
        f".//*[self::h1 or self::h2 or self::h3][not(ancestor::*[{_has('post-body', 'entry-content')}])]//a/@href",
        f".//a[{_has('comment-link')}]/@href",
        # Nor a comment link: the share buttons' Google +1 (<g:plusone href='data:post.url'>).
        f".//*[{_has('post-share-buttons')}]//*[name()='g:plusone']/@href",
    ),
    # Inside a title heading, the byline, timestamp, labels or share buttons some themes print there
    # (spoilertv: <h3 class='post-title'><a>Title</a><br/><span class='post-author'>Posted by…</span>…),
    # or a script writing them (``<a>Title</a><script>var ssyby=…</script><div>— by X on <script>…``).
    "title_chrome": ".//*["
    + _has(
        "post-author", "post-timestamp", "post-labels", "post-newlabels", "post-comment-link", "socialbuttons"
    )
    + "] | .//script",
    "published_iso": (
        f".//abbr[{_has('published')}]/@title",
        f".//time[{_has('published')}]/@datetime",
        ".//*[@itemprop='datePublished']/@content",
        ".//*[@itemprop='datePublished']/@datetime",
        ".//*[@itemprop='datePublished']/@title",
        f".//*[{_has('published')}]/@datetime",
        ".//time/@datetime",
    ),
    "date_script": ".//script[contains(., 'formatDate(')]",
    "updated_iso": (f".//abbr[{_has('updated')}]/@title", f".//time[{_has('updated')}]/@datetime"),
    # Date-only or time-only texts, joined with the day's header ("mercredi 5 mars 2014" + "10:22").
    "published_text": (
        f".//*[{_has('post-timestamp')}]",
        f".//*[{_has('publishdate')}]",
        ".//*[@itemprop='datePublished']",
        # Third-party themes: WordPress-style span.posted-on (a time: "2:32 ص"), ohhmygaga's p.fechaPost,
        # span.clock ("// On :Saturday, May 18, 2013", komickorra).
        f".//*[{_has('posted-on', 'fechaPost', 'clock')}]",
        # Classic templates: the footer's permalink shows the time (or the date and time).
        ".//a[@title='permanent link']",
        # "Postmeta" themes printing the time in the byline: "Posted By: Jason Huynh - 8:58 PM" (techjunkieblog).
        f".//*[{_has('meta_author')}][contains(., ':')]",
        # A classic footer's byline without a permanent link: "<em>Posted by @<script>…</script> at 2:09 PM</em>"
        # (Twitter's 2013 blogs).
        f".//p[{_has('post-footer')}]/em[contains(., ':')]",
    ),
    # Themes that know none of the above: a short element outside the body and the comments that
    # a theme names as a date or time ("meta_date", "post-date", <time>), or the post's bookmark link.
    "date_like": ".//*[self::time or @rel='bookmark' or contains(@class, 'date') or contains(@class, 'time')"
    " or contains(@class, 'publish')]"
    f"[not({_has('date-header')})][not(ancestor::*[{_has('post-body', 'entry-content', 'article-content')}"
    " or contains(@itemprop, 'articleBody')])]"
    "[not(ancestor-or-self::*[@id='comments' or contains(@class, 'comment')])]",
    "author": (
        # The name itself first: an hCard's span.fn also holds the profile's span.org and span.role
        # ("André Gonçalves AG AG", tuqueresveristo).
        f".//*[{_has('post-author')}]//*[@itemprop='name']",
        f".//*[{_has('post-author')}]//*[{_has('fn')}]",
        ".//*[@itemprop='author']//*[@itemprop='name']",
        ".//a[@rel='author']",
        f".//*[{_has('entry-author-link')}]",
        f".//*[{_has('post-author')}]//a",
        f".//*[{_has('post-author')}]",
        # "Postmeta" themes (2012-2016): <span class='meta_author'>Posted By: Name - 8:58 PM</span> beside
        # span.meta_date and span.meta_comments (anggapebrian, techjunkieblog); span.metaauthor "Posted by
        # kostas" beside span.clock (kostasedessa).
        f".//*[{_has('meta_author', 'metaauthor')}]",
        # SEO themes' hReview of the post: "Reviewed by <span class='reviewer'>Name</span> on <date>".
        f".//*[{_has('hreview')}]//*[{_has('reviewer')}]",
        # Themes naming the byline span.author ("Posted by <span class='fn'>Name</span>", cahayabiru).
        f".//*[{_has('author')}]//*[{_has('fn')}]",
    ),
    # Labels: the theme's label line, rel=tag, else the post block's links to a label's page
    # (a breadcrumb "Home | EKBIS"), never those of the body.
    # Classic templates' footer "<em>posted by MJ at <a title='permanent link'>6:01 PM</a></em>": the
    # em's own text before the link (``fields.classic_author``); not only inside p.post-footer, which a
    # <div> put in it (a share button) closes early.
    "classic_author": ".//em[a[@title='permanent link']]/text()[1]",
    "labels": (
        f".//*[{_has('post-labels', 'labels', 'label-footer', 'entry-tags')}]//a",
        ".//a[@rel='tag']",
        ".//a[contains(@href, '/search/label/')][not(ancestor::*["
        f"{_has('post-body', 'entry-content', 'article-content')} or contains(@itemprop, 'articleBody')])]",
    ),
    "post_id": (".//meta[@itemprop='postId']/@content", ".//a/@name"),
    # A classic template of the early 2000s without post classes (div.Post, div.posts): the day's
    # header before the post, by the names those templates gave it.
    "anchored_header": f"preceding::*[{_has('date-header', 'DateHeader', 'date')}][1]",
    # A classic blog without post pages: its posts' numeric anchors and the links to them.
    "anchor_names": ".//a[@name and string-length(@name) > 5 and translate(@name, '0123456789', '') = '']/@name",
    "anchor_permalink": ".//a[contains(@href, '#')]/@href",
    "anchor_links": ".//a[contains(@href, '#')]",
    "anchor_nodes": "//a[@name and string-length(@name) > 5 and translate(@name, '0123456789', '') = '']",
    "comment_link": f".//a[{_has('comment-link')}][not(contains(@id, 'backlinks'))]",
    # Inside a body: never text (share buttons, jump links, admin icons, scripts, ads).
    "body_scripts": ".//script",
    # Text links (no image) in a listed snippet: a short one to the post itself is the theme's jump link.
    "text_links": ".//a[@href][normalize-space()][not(.//img)]",
    "junk": ".//script | .//style | .//form | .//meta | .//ins"
    f" | .//*[{_has('post-share-buttons', 'share-button', 'reaction-buttons', 'jump-link', 'post-footer')}]"
    # A theme printing the title heading inside the body (ohhmygaga); pasted text keeping the class on a
    # <div> is text (eanmeyer).
    f" | .//*[self::h1 or self::h2 or self::h3][{_has('post-title', 'entry-title')}]"
    f" | .//*[{_has('item-control', 'blog-admin', 'adsbygoogle', 'inline-ad')}]"
    # The label line, when a stray </p> or </div> in the post puts the footer inside the body
    # (sammysgenericblog: "Labels: Airplane, Airport, …" closed the post's text); classic templates'
    # p.blogger-labels ("Libellés : …") is printed inside the body.
    f" | .//*[{_has('post-labels', 'blogger-labels')}]"
    # An empty <p>: classic templates open the body with "<p><div style='clear:both'></div>", the parser
    # closes that <p> empty, and trafilatura then drops the <div> paragraphs after it (marshwiggle lost 2).
    " | .//p[not(*)][not(normalize-space())]"
    # An embedded widget's credit line, its one link to the maker (a recipe card's "Powered by Recipage").
    " | .//*[self::div or self::p or self::span][starts-with(normalize-space(), 'Powered by ')]"
    "[count(.//a) = 1][string-length(normalize-space()) < 60]"
    # A summary theme's comment count over the teaser (``div.snips-header`` "0 comment" in the body).
    " | .//*[self::div or self::span or self::p][not(*)]"
    "[translate(normalize-space(), '0123456789', '') = ' comment'"
    " or translate(normalize-space(), '0123456789', '') = ' comments']",
    # A byline inside a body marked by its class (else: a short line opening or closing the body).
    "byline": f".//*[{_has('byline', 'byline-author', 'post-byline')}]",
    "media": ".//img/@src | .//iframe/@src | .//video/@src | .//source/@src | .//embed/@src | .//object/@data",
    # Comments, threaded (2012+): li.comment in a comment thread; replies nest in .comment-replies.
    "thread_comments": f"{by_class('comment', element='li')}[ancestor::*[{_has('comment-thread')}]]",
    "comment_block": f"./*[{_has('comment-block')}]",
    "comment_author": f".//cite[{_has('user')}]",
    "comment_time": f".//*[{_has('datetime')}]//a",
    "comment_text": f".//*[{_has('comment-content')}]",
    "comment_parent": f"ancestor::li[{_has('comment')}][1]",
    # Comments, classic: dl#comments-block with dt (author) / dd.comment-body / dd.comment-footer, or
    # the same as divs in div#comments-block.avatar-comment-indent (div.comment-author / .comment-body / .comment-footer).
    "classic_comments": f"//dl[@id='comments-block']/dt | //div[@id='comments-block']/div[{_has('comment-author')}]",
    "classic_body": f"following-sibling::*[self::dd or self::div][{_has('comment-body')}][1]",
    "classic_footer": f"following-sibling::*[self::dd or self::div][{_has('comment-footer')}][1]",
    "classic_time": f".//*[{_has('comment-timestamp')}]//a | .//a[@title='comment permalink']",
    # Comments, WordPress themes ported to Blogger (iNove: ol#thecomments): li.comment holding its
    # permalink (?showComment=), the author in div.name, the text in div.content.
    "ported_comments": f"//li[{_has('comment')}][.//a[contains(@href, 'showComment=')]]",
    "ported_author": f".//*[{_has('name')}]",
    "ported_time": ".//a[contains(@href, 'showComment=')]",
    "ported_text": f".//*[{_has('content')}]",
    # Declared counts: the comments section's attribute, then its heading ("3 commentaires :").
    "comment_count_attr": f"{by_id('comments')}/@data-num-comments",
    "comment_heading": f"{by_id('comments')}/descendant-or-self::h4[not(@id='comment-post-message')]"
    "[not(ancestor::*[contains(@id, 'backlinks')])]"
    # WordPress themes ported to Blogger: the heading is #comments ("0 comentarios para "Título"", haceinstantes).
    f" | {by_id('comments')}[self::h2 or self::h3]",
    "older_link": f"//a[{_has('blog-pager-older-link')}]/@href | //*[@id='blog-pager-older-link']/a/@href",
    "blog_title": (f"//*[{_has('Header')}]//h1", "//*[@id='blog-title']", f"//*[{_has('header-title')}]//h2"),
    "status": f"//title | //h1 | //*[{_has('status-msg-body', 'errorbox')}] | //*[@id='main']//p",
    "dynamic_views": "//script[contains(@src, 'blogblog.com/dynamicviews/')]",
}


BLOG_POST_ID = re.compile(r"blog-(\d+)\.post-(\d+)")
SHOW_COMMENT = re.compile(r"[?&]showComment=(\d{10,16})")
COMMENT_ANCHOR = re.compile(r"#c(\d+)$")
COMMENT_ID = re.compile(r"^c(\d+)$")
DATA_CONTEXT_TITLE = re.compile(
    r"_WidgetManager\._SetDataContext\(\[\{'name': 'blog', 'data': \{[^}]*?'title': '((?:[^'\\]|\\.)*)'"
)
ERROR_PAGE = re.compile(r"'pageType': 'error_page'")
# A <noscript> whose text is markup (FeedBurner BuzzBoost's double-escaped fallback
# "&amp;lt;p&amp;gt;Subscribe to RSS headline updates from: …") would show raw tags, not text.
ESCAPED_MARKUP = re.compile(r"\s*&lt;/?[a-zA-Z][^&]*&gt;")
JUMP_TEXT_MAX = 40  # "Read More »", "Continuar lendo →", "Baca selengkapnya..." are shorter
ITEM_POST_ID = re.compile(r"'pageType': 'item', 'postId': '(\d+)'")
# "Auto read more" themes (2010-2016 grid and magazine templates) truncate each listed post by script; the
# post's permalink, title and date are only that script's arguments, inside the body:
# ``var x="Title",y="http://…/2016/02/post.html",t="12:01 PM",u="0";rm("p4704…")`` (udemyfreecouponcodes) or
# ``rm("p2413…","http://…/2015/09/post.html","Title","Wednesday, September 30, 2015","0","<a …>Label</a>…",
# "<a …>Author</a>")`` (webmastersid).
READMORE_CALL = (
    re.compile(
        r'\bx\s*=\s*"(?P<title>(?:[^"\\]|\\.)*)"\s*,\s*y\s*=\s*"(?P<url>[^"]+)"[^;]*;\s*rm\(\s*"p\d+"\s*\)'
    ),
    re.compile(
        r'\brm\(\s*"p\d+"\s*,\s*"(?P<url>[^"]+)"\s*,\s*"(?P<title>(?:[^"\\]|\\.)*)"\s*,\s*"(?P<date>[^"]*)"'
        r'(?:\s*,\s*"[^"]*"\s*,\s*"(?P<labels>(?:[^"\\]|\\.)*)"\s*,\s*"(?P<author>(?:[^"\\]|\\.)*)")?'
    ),
)
JSONP = re.compile(r"^\s*(?://[^\n]*\n\s*)?[\w.$]+\((?P<json>.*)\)\s*;?\s*$", re.S)

# "Posted by X" in the languages of Blogger's UI and of bylines: the phrase is UI, not the name.
BYLINE_PHRASES = (
    "posted by", "written by", "guest post by", "post by",  # English
    "publié par", "posté par", "écrit par", "rédigé par",  # French
    "eingestellt von", "geschrieben von", "verfasst von", "gepostet von",  # German
    "publicado por", "publicada por", "postado por", "escrito por", "escrita por",  # Spanish, Portuguese
    "pubblicato da", "scritto da",  # Italian
    "geplaatst door", "gepost door", "geschreven door",  # Dutch
    "lagt inn av", "upplagd av", "indsendt af", "skrevet af", "skrevet av",  # Scandinavian
    "opublikowane przez", "napisane przez",  # Polish
    "publicat de", "postat de", "publicat per",  # Romanian, Catalan
    "diposting oleh", "dikirim oleh", "ditulis oleh",  # Indonesian, Malay
    "idineklara ng", "ipinost ni",  # Filipino (Blogger's Tagalog UI: "idineklara ng X noong <time>")
)  # fmt: skip
# A bare "By"/"Par"/"Von" also starts sentences ("By 2020, ..."): after one, the words must read as a name.
BYLINE_WORDS = ("by", "par", "von", "por", "door", "av", "af", "oleh")
_PHRASES = "|".join(re.escape(p) for p in BYLINE_PHRASES)
_WORDS = "|".join(BYLINE_WORDS)
# The word a classic footer puts between the author and the time, in Blogger's UI languages.
# The byline around an early classic template's permanent link: "posted by Richard @ 5:30 PM",
# "Posted 18:08 by William Luse - ".
BYLINE_MAX = 200  # characters: a longer element around the permanent link is the post itself
ANCHORED_BYLINE = re.compile(
    r"\bposted\s+(?:\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\s+)?by\s+(?P<name>.+?)\s*(?:[@|-]|\bat\b|$)", re.I
)
CLASSIC_AUTHOR_END = re.compile(r"\s+(?:at|@|à|um|a las|às|alle|om|kl\.?|klo|noong)\s*$", re.I)
# A time after the name in the same span ("Jason Huynh - 8:58 PM"): not part of the name.
AUTHOR_TIME_TAIL = re.compile(r"\s*[-–|,@]\s*\d{1,2}[:.]\d{2}\b.*$")
AUTHOR_PREFIX = re.compile(rf"^(?:{_PHRASES}|{_WORDS})\b\s*:?\s*", re.I)
# A byline at the top or bottom of a post's body (Google's blogs: "Posted by Jane Doe, Engineer"); see ``byline``.
BYLINE = re.compile(rf"^(?:(?P<explicit>{_PHRASES})|(?P<bare>{_WORDS}))\s*:?\s+(?P<name>\S.*)$", re.I)
# A byline names people, then maybe their job: "Jane Doe, Software Engineer on Google Play",
# "A, B and C - Chrome Safe Browsing team". The author is the names alone (``byline.person_names``).
# What follows is the team's name, or a copyright notice ("Written by: Name ©2016 by The Blog").
BYLINE_TEAM = re.compile(r"\s[-–—|]\s|\s*(?:©|\bcopyright\b)", re.I)
BYLINE_ASIDE = re.compile(r"\s*\([^)]*\)")  # "Wesley Chun (@wescpy)"
BYLINE_CONJUNCTIONS = ("and", "&", "und", "et", "y", "e", "en", "og", "i")
BYLINE_SEPARATOR = re.compile(rf"(,?\s+(?:{'|'.join(map(re.escape, BYLINE_CONJUNCTIONS))})\s+|,\s*)")
# Words of job titles: after "and" they start a title ("Research and Development"), not a person.
BYLINE_TITLE_WORDS = frozenset(
    {
        "engineer", "engineering", "manager", "director", "president", "vp", "advocate", "developer",
        "developers", "designer", "design", "lead", "head", "chief", "officer", "scientist", "researcher",
        "research", "development", "analyst", "architect", "consultant", "specialist", "strategist",
        "evangelist", "editor", "writer", "intern", "founder", "co-founder", "ceo", "cto", "cfo", "coo", "cmo",
        "product", "program", "programme", "project", "software", "hardware", "staff", "senior", "principal",
        "associate", "assistant", "team", "marketing", "communications", "partner", "member", "relations",
        "operations", "technical", "google",
    }
)  # fmt: skip
# "Bob a dit…", "Bob said...": classic comment headers.
COMMENT_SAID = re.compile(
    r"\s*(?:a dit|said|hat gesagt|sa|zei|ha detto|dijo|disse)\s*(?:…|\.\.\.)?\s*:?\s*$", re.I
)
# Headings that declare zero comments ("Aucun commentaire:", "No comments:", "Keine Kommentare:").
ZERO_COMMENTS = re.compile(
    r"\b(?:aucun commentaire|pas de commentaire|no comments|keine kommentare|ingen kommentarer|"
    r"geen reacties|geen opmerkingen|nessun commento|sin comentarios|sem comentários|brak komentarzy|"
    # Blogger's comment link in Spanish, Portuguese (Brazil), Arabic, Indonesian, Greek, Russian,
    # Turkish, Vietnamese, Swedish, Finnish, Czech, Romanian
    r"no hay comentarios|nenhum comentário|ليست هناك تعليقات|tidak ada komentar|δεν υπάρχουν σχόλια|"
    r"комментариев нет|yorum yok|không có nhận xét nào|inga kommentarer|ei kommentteja|žádné komentáře|"
    r"niciun comentariu)\b",
    re.I,
)
# Pages that are not content, by their title, headings or status message.
OUTCOMES = (
    ("blog_gone", re.compile(
        r"\bblog (?:not found|introuvable|has been removed|a été supprimé)|"
        r"\bsorry, the blog (?:at \S+ )?(?:has been removed|you were looking for does not exist)|"
        r"\bdésolé, le blog (?:à l'adresse \S+ a été supprimé|que vous recherchez n'existe pas)", re.I)),
    ("login_wall", re.compile(
        r"open to invited readers only|ouvert uniquement aux lecteurs invités|réservé aux lecteurs invités|"
        r"\bsign in\b.*\bgoogle account|connectez-vous.*compte google", re.I | re.S)),
    ("content_warning", re.compile(r"\bcontent warning\b|avertissement relatif au contenu", re.I)),
    ("not_found", re.compile(
        r"the page you were looking for in this blog does not exist|"
        r"la page que vous recherchez dans ce blog n'existe pas", re.I)),
)  # fmt: skip
ATOM_NS = {
    "a": "http://www.w3.org/2005/Atom",
    "thr": "http://purl.org/syndication/thread/1.0",
    "os": "http://a9.com/-/spec/opensearchrss/1.0/",
    "os11": "http://a9.com/-/spec/opensearch/1.1/",
}
