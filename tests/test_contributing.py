"""A new contributor's path, taken verbatim from CONTRIBUTING.md in a copy of the project: add a claim with one
source, validate, build, and find the claim in the counts and in the ClaimReview."""
import json
import re
import subprocess

import pandas as pd
import pytest

from factcheck import config, vocab
from tests.helpers import copy_project

GUIDE = (config.ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
ADD_A_CLAIM = GUIDE.split("## Add a claim", 1)[1].split("\n## ", 1)[0]
# Each step is either "Append to `data/<file>`:" with a csv block, or a sh block: in the guide's order.
STEP = re.compile(r"Append\s+to `(data/[^`]+)`:\s*```csv\n(.*?)```|```sh\n(.*?)```", re.S)


def steps():
    return [(m.group(1), m.group(2).strip()) if m.group(1) else ("sh", m.group(3).strip())
            for m in STEP.finditer(ADD_A_CLAIM)]


def test_the_guide_adds_a_claim_with_a_source_a_summary_and_evidence():
    files = [target for target, _ in steps() if target != "sh"]
    assert files == ["data/sources.csv", "data/claims.csv", "data/claim_summaries.csv", "data/claim_sources.csv"]


@pytest.mark.build
def test_a_claim_added_as_the_guide_says_reaches_the_counts_and_the_claim_review(tmp_path):
    project = copy_project(tmp_path / "project")
    outputs = []
    for target, text in steps():
        if target == "sh":
            # the copy shares this checkout's .venv: make must never reinstall it (as in tests.helpers.run_make)
            command = text.replace("make ", "make -o .venv/.installed ")
            result = subprocess.run(["bash", "-c", command], cwd=project, capture_output=True, text=True, timeout=1800,
                                    env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
            assert result.returncode == 0, command + "\n" + result.stdout + result.stderr
            outputs.append(result.stdout)
        else:
            with open(project / target, "a", encoding="utf-8") as handle:
                handle.write(text + "\n")
    start, end = outputs[0].split()  # the offsets the guide's command finds are those its claim row gives
    assert f",{start},{end}," in dict(steps())["data/claims.csv"] and "data/ is valid" in outputs[1]

    added = pd.read_csv(project / "data" / "claims.csv").iloc[-1]
    verdicts = pd.read_csv(project / "data" / "claims.csv")["verdict"]
    checkable = int(verdicts.isin(["supported", "partly_supported", "inaccurate"]).sum())
    view = project / "views" / "formats=html"
    page = (view / "report.html").read_text(encoding="utf-8")
    assert f'id="card-{added["claim_id"]}"' in page
    assert f"We checked all {len(verdicts)} claims" in page and f" of its {checkable} checkable statements " in page
    reviews = json.loads((view / "claimreview.jsonld").read_text(encoding="utf-8"))
    reviews = reviews if isinstance(reviews, list) else reviews.get("@graph", [reviews])
    assert len(reviews) == len(verdicts)
    (review,) = [r for r in reviews if r["claimReviewed"] == added["quote"]]
    assert review["reviewRating"]["alternateName"] == vocab.VERDICT_LABELS[added["verdict"]]
    # a view is not the published report: it claims none of the standard report's addresses, and invents none
    assert "url" not in review and 'rel="canonical"' not in page
