"""The parts of `make bench` and `make lighthouse` that need no browser: medians, the table's rows and the gzip server."""
import gzip
import http.client
import urllib.parse
import urllib.request

from factcheck import bench


def test_medians_are_taken_measure_by_measure():
    runs = [{"performance score": 72, "Total Blocking Time": 300},
            {"performance score": 91, "Total Blocking Time": 2400},
            {"performance score": 85, "Total Blocking Time": 350}]
    assert bench.medians(runs) == {"performance score": 85, "Total Blocking Time": 350}
    assert bench.medians(runs[:1]) == runs[0]


def test_lighthouse_measures_read_scores_out_of_100_and_timings_in_ms():
    audits = {"first-contentful-paint": 1920.5, "largest-contentful-paint": 1930.0, "total-blocking-time": 344.0,
              "dom-size": 10465}
    report = {"categories": {"performance": {"score": 0.9}, "accessibility": {"score": 1}},
              "audits": {name: {"numericValue": value} for name, value in audits.items()}}
    assert bench.lighthouse_measures(report) == {
        "performance score": 90, "accessibility score": 100, "First Contentful Paint": 1920.5,
        "Largest Contentful Paint": 1930.0, "Total Blocking Time": 344.0, "DOM elements": 10465}


def test_a_row_says_whether_it_meets_its_target():
    assert bench.format_row("score", 72, "/100", ("min", 90)).endswith(">= 90 /100: MISSED")
    assert bench.format_row("score", 90, "/100", ("min", 90)).endswith(">= 90 /100: ok")
    assert bench.format_row("TBT", 344, "ms", ("abs", 200)).endswith("<= 200 ms: MISSED")
    assert bench.format_row("TBT", 150, "ms", ("abs", 200)).endswith("<= 200 ms: ok")
    assert bench.format_row("TBT", 200, "ms", ("abs", 200)).endswith("<= 200 ms: ok")  # the target itself is met
    assert bench.format_row("cpu", 24.0, "s", ("cpu", 1.2), cpu_floor=20.0).endswith("CPU <= 1.2 x floors (24.0 s): ok")


def test_rows_without_a_target_end_at_their_value_and_verdicts_line_up_with_or_without_a_ratio():
    assert bench.format_row("build", 5.0, "s", None, floor_wall=2.0).endswith(" 5.00 s        2.50x")
    assert bench.format_row("TBT", 150, "ms", None).endswith(" 150.00 ms")
    timed = bench.format_row("build", 5.0, "s", ("abs", 10), floor_wall=2.0)
    assert timed.index("<= 10") == bench.format_row("TBT", 150, "ms", ("abs", 200)).index("<= 200")


def test_a_time_row_gives_its_ratio_to_the_floor_and_a_cpu_row_its_multiple_of_the_floors():
    assert " 2.50x" in bench.format_row("build", 5.0, "s", None, floor_wall=2.0)
    assert "x" not in bench.format_row("TBT", 5.0, "ms", None, floor_wall=2.0).split("ms")[1]
    assert bench.format_row("cpu", 30.0, "s", ("cpu", 1.2), floor_wall=2.0, cpu_floor=20.0).endswith(
        "CPU <= 1.2 x floors (24.0 s): MISSED (1.50x)")


def test_the_gzip_server_compresses_for_a_client_that_accepts_it_and_not_otherwise(tmp_path):
    page = "<!doctype html><p>" + "a report " * 2000
    (tmp_path / "report.html").write_text(page, encoding="utf-8")
    with bench.served(tmp_path, compress=True) as base:
        request = urllib.request.Request(base + "report.html", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            body = response.read()
            assert response.status == 200
            assert response.headers["Content-Encoding"] == "gzip"
            assert response.headers["Content-Type"] == "text/html"
            assert int(response.headers["Content-Length"]) == len(body) < len(page) / 10
        assert gzip.decompress(body).decode("utf-8") == page
        with urllib.request.urlopen(base + "report.html") as response:
            assert response.headers["Content-Encoding"] is None and response.read().decode("utf-8") == page
        plain = http.client.HTTPConnection(*urllib.parse.urlsplit(base).netloc.split(":"))
        plain.putrequest("GET", "/report.html", skip_accept_encoding=True)  # no Accept-Encoding header at all
        plain.endheaders()
        response = plain.getresponse()
        assert response.status == 200 and response.getheader("Content-Encoding") is None
        assert response.read().decode("utf-8") == page
        plain.close()


def test_the_plain_server_never_compresses(tmp_path):
    (tmp_path / "report.html").write_text("<p>plain", encoding="utf-8")
    with bench.served(tmp_path) as base:
        request = urllib.request.Request(base + "report.html", headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(request) as response:
            assert response.headers["Content-Encoding"] is None and response.read() == b"<p>plain"
