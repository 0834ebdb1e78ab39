"""Headless Chromium: found once, opened with the network refused, and used to print a tagged PDF with bookmarks
whose bytes depend only on the page (its dates and document id are fixed from the inputs)."""
import os
import re
import shutil
from pathlib import Path

from . import BuildError

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]


def chromium_executable():
    for candidate in (os.environ.get("CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser"),
                      shutil.which("google-chrome")):
        if candidate:
            return candidate
    raise BuildError("no Chromium found to print the PDF: install Debian's chromium (apt-get install chromium) "
                     "or set CHROMIUM to a Chrome/Chromium executable")


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)


def open_report(browser, html_path, media=None, **context_options):
    """The report in a new page with every request beyond the file itself refused, once it has loaded.

    Returns the page and what it did: refused requests, console errors and dialogs (dismissed).
    """
    page = browser.new_page(**context_options)
    seen = {"requests": [], "console_errors": [], "dialogs": []}
    own_url = Path(html_path).resolve().as_uri()
    page.on("console", lambda message: seen["console_errors"].append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: seen["console_errors"].append(str(error)))
    page.on("dialog", lambda dialog: (seen["dialogs"].append(dialog.message), dialog.dismiss()))

    def guard(route):
        if route.request.url.split("#")[0] == own_url:
            route.continue_()
        else:
            seen["requests"].append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    if media:
        page.emulate_media(media=media)
    page.goto(own_url)
    return page, seen


def unshown_charts(page):
    """The names of the charts whose picture is not drawn (every chart's picture is in the page: none should be)."""
    return page.evaluate("""[...document.querySelectorAll('figure.chart')].filter(f => {
        const img = f.querySelector('img'); return !img || !img.complete || !img.naturalWidth; })
        .map(f => f.getAttribute('aria-label'))""")


PRINT_VIEWPORT = {"width": 680, "height": 960}  # A4 less the 15 mm side margins, at 96 px per inch
FOOTER = ('<div style="font-size:8pt;width:100%;text-align:center;color:#555;">'
          'Page <span class="pageNumber"></span> of <span class="totalPages"></span></div>')


# Chromium now and then prints one line of a page a third of a pixel off (2 of 25 prints under load, and 1 of 4
# builds): the page is printed until two prints in a row agree, byte for byte, with this many tries at most.
PRINT_TRIES = 4


def until_two_agree(print_once, tries=PRINT_TRIES):
    """Call `print_once` (which returns the printed bytes) until two calls in a row return the same bytes."""
    previous = None
    for _ in range(tries):
        printed = print_once()
        if printed == previous:
            return printed
        previous = printed
    raise BuildError(f"Chromium printed the report {tries} times and no two prints in a row agreed: "
                     "the PDF would not be reproducible. Run the build again; if it persists, report it.")


def print_pdf(html_path, pdf_path, title, document_date):
    """Print the page to A4, fix the PDF's dates to `document_date` and derive its id from its content, until two
    prints agree."""
    from playwright.sync_api import sync_playwright

    pdf_path = Path(pdf_path)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)

        def print_once():
            page, seen = open_report(browser, html_path, viewport=PRINT_VIEWPORT, media="print")
            if unshown_charts(page):
                raise BuildError(f"charts not shown while printing the PDF: {unshown_charts(page)}")
            if seen["requests"]:
                raise BuildError(f"the report tried to load from the network: {seen['requests'][:3]}")
            headings, figures = page.evaluate(HEADINGS), page.evaluate(FIGURES)
            page.pdf(path=str(pdf_path), format="A4", print_background=True, display_header_footer=True,
                     header_template="<span></span>", footer_template=FOOTER, tagged=True, outline=True,
                     margin={"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"})
            page.close()
            fix_pdf_metadata(pdf_path, title, document_date, headings, figures)
            return pdf_path.read_bytes()

        try:
            until_two_agree(print_once)  # the file holds the last print, which the one before agrees with
        finally:
            browser.close()


# Each printed heading as [its whole text, as a screen reader has it; the text printed, every space removed].
HEADINGS = r"""[...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter(h => h.checkVisibility()).map(h => {
  const printed = h.cloneNode(true);
  printed.querySelectorAll('.visually-hidden, .anchor-link').forEach(e => e.remove());
  return [h.textContent.replace(/¶/g, '').replace(/\s+/g, ' ').trim(), printed.textContent.replace(/\s+/g, '')];
})"""


