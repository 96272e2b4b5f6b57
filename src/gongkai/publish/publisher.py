"""Who publishes the dataset: its title, description, licence and contact, kept in a settings
file next to the data — ``publisher.toml`` beside the build folder (``build/../publisher.toml``:
the project's root for the default ``build/``, the folder holding ``GONGKAI_BUILD`` otherwise).

::

    # publisher.toml — read by `gongkai publish` and the app (its title, its export page)
    title = "某市政务公开清单知识图谱"
    title_en = "Disclosure lists of the city of …"
    description = "本市各部门的政务公开标准目录……"
    description_en = "The disclosure lists of the city's departments …"
    publisher = "某市政务公开办公室"
    license = "https://creativecommons.org/licenses/by/4.0/"
    contact_name = "政务公开办公室"
    contact = "gongkai@example.gov.cn"          # an e-mail address or a web page

Every key may be left out: the dataset then keeps gongkai's own title and description
(``dcat.TITLE``, ``dcat.DESCRIPTION``) and states no publisher, licence or contact. The app's
export page edits the file (``save_publisher``); ``gongkai publish --publisher/--license``
override it for one run.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from gongkai.build_folder import write_atomic
from gongkai.errors import InputError
from gongkai.settings import Settings

PUBLISHER_FILE = "publisher.toml"

#: the keys of the file, with what each says (the first lines of a file written by ``save_publisher``)
KEYS = {
    "title": "数据集标题（中文） · the dataset's title in Chinese",
    "title_en": "the dataset's title in English",
    "description": "数据集说明（中文） · the dataset's description in Chinese",
    "description_en": "the dataset's description in English",
    "publisher": "发布机构 · the publishing body",
    "license": "许可的网址 · the licence, as a URL",
    "contact_name": "联系人或部门 · whom to contact",
    "contact": "联系邮箱或网页 · an e-mail address or a web page",
}


@dataclass(frozen=True)
class Publisher:
    title: str = ""
    title_en: str = ""
    description: str = ""
    description_en: str = ""
    publisher: str = ""
    license: str = ""
    contact_name: str = ""
    contact: str = ""

    def title_in(self, lang: str, default: str) -> str:
        """The title in ``lang`` (the Chinese one when there is no English one), else ``default``."""
        return (self.title_en if lang == "en" else "") or self.title or default

    @property
    def contact_iri(self) -> str | None:
        """The contact as an IRI: ``mailto:`` for an e-mail address, a web page as it is."""
        c = self.contact.strip()
        if not c:
            return None
        if c.lower().startswith(("http://", "https://", "mailto:")):
            return c
        return f"mailto:{c}" if "@" in c else None

    def dcat_args(self) -> dict[str, Any]:
        """The keywords of ``dcat.describe`` these settings give."""
        contact = (self.contact_name, self.contact_iri)
        return {"publisher": self.publisher or None, "license_url": self.license or None,
                "title": (self.title, self.title_en), "description": (self.description, self.description_en),
                "contact": contact if any(contact) else None}

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


def publisher_path(settings: Settings) -> Path:
    """``publisher.toml`` beside the build folder."""
    return settings.out_dir.absolute().parent / PUBLISHER_FILE


def load_publisher(settings: Settings) -> Publisher:
    """The publisher's settings, or an empty ``Publisher`` when there is no file. A file that
    cannot be read, or a value that is not text, is an ``InputError`` naming the file."""
    path = publisher_path(settings)
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Publisher()
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(str(path), f"cannot be read: {e}") from None
    except tomllib.TOMLDecodeError as e:
        raise InputError(str(path), f"is not valid TOML: {e}") from None
    values: dict[str, str] = {}
    for k, v in doc.items():
        if k not in KEYS:
            continue                          # another tool's key: not ours to judge
        if not isinstance(v, str):
            raise InputError(str(path), f"{k} must be text in quotes, not {v!r}", cell=k)
        values[k] = v.strip()
    return replace(Publisher(), **values)


def check_license(value: str) -> str:
    """A licence must be given as a URL (DCAT's ``dcterms:license`` is a resource)."""
    v = value.strip()
    if v and not v.lower().startswith(("http://", "https://")):
        raise InputError(PUBLISHER_FILE, f"the licence must be a URL (https://…), not {v!r}", cell="license")
    return v


def save_publisher(settings: Settings, publisher: Publisher) -> Path:
    """Write the settings file whole (atomically: a reader sees the old file or the new)."""
    check_license(publisher.license)
    lines = ["# gongkai: who publishes this dataset (gongkai publish, the app's title and export page)"]
    for k, what in KEYS.items():
        value = getattr(publisher, k).strip()
        lines.append(f"# {what}")
        lines.append(f"{k} = {json.dumps(value, ensure_ascii=False)}")
    return write_atomic(publisher_path(settings), "\n".join(lines) + "\n")


__all__ = ["KEYS", "PUBLISHER_FILE", "Publisher", "check_license", "load_publisher", "publisher_path",
           "save_publisher"]
