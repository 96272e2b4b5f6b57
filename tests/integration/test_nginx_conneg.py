"""deploy/nginx.conf, as documented, in Debian's nginx on 127.0.0.1: one IRI path answers
Turtle to `Accept: text/turtle`, HTML to `Accept: text/html` (and to browsers), JSON-LD to
`Accept: application/ld+json`."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from gongkai.publish.html import content_security_policy
from gongkai.publish.site import publish_site
from gongkai.publish.source import from_folder
from gongkai.settings import Settings
from servers import free_port, wait_for_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SNIPPET = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ITEM = "/list/zhongweishiyunjisuanhedashujufazhanju/2021-06-16/item/13"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def configure(snippet: str, site: Path, port: int) -> str:
    """The documented edits: `root` to the site, `listen` to our address."""
    text, n_root = re.subn(r"^(\s*)root\s+\S+;", rf"\g<1>root {site};", snippet, flags=re.MULTILINE)
    text, n_listen = re.subn(r"^(\s*)listen\s+\S+;", rf"\g<1>listen 127.0.0.1:{port};", text, flags=re.MULTILINE)
    assert n_root == 1 and n_listen == 1, "the snippet must have one root and one listen line to edit"
    return text


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    work = tmp_path_factory.mktemp("nginx")
    lists = work / "lists"
    lists.mkdir()
    shutil.copy(ROOT / "data" / "raw" / "zhongwei-yunjisuan-2021.txt", lists)
    settings = Settings(root=ROOT, fixed_time=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    site = work / "site"
    publish_site(from_folder(settings, lists), site, settings)

    port = free_port()
    (work / "gongkai.conf").write_text(configure(SNIPPET.read_text(encoding="utf-8"), site, port), encoding="utf-8")
    temp = {k: work / k for k in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    conf = work / "nginx.conf"
    conf.write_text(f"""
daemon off;
master_process off;
pid {work / 'nginx.pid'};
error_log {work / 'error.log'} warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    include {work / 'gongkai.conf'};
}}
""", encoding="utf-8")
    test = subprocess.run([NGINX, "-t", "-p", str(work), "-e", str(work / "error.log"), "-c", str(conf)],
                          capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    proc = subprocess.Popen([NGINX, "-p", str(work), "-e", str(work / "error.log"), "-c", str(conf)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait_for_port(proc, port, "nginx", detail=lambda: (work / "error.log").read_text(errors="replace"))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None


def get(url: str, accept: str | None = None):
    req = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(req, timeout=10) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def test_turtle_for_text_turtle(server) -> None:
    status, headers, body = get(server + ITEM, "text/turtle")
    assert status == 200
    assert headers["Content-Type"].startswith("text/turtle")
    assert "Accept" in headers.get("Vary", "")
    g = Graph().parse(data=body.decode("utf-8"), format="turtle")
    item = URIRef("https://w3id.org/gongkai" + ITEM)
    assert (item, URIRef("https://w3id.org/gongkai/ontology#itemNumber"), None) in g


def test_html_for_text_html_on_the_same_path(server) -> None:
    status, headers, body = get(server + ITEM, "text/html")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert b"<!DOCTYPE html>" in body and "财务管理".encode() in body


def test_a_browser_gets_html(server) -> None:
    status, headers, _ = get(server + ITEM, BROWSER)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert headers["Content-Security-Policy"] == content_security_policy()


def test_json_ld_for_application_ld_json(server) -> None:
    status, headers, body = get(server + ITEM, "application/ld+json")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    assert json.loads(body)["@context"] == "../../../../context.jsonld"   # the site's own, from the IRI path too


def test_the_first_listed_type_wins(server) -> None:
    _, headers, _ = get(server + ITEM, "application/ld+json, text/turtle;q=0.9")
    assert headers["Content-Type"].startswith("application/ld+json")
    _, headers, _ = get(server + ITEM, "text/html, text/turtle;q=0.5")
    assert headers["Content-Type"].startswith("text/html")


def test_a_list_path_that_is_also_a_folder_negotiates(server) -> None:
    path = "/list/zhongweishiyunjisuanhedashujufazhanju/2021-06-16"
    status, headers, _ = get(server + path, "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    status, headers, _ = get(server + path, "text/html")
    assert status == 200 and headers["Content-Type"].startswith("text/html")


def test_files_with_extensions_and_the_index(server) -> None:
    status, headers, _ = get(server + ITEM + ".jsonld")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    status, headers, _ = get(server + "/download/kg.trig")
    assert status == 200 and headers["Content-Type"].startswith("application/trig")
    status, headers, body = get(server + "/", BROWSER)
    assert status == 200 and "政务公开清单知识图谱".encode() in body
    assert get(server + "/list/nowhere", "text/turtle")[0] == 404


def test_the_context_is_open_to_other_origins_and_void_is_well_known(server) -> None:
    status, headers, _ = get(server + "/context.jsonld")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Content-Type"].startswith("application/ld+json")
    status, headers, _ = get(server + "/.well-known/void")
    assert status == 303 and headers["Location"].endswith("/dataset")
    status, headers, _ = get(server + "/dataset", "text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
