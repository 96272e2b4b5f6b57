"""Legacy Office files made at test time by LibreOffice: .xls from .xlsx, .doc from .docx and .html.

Each conversion runs ``soffice --headless --convert-to`` with a profile of its own (so that
tests running at once do not share one) and a time limit, its process group killed past it.
LibreOffice is a Debian package the tests install (``make test``: libreoffice-writer-nogui,
libreoffice-calc-nogui).

A ``.docx`` is converted to ``.doc`` through ``.odt``: LibreOffice 7.4, converting a
``.docx`` written by python-docx straight to ``.doc``, writes its tables so that they come
back as plain paragraphs (the ``.doc`` read again, by LibreOffice itself, has no table);
through ``.odt`` they stay tables. An ``.html`` page is opened with Writer's HTML filter
(Writer/Web, LibreOffice's default for a page, has no ``.doc`` export).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 120

#: the export filter for each target format
FILTERS = {
    "xls": "xls:MS Excel 97",
    "doc": "doc:MS Word 97",
    "odt": "odt:writer8",
    "docx": "docx:MS Word 2007 XML",
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
}


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    assert found, "LibreOffice is not installed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"
    return found


def convert(src: Path, outdir: Path, target: str, *, infilter: str | None = None) -> Path:
    """``src`` converted by LibreOffice to ``target`` (a key of ``FILTERS``) in ``outdir``."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gongkai-test-soffice-") as profile:
        argv = [soffice(), "--headless", "--norestore", "--nologo", "--nolockcheck",
                f"-env:UserInstallation={Path(profile).as_uri()}"]
        if infilter:
            argv.append(f"--infilter={infilter}")
        argv += ["--convert-to", FILTERS[target], "--outdir", str(outdir), str(src)]
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            output, _ = proc.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise AssertionError(f"LibreOffice did not convert {src} to {target} in {TIMEOUT} s") from None
    out = outdir / (src.stem + "." + target)
    assert out.is_file(), f"LibreOffice did not convert {src} to {target}: {output.decode(errors='replace')}"
    return out


def to_xls(src: Path, outdir: Path) -> Path:
    """An .xlsx workbook saved as Excel 97–2003 (.xls)."""
    return convert(src, outdir, "xls")


def to_doc(src: Path, outdir: Path) -> Path:
    """A .docx document or an .html page saved as Word 97–2003 (.doc)."""
    if src.suffix.lower() in (".html", ".htm"):
        return convert(src, outdir, "doc", infilter="HTML (StarWriter)")
    odt = convert(src, outdir / "odt", "odt")
    return convert(odt, outdir, "doc")
