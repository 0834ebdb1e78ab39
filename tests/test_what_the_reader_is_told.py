"""Every number and label on the front page, in the trust box, in the glance table, on each card and in the "what
changed" list, read from the built page and the printed edition as a reader reads them, and checked against the
tests' own recomputation from the raw CSV files (tests/independent.py, which never calls the package).

Both editions are checked: the standard (hindsight) report and the view at publication. They are the session's
shared builds, so these tests cost no build of their own."""
import re

from bs4 import BeautifulSoup
import pytest

from tests import independent
from tests.helpers import pdf_text

LABEL_NAMES = "|".join(map(re.escape, independent.LABELS.values()))


def words(element_or_text):
    text = element_or_text if isinstance(element_or_text, str) else element_or_text.get_text()
    return re.sub(r"\s+", " ", text).strip()


def verdict_of(element):
    """The verdict an element is marked with (its `v-<verdict>` class)."""
    return next(name[2:] for name in element.get("class") if name.startswith("v-"))


class Edition:
    """A built report as a reader meets it: the page's elements, the printed text, and what the data says it should show."""

    def __init__(self, project, folder, as_of):
        self.as_of = as_of
        self.page = BeautifulSoup((folder / "report.html").read_text(encoding="utf-8"), "lxml")
        self.pdf = words(pdf_text(folder / "report.pdf").replace("\f", " "))
        self.pdf_rows = pdf_text(folder / "report.pdf")
        self.expected = independent.front_page(as_of, project)
        self.register = independent.register(as_of, project)
        self.changed = independent.changed_verdicts(as_of, project)

    def one(self, selector):
        found = self.page.select(selector)
        assert len(found) == 1, f"{selector}: {len(found)} elements"
        return found[0]


@pytest.fixture(scope="module", params=["hindsight", "at publication"])
def edition(request, standard_report, early_report):
    if request.param == "hindsight":
        return Edition(standard_report, standard_report / "report", independent.default_as_of(standard_report))
    folder, published, _ = early_report
    return Edition(folder.parent.parent, folder, published)


def test_the_masthead_states_the_counts_the_data_gives(edition):
    expected = edition.expected
    assert words(edition.one("header.masthead .kicker")) == expected["kicker"]
    assert words(edition.one("h1.headline")) == expected["headline"]
    assert words(edition.one("header.masthead .dek")) == expected["dek"]
    for key in ("headline", "dek"):
        assert expected[key].lower() in edition.pdf.lower(), key


def test_each_key_finding_is_the_sentence_and_verdict_the_data_gives(edition):
    shown = []
    for item in edition.one("ul.findings").select("li"):
        more = item.select("a.more-link")[0]
        anchor = more.get("href").lstrip("#")
        more.decompose()
        badge = item.select(".badge")
        verdict = verdict_of(badge[0]) if badge else None
        label = words(badge[0]) + " " if badge else ""
        text = words(item)
        assert text.startswith(label)
        shown.append((anchor, verdict, text[len(label):]))
    assert shown == edition.expected["findings"]
    for _, _, sentence in edition.expected["findings"]:
        assert sentence in edition.pdf, sentence


def test_the_answer_and_the_steps_that_led_there(edition):
    said = []
    for element in edition.one("h2#the-answer").find_all_next(["p", "li", "h2"]):
        if element.name == "h2":
            break
        said.append(words(element))
    said = [line for line in said if line]
    assert said[0] == edition.expected["answer"]
    assert said[1:-1] == edition.expected["steps"]
    assert edition.expected["answer"] in edition.pdf


def test_the_trust_box_gives_the_dates_the_correction_count_and_the_view(edition):
    box = edition.one("aside.trust")
    terms = {words(dt): words(dd) for dt, dd in zip(box.select("dt"), box.select("dd"))}
    expected = edition.expected
    assert terms["Published"] == expected["reviewed"]
    assert terms["Last updated"] == f"{expected['updated']} ({expected['changes']}; corrections log)"
    assert terms["Covers"] == expected["view"]
    for text in (expected["view"], f"({expected['changes']};"):
        assert text in edition.pdf, text


def test_the_glance_table_gives_every_claim_its_number_summary_and_verdict(edition):
    rows = edition.one("table.glance-table").select("tbody tr")
    shown = [(int(words(row.select("td.num")[0])), words(row.select("th")[0]), row.get("data-verdict"),
              words(row.select(".badge-label")[0])) for row in rows]
    register = edition.register
    assert shown == [(r["number"], r["summary"], r["verdict"], independent.LABELS[r["verdict"]]) for _, r in register.iterrows()]
    filters = [words(label) for label in edition.one(".glance .filter").select("label")][1:]
    counts = independent.counts(register)
    assert filters == [f"{label} ({counts[v]})" for v, label in independent.LABELS.items() if counts[v]]

    glance = edition.pdf_rows.split("Every claim at a glance, in the order the article makes them", 1)[1]
    printed = {}
    for number, label in re.findall(rf"^ *(\d+) +\S.*? {{2,}}({LABEL_NAMES})(?: {{2,}}|$)", glance, flags=re.M):
        if len(printed) < len(register):
            printed.setdefault(int(number), label)
    assert printed == {r["number"]: independent.LABELS[r["verdict"]] for _, r in register.iterrows()}


def test_every_card_carries_its_claims_number_verdict_and_conclusion(edition):
    shown = {}
    for card in edition.page.select("article.card"):
        number = re.fullmatch(r"Claim (\d+):?", words(card.select(".card-head .num")[0]))
        conclusion = words(card.select(".conclusion")[0])
        shown[card.get("id")] = (verdict_of(card), int(number.group(1)), words(card.select(".card-head .badge-label")[0]),
                                 conclusion.removeprefix("Our conclusion: "))
    assert shown == {f"card-{r['claim_id']}": (r["verdict"], r["number"], independent.LABELS[r["verdict"]], r["conclusion"])
                     for _, r in edition.register.iterrows()}


def test_what_changed_lists_exactly_the_verdicts_that_moved(edition):
    published = independent.csv("article").iloc[0]["date_published"]
    sentence = (f"Between the article's publication on {independent.long_date(published)} and "
                f"{independent.long_date(edition.as_of)}, {len(edition.changed)} of {len(edition.register)} verdicts changed.")
    assert sentence in words(edition.page), sentence
    assert sentence in edition.pdf
    tables = [t for t in edition.page.select("table") if t.select("caption")
              and words(t.select("caption")[0]).startswith("Claims whose verdict changed")]
    rows = [[words(cell) for cell in row.select("td, th")] for table in tables for row in table.select("tbody tr")]
    assert [(int(row[0]), row[2], row[3]) for row in rows] == edition.changed
