"""`clippings extract` and `clippings serve-sample`, run as a user would."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys
import urllib.request
import zlib
from pathlib import Path

from tests.parsers.golden import GOLDEN


def clippings(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], input=stdin,
                          capture_output=True, timeout=60)


def test_extract_prints_the_article_json(tmp_path: Path) -> None:
    page = (GOLDEN / "seed" / "input.html").read_bytes()
    meta = json.loads((GOLDEN / "seed" / "meta.json").read_text())
    gz = tmp_path / "seed.html.gz"
    gz.write_bytes(gzip.compress(page))
    result = clippings("extract", str(gz), "--url", meta["url"])
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data == json.loads((GOLDEN / "seed" / "expected.json").read_text("utf-8"))


def test_extract_reads_standard_input() -> None:
    result = clippings("extract", "-", "--url", "http://example.org/a",
                       stdin=b"<html><head><title>Hi | Ex</title></head><body><h1>Hi</h1>"
                             b"<p>Published 3 May 2024</p></body></html>")
    data = json.loads(result.stdout)
    assert (data["title"], data["published"], data["url"]) == ("Hi", "2024-05-03", "http://example.org/a")


def test_extract_errors_say_what_went_wrong(tmp_path: Path) -> None:
    missing = clippings("extract", str(tmp_path / "nope.html"))
    assert missing.returncode == 2
    assert b"cannot read" in missing.stderr and b"No such file" in missing.stderr
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"   ")
    result = clippings("extract", str(empty))
    assert result.returncode == 1
    assert result.stderr.decode().strip() == f"clippings extract: {empty} is not a page: empty body"


def test_extract_refuses_bytes_that_are_not_a_page(tmp_path: Path) -> None:
    elf = clippings("extract", "/bin/ls")
    assert (elf.returncode, elf.stderr.decode().strip(), elf.stdout) == (
        1, "clippings extract: /bin/ls is not a page: an ELF executable", b"")
    pdf = tmp_path / "report.html"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    assert clippings("extract", str(pdf)).stderr.decode().strip().endswith("is not a page: a PDF document")


def test_extract_refuses_a_gzip_bomb_in_bounded_memory(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.html.gz"
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(bomb, "wb") as out:
        out.write(packer.compress(b"<html><body>"))
        for _ in range(512):  # 512 MiB when inflated, 0.5 MiB on disk
            out.write(packer.compress(b" " * (1 << 20)))
        out.write(packer.flush())
    measure = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); "
               "sys.stderr.buffer.write(r.stderr); print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    result = subprocess.run([sys.executable, "-c", measure, sys.executable, "-m", "flows.cli", "extract", str(bomb)],
                            capture_output=True, timeout=120)
    returncode, peak_kib = (int(v) for v in result.stdout.split())
    assert returncode == 1
    assert result.stderr.decode().strip() == (
        f"clippings extract: {bomb} inflates to more than 20971520 bytes (gzip bomb?); "
        "refused (raise the limit with --max-bytes)")
    assert peak_kib < 200 * 1024  # the 512 MiB were never held in memory


def test_serve_sample_serves_over_http(sample_site_url: str) -> None:
    with urllib.request.urlopen(sample_site_url + "/robots.txt", timeout=10) as response:
        assert f"Sitemap: {sample_site_url}/sitemap_index.xml" in response.read().decode()
    try:
        urllib.request.urlopen(sample_site_url + "/tv-series-reviews/a-review-that-was-retired/", timeout=10)
    except urllib.error.HTTPError as error:
        assert error.code == 404
    else:
        raise AssertionError("the retired review must 404")
