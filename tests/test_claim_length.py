"""Claim cards an editor would accept: an explanation a reader finishes (at most 200 words) and a conclusion whose every
sentence carries at most two distinct figures, so no sentence asks the reader to hold four numbers at once (a figure
said twice, as in "over 100 ... the count of over 100", is one to hold)."""
import re

from factcheck import data

MOST_WORDS = 200
MOST_FIGURES_PER_SENTENCE = 2
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Dates are not figures to weigh: a year, or a day before its month ("9 December").
DATE = re.compile(rf"\b(?:1[89]|20)\d\d\b|\b\d{{1,2}} (?:{MONTHS})\b")
FIGURE = re.compile(r"\d[\d,.]*\d|\d")


def figures(sentence):
    return FIGURE.findall(DATE.sub("", sentence))


def sentences(text):
    """Split where a sentence ends and the next begins with a capital (not inside "U.S. troops")."""
    return re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", text)


def test_sentences_end_at_a_full_stop_before_a_capital():
    assert sentences("U.S. troops left. Then 2 came back; 3 stayed.") == ["U.S. troops left.", "Then 2 came back; 3 stayed."]


def test_figures_leave_out_dates_and_years():
    assert figures("On 1 May 2003 the count was about 148,000, 2.5 times 60,000.") == ["148,000", "2.5", "60,000"]


def test_every_explanation_is_at_most_200_words():
    claims = data.load_table("claims")
    long = {c.claim_id: len(c.explanation.split()) for c in claims.itertuples() if len(c.explanation.split()) > MOST_WORDS}
    assert long == {}


def test_no_conclusion_sentence_has_more_than_two_figures():
    claims = data.load_table("claims")
    crowded = [(c.claim_id, s) for c in claims.itertuples() for s in sentences(c.conclusion)
               if len(set(figures(s))) > MOST_FIGURES_PER_SENTENCE]
    assert crowded == []
