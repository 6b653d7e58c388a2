"""The API benchmark's pure parts: reading wrk's report, the Markdown table, the options.

The benchmark itself (benchmarks/api.py) is slow and is not run here.
"""

import pytest

from benchmarks import api, report, wrk

WRK_REPORT = """\
Running 10s test @ http://127.0.0.1:40111/api/v1/drills/?page_size=20
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   452.10ms  120.33ms   1.20s    70.00%
    Req/Sec    18.40      6.10    30.00     65.00%
  Latency Distribution
     50%  440.25ms
     75%  510.00ms
     90%  600.50ms
     99%    1.05s
  351 requests in 10.02s, 26.48MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:     35.03
Transfer/sec:      2.64MB
"""


def test_wrk_report_gives_rate_percentiles_in_ms_and_errors():
    found = wrk.parse(WRK_REPORT)

    assert found["rps"] == 35.03
    assert found["requests"] == 351
    assert found["seconds"] == pytest.approx(10.02)
    assert found["p50_ms"] == pytest.approx(440.25)
    assert found["p99_ms"] == pytest.approx(1050.0)
    assert found["errors"] == 5
    assert found["non_2xx_3xx"] == 4


def test_wrk_report_in_microseconds_without_errors():
    text = (
        "  Latency Distribution\n     50%  812.00us\n     75%    1.10ms\n     90%    1.50ms\n     99%    2.00ms\n"
        "  11000 requests in 5.00s, 1.20MB read\nRequests/sec:   2200.00\nTransfer/sec:    245.00KB\n"
    )
    found = wrk.parse(text)

    assert found["p50_ms"] == pytest.approx(0.812)
    assert found["p99_ms"] == pytest.approx(2.0)
    assert (found["errors"], found["non_2xx_3xx"]) == (0, 0)


def test_an_unreadable_wrk_report_says_so():
    with pytest.raises(wrk.WrkError, match="cannot read this wrk report"):
        wrk.parse("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_wrk_command_sends_headers_and_never_more_threads_than_connections():
    argv = wrk.command("http://127.0.0.1:1/x", duration=10, connections=1, headers=['If-None-Match: "abc"'])

    assert argv[1:4] == ["-t1", "-c1", "-d10s"]
    assert argv[-3:] == ["-H", 'If-None-Match: "abc"', "http://127.0.0.1:1/x"]


def test_markdown_table_shows_each_endpoint_beside_its_references():
    results = {
        "endpoints": {
            "drill_list": {
                "label": "drill list (20)", "status": 200, "bytes": 77412, "queries": 8,
                "load": {"rps": 35.0, "p50_ms": 440.25, "p99_ms": 1050.0},
                "floor": {"rps": 160.0}, "ceiling": {"rps": 875.0}, "worker_peak_mib": 205.1,
            },
            "drill_list_304": {
                "label": "drill list, 304", "status": 304, "bytes": 0, "queries": 1,
                "load": {"rps": 512.0, "p50_ms": 3.1, "p99_ms": 9.0}, "worker_peak_mib": 206.0,
            },
        }
    }
    lines = report.markdown_table(report.rows(results)).splitlines()

    assert lines[0].startswith("| endpoint | status | bytes | queries | req/s |")
    assert lines[1].startswith("| --- | ---: |")
    assert lines[2] == "| drill list (20) | 200 | 77,412 | 8 | 35.0 | 440 | 1,050 | 160 | 875 | 4.00 | 205 |"
    # No references measured: a dash, not a zero or a division error.
    assert lines[3] == "| drill list, 304 | 304 | 0 | 1 | 512 | 3.10 | 9.00 | — | — | — | 206 |"


def test_options_refuse_an_unknown_endpoint(capsys):
    with pytest.raises(SystemExit):
        api.parse_args(["--endpoints", "drill_list,nope"])
    assert "unknown endpoint nope" in capsys.readouterr().err


def test_the_304_brings_the_list_whose_etag_it_sends():
    assert api.parse_args(["--endpoints", "drill_list_304"]).endpoints == ["drill_list", "drill_list_304"]


def test_a_slow_endpoint_is_loaded_with_one_connection_per_worker_and_long_enough():
    args = api.parse_args([])

    assert api.load_plan(0.2, args) == (2, 16, 10)
    assert api.load_plan(16.2, args) == (0, 2, 49)


def test_the_table_names_a_load_other_than_the_runs():
    results = {
        "run": {"connections": 16},
        "endpoints": {"sync_full": {"label": "full sync", "load": {"rps": 0.1, "connections": 2, "duration": 49}}},
    }

    assert report.rows(results)[0]["endpoint"] == "full sync (2 connections, 49 s)"
