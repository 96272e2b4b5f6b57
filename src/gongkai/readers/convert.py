"""Converting a legacy Office file with LibreOffice, for the readers of its modern format.

A Word 97–2003 document (``.doc``, WPS's ``.wps``) is a binary format no Python library
reads well, and an ``.xls`` that xlrd cannot open (WPS's ``.et`` among them) is the same
case: LibreOffice reads them, and saves them as ``.docx`` or ``.xlsx``, which the readers
of those formats read with everything they know (merges, check boxes, hidden rows).

Each conversion runs ``soffice --headless --convert-to`` in a temporary folder of its own:
the file copied under a plain name, a LibreOffice profile of its own
(``-env:UserInstallation``: two conversions sharing a profile would wait for each other's
lock, or fail), the output folder. LibreOffice runs in a process group of its own with a
time limit (``TIMEOUT``); past it, the whole group is killed (``soffice`` is a launcher;
the work is done by its child ``soffice.bin``). The temporary folder, with the converted
file, is removed when the reader is done with it.

What fails is said in one line naming the file: LibreOffice not installed (with the Debian
package to install), a conversion that stops with an error or produces nothing (LibreOffice
exits 0 even then), one that takes too long.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from gongkai.errors import InputError, Text

#: seconds a conversion may take: a list converts in 1–3 s (most of it LibreOffice starting
#: with a new profile); a minute means LibreOffice is stuck (a dialog it cannot show)
TIMEOUT = 60.0

#: the LibreOffice commands looked for on PATH, in order
COMMANDS = ("soffice", "libreoffice")

#: per target format: LibreOffice's export filter, what the file is, the Debian package
#: that can read the source into it, and the programs a person can save it with
TARGETS = {
    "docx": ("docx:MS Word 2007 XML", "Word document", "libreoffice-writer-nogui", "Word or WPS"),
    "xlsx": ("xlsx:Calc MS Excel 2007 XML", "workbook", "libreoffice-calc-nogui", "Excel or WPS"),
}

#: how much of LibreOffice's output is kept to explain a failure
_LOG_TAIL = 4096


class ConversionError(InputError):
    """LibreOffice is missing, failed, or took too long (a reader may add why it was needed)."""


def soffice() -> str | None:
    """The LibreOffice command on PATH, or None."""
    for command in COMMANDS:
        found = shutil.which(command)
        if found:
            return found
    return None


def missing(name: str, suffix: str, target: str) -> ConversionError:
    """The refusal when LibreOffice is not installed."""
    _, what, package, _ = TARGETS[target]
    why = f"reading a {suffix or 'legacy'} {what} needs LibreOffice, which is not installed"
    why_zh = f"读取{suffix or '旧格式'}文件需要 LibreOffice，而本机没有安装"
    return ConversionError(name, Text(f"{why}: install the Debian package {package} (apt-get install {package}), "
                                      f"or save the file as .{target} and read that",
                                      f"{why_zh}：请安装 Debian 软件包 {package}（apt-get install {package}），"
                                      f"或把文件另存为 .{target} 后再读取",
                                      f"{why}: save the file as .{target} and import that (or ask the administrator "
                                      "to install LibreOffice)",
                                      f"{why_zh}：请把文件另存为 .{target} 后再导入（或请管理员安装 LibreOffice）"),
                           code="needs-libreoffice")


def _kill_group(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def _explain(log: Path) -> str:
    """LibreOffice's own words for a failure (its ``Error:`` line), if it said any."""
    try:
        with open(log, "rb") as f:
            f.seek(max(0, log.stat().st_size - _LOG_TAIL))
            tail = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    lines = [" ".join(line.split()) for line in tail.splitlines()]
    errors = [line for line in lines if line.lower().startswith("error")]
    return errors[-1] if errors else ""


@contextmanager
def converted(path: str | Path, target: str, *, name: str | None = None) -> Iterator[Path]:
    """The file at ``path`` converted by LibreOffice to ``target`` (``docx`` or ``xlsx``):
    the path of the converted file, valid inside the ``with`` block.

    ``name`` is how messages name the file (default: ``path``). Raises :class:`InputError`
    when the file cannot be copied, :class:`ConversionError` when LibreOffice is missing,
    fails or takes longer than ``TIMEOUT`` seconds.
    """
    src = Path(path)
    name = name or str(path)
    suffix = src.suffix.lower()
    export, what, _, apps = TARGETS[target]
    command = soffice()
    if command is None:
        raise missing(name, suffix, target)
    with tempfile.TemporaryDirectory(prefix="gongkai-convert-") as tmp:
        work = Path(tmp)
        # a plain name: LibreOffice names its output after the input, and must not be
        # given a name that looks like an option or holds what its URL parsing dislikes
        plain = "source" + (suffix if suffix.isascii() and suffix[1:].isalnum() else "")
        (work / "in").mkdir()
        copy = work / "in" / plain
        try:
            shutil.copyfile(src, copy)
        except OSError as e:
            raise InputError(name, f"cannot read the file: {e.strerror or e}") from None
        out = work / "out"
        log = work / "soffice.log"
        argv = [command, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
                "--nolockcheck", f"-env:UserInstallation={(work / 'profile').as_uri()}",
                "--convert-to", export, "--outdir", str(out), str(copy)]
        with open(log, "wb") as log_file:
            try:
                proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log_file,
                                        stderr=subprocess.STDOUT, start_new_session=True, cwd=work)
            except OSError as e:
                raise ConversionError(name, f"LibreOffice ({command}) cannot be started: {e.strerror or e}") from None
            try:
                code = proc.wait(timeout=TIMEOUT)
            except BaseException as e:       # the time limit, or an interrupt: stop LibreOffice
                _kill_group(proc)            # before reaping the launcher, while its group id is its own
                proc.wait()
                if not isinstance(e, subprocess.TimeoutExpired):
                    raise
                raise ConversionError(name, f"LibreOffice took more than {TIMEOUT:g} s to convert it to a "
                                            f".{target} {what} and was stopped: open the file in "
                                            f"{apps} and save it as .{target}") from None
        result = out / (Path(plain).stem + "." + target)
        if not result.is_file():
            why = _explain(log) or f"exit code {code}, no output"
            raise ConversionError(name, f"LibreOffice could not convert it to a .{target} {what} ({why}): "
                                   f"is the file damaged? Open it in {apps} and save it again")
        yield result