def restore_bookmark_titles(pdf, headings):
    """Chromium titles each bookmark with its heading's printed text, losing the space at every line break and
    between inline elements ("7of its 43", "Claim 17:Over 100 attacksInaccurate"). Each bookmark gets back the
    text of the heading it was made from, found by its printed text with the spaces removed."""
    from collections import defaultdict, deque

    whole_text = defaultdict(deque)
    for text, printed in headings:
        whole_text[printed].append(text)
    with pdf.open_outline() as outline:
        def walk(items):
            for item in items:
                found = whole_text.get(re.sub(r"\s+", "", item.title))
                if found:
                    item.title = found.popleft()
                walk(item.children)
        walk(outline.root)


# The accessible name of each printed image (a chart's one-sentence description), in the order of the page.
FIGURES = "[...document.querySelectorAll('[role=img][aria-label]')].filter(e => e.checkVisibility()).map(e => e.ariaLabel)"


def structure_figures(pdf):
    """The /Figure elements of a tagged PDF's structure tree, in reading order."""
    import pikepdf

    figures = []

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid)
        elif isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure":
                figures.append(node)
            if "/K" in node:
                walk(node.K)

    if "/StructTreeRoot" in pdf.Root:
        walk(pdf.Root.StructTreeRoot)
    return figures


def describe_figures(pdf, descriptions):
    """Chromium tags each chart as a Figure but leaves out its description: give each Figure, in reading order, the
    accessible name of the image it was made from, when the two counts agree (otherwise a test names the gap)."""
    import pikepdf

    figures = structure_figures(pdf)
    if len(figures) == len(descriptions):
        for figure, description in zip(figures, descriptions):
            figure.Alt = pikepdf.String(description)


def renumber_structure_ids(pdf):
    """Chromium names each tagged element after its DOM node ("node00000201"), from a counter that any node made
    earlier in the page's life moves on, so two prints of one page can differ by an offset. Number them afresh, in
    their order, wherever they appear: element /ID, table-cell /Headers and the IDTree's /Names and /Limits."""
    import pikepdf

    if "/StructTreeRoot" not in pdf.Root or "/IDTree" not in pdf.Root.StructTreeRoot:
        return
    names, seen = set(), set()

    def strings(node, visit):
        """Call `visit(container, key)` for every string inside `node`, each object once."""
        if isinstance(node, (pikepdf.Dictionary, pikepdf.Stream)):
            if node.is_indirect:
                if node.objgen in seen:
                    return
                seen.add(node.objgen)
            keys = node.keys()
        elif isinstance(node, pikepdf.Array):
            keys = range(len(node))
        else:
            return
        for key in keys:
            if key != "/P" and isinstance(node[key], pikepdf.String):
                visit(node, key)
            elif key not in ("/P", "/Pg"):
                strings(node[key], visit)

    root = pdf.Root.StructTreeRoot
    strings(root, lambda node, key: names.add(str(node[key])) if STRUCTURE_ID.fullmatch(str(node[key])) else None)
    renamed = {old: f"node{number:08d}" for number, old in enumerate(sorted(names), start=1)}
    seen.clear()

    def rename(node, key):
        if str(node[key]) in renamed:
            node[key] = pikepdf.String(renamed[str(node[key])])

    strings(root, rename)


STRUCTURE_ID = re.compile(r"node\d{8}")


def fix_pdf_metadata(pdf_path, title, document_date, headings=(), figures=()):
    """Chromium stamps the clock into CreationDate, ModDate and the XMP packet; replace them with `document_date`,
    number the tagged elements from their order alone, give the bookmarks back the spaces Chromium dropped
    (`headings`) and each chart its description (`figures`)."""
    import pikepdf

    pdf_path = Path(pdf_path)
    stamp = f"D:{document_date.replace('-', '')}000000Z"
    fixed = pdf_path.with_suffix(".fixed.pdf")
    with pikepdf.open(pdf_path) as pdf:
        if "/Metadata" in pdf.Root:
            del pdf.Root.Metadata
        pdf.docinfo["/CreationDate"] = stamp
        pdf.docinfo["/ModDate"] = stamp
        pdf.docinfo["/Title"] = title
        restore_bookmark_titles(pdf, headings)
        describe_figures(pdf, figures)
        renumber_structure_ids(pdf)
        if "/ID" in pdf.trailer:  # qpdf keeps the old id's first half: drop it so the whole id comes from the content
            del pdf.trailer["/ID"]
        pdf.save(fixed, deterministic_id=True, compress_streams=True,
                 object_stream_mode=pikepdf.ObjectStreamMode.generate)
    fixed.replace(pdf_path)
