"""How fast the Streamlit app draws its screens over a large graph.

Builds a folder the way `gongkai build` leaves it — kg.trig, the embedded store, the
validation reports and stats.json — from synthetic lists (``synth.py``: 10,000 bureaus by
default), starts `streamlit run` on it, and drives Debian's chromium with Playwright: each
screen reached from the navigation, five rounds, the median time from the click to the end
of the script run with the screen's title shown (as in tests/e2e/test_app_browser.py). Two
interactions are timed too: tracing 预算法 and running a library query (search_items:
the items whose name or content contains 预决算).

    .venv/bin/python bench/app_bench.py                          # 10,000 bureaus
    .venv/bin/python bench/app_bench.py --bureaus 1000
    .venv/bin/python bench/app_bench.py --nquads /tmp/synth-10000.nq --out /tmp/app-bench
    .venv/bin/python bench/app_bench.py --out /tmp/app-bench --reuse   # the folder built before

Prints a table and writes ``app-bench.json`` into the build folder.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import pyoxigraph as ox  # noqa: E402

from gongkai.pipeline.stats import write_build_stats  # noqa: E402
from gongkai.settings import Settings  # noqa: E402
from gongkai.store.lifecycle import load_embedded  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
INTERACTION_TIMEOUT_MS = 300_000
MEMORY_LIMIT = 12 << 30   # address space of the app's process
#: (navigation label, title): the screens in the order the navigation lists them
SCREENS = [("概览", "概览"), ("清单与事项", "清单与事项"), ("法规溯源", "法规溯源"), ("SPARQL 查询", "SPARQL 查询"),
           ("校验", "校验"), ("时限", "时限"), ("导入", "导入清单"), ("导出", "导出")]


def timed(label: str, fn, *args, **kw):
    t0 = time.perf_counter()
    out = fn(*args, **kw)
    dt = time.perf_counter() - t0
    print(f"  {label}: {dt:.1f} s", flush=True)
    return out, dt


def prepare(out: Path, n: int, nquads: Path | None) -> dict[str, float]:
    """kg.trig, the embedded store, the validation reports and stats.json in ``out``."""
    from gongkai.validation.inputs import validate_rdf_file
    from gongkai.validation.reports import write_build_reports

    out.mkdir(parents=True, exist_ok=True)
    settings = Settings(build_dir=out, store_dir=out / "store")
    times: dict[str, float] = {}
    if nquads is None:
        from synth import load_pool, synthetic_lists, write_nquads

        nquads = out / f"synth-{n}.nq"
        _, times["synthesise"] = timed(f"synthesising {n} lists", lambda: write_nquads(
            synthetic_lists(n, load_pool()), nquads))
    trig = out / "kg.trig"
    _, times["kg.trig"] = timed("writing kg.trig", lambda: ox.serialize(
        ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS), output=str(trig), format=ox.RdfFormat.TRIG))
    _, times["store"] = timed("loading the embedded store", load_embedded, settings)
    report, times["validation"] = timed("validating", validate_rdf_file, trig, settings)
    _, times["reports"] = timed("writing the reports", write_build_reports, report, out, settings)
    _, times["stats"] = timed("computing stats.json", write_build_stats, settings, report)
    return times


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(out: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "GONGKAI_BUILD": str(out)}
    env.pop("GONGKAI_ENDPOINT", None)
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app/streamlit_app.py", "--server.port",
                             str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # a runaway query fails in the app instead of swapping the machine; the limit is set on the
    # started process (not in a preexec_fn, unsafe once this process has threads), before it
    # starts its query workers, which inherit it
    resource.prlimit(proc.pid, resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=1) as r:
                if r.read().strip() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("streamlit did not start")


def drive(url: str, runs: int) -> dict:
    from playwright.sync_api import expect, sync_playwright

    def idle(page, title=None):
        if title:
            expect(page.locator("h1").first).to_have_text(title, timeout=120_000)
        page.wait_for_selector(IDLE, timeout=120_000)

    results: dict = {"screens": {}, "first_visit": {}, "interactions": {}}
    hosts: set[str] = set()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        page.on("request", lambda r: hosts.add(r.url.split("/")[2]))
        t0 = time.perf_counter()
        page.goto(url)
        idle(page, "概览")
        results["first_load"] = round(time.perf_counter() - t0, 3)
        nav = page.locator('[data-testid="stSidebarNav"]')
        times: dict[str, list[float]] = {t: [] for _, t in SCREENS}
        for r in range(runs + 1):              # round 0: the first visit of each screen (caches cold)
            for label, title in SCREENS:
                t0 = time.perf_counter()
                nav.get_by_text(label, exact=True).click()
                idle(page, title)
                dt = time.perf_counter() - t0
                if r == 0:
                    results["first_visit"][title] = round(dt, 3)
                else:
                    times[title].append(dt)
        results["screens"] = {t: round(statistics.median(v), 3) for t, v in times.items()}
        results["runs"] = {t: [round(x, 3) for x in v] for t, v in times.items()}

        def interaction(name: str, run) -> None:
            t0 = time.perf_counter()
            try:
                run()
                results["interactions"][name] = round(time.perf_counter() - t0, 3)
            except Exception as e:  # a timeout is a result too
                results["interactions"][name] = f"> {INTERACTION_TIMEOUT_MS / 1000:.0f} s ({type(e).__name__})"
                page.goto(url)
                idle(page, "概览")

        def trace() -> None:
            box = page.get_by_label("查找法规：标题、简称、文号或拼音首字母")
            box.fill("预算法")
            box.press("Enter")
            expect(page.locator("h2").first).to_contain_text("预算法", timeout=INTERACTION_TIMEOUT_MS)
            page.wait_for_selector(IDLE, timeout=INTERACTION_TIMEOUT_MS)

        def query() -> None:
            page.get_by_role("button", name="运行").click()
            expect(page.get_by_text("毫秒").first).to_be_visible(timeout=INTERACTION_TIMEOUT_MS)
            page.wait_for_selector(IDLE, timeout=INTERACTION_TIMEOUT_MS)

        nav.get_by_text("法规溯源", exact=True).click()
        idle(page, "法规溯源")
        interaction("trace 预算法", trace)
        nav.get_by_text("SPARQL 查询", exact=True).click()
        idle(page, "SPARQL 查询")
        combo = page.get_by_role("combobox", name="库中的查询")
        combo.click()
        combo.fill("search_items")
        page.get_by_role("option").first.click()
        idle(page)
        interaction("query search_items", query)
        browser.close()
    results["hosts"] = sorted(hosts)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bureaus", type=int, default=10_000)
    ap.add_argument("--nquads", type=Path, help="synthetic lists already written by synth.py")
    ap.add_argument("--out", type=Path, default=Path("/tmp/gongkai-app-bench"))
    ap.add_argument("--reuse", action="store_true", help="use the folder prepared by an earlier run")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    prep = {} if args.reuse else prepare(args.out, args.bureaus, args.nquads)
    stats = json.loads((args.out / "stats.json").read_text(encoding="utf-8"))
    proc, url = serve(args.out)
    try:
        res = drive(url, args.runs)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    res.update({"prepare_s": {k: round(v, 1) for k, v in prep.items()}, "counts": stats["counts"],
                "triples": stats["triples"]})
    (args.out / "app-bench.json").write_text(json.dumps(res, ensure_ascii=False, indent=1), encoding="utf-8")
    c = stats["counts"]
    print(f"\n{c['bureaus']:,} bureaus, {c['lists']:,} lists, {c['items']:,} items, {stats['triples']:,} quads")
    print(f"first page load: {res['first_load']:.2f} s; hosts requested: {', '.join(res['hosts'])}")
    print(f"{'screen':<14}{'first visit':>12}{'median of ' + str(args.runs):>14}")
    for title in res["screens"]:
        print(f"{title:<14}{res['first_visit'][title]:>12.2f}{res['screens'][title]:>14.2f}")
    for k, v in res["interactions"].items():
        print(f"{k:<28}{v:>8.2f} s" if isinstance(v, float) else f"{k:<28}{v}")


if __name__ == "__main__":
    main()
