"""Validation reports in the other language.

``gongkai build`` writes its reports (build/validation.csv …) in Chinese. Each problem's
message is its shape's ``sh:message`` with placeholders filled (``表头声明…{?value}项，清单中实有
{?parsed}项。``); the shape also has the message in English. Reading the Chinese template
as a pattern recovers the values from the Chinese message, and they fill the English
template, so the English report says exactly what the Chinese one does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai import Settings

_PLACEHOLDER = re.compile(r"\{[?$]([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass(frozen=True)
class ShapeText:
    id: str
    severity: str
    messages: dict[str, str]
    names: dict[str, str]
    comments: dict[str, str]
    labels: dict[str, str] = field(default_factory=dict)

    def title(self, lang: str) -> str:
        """The rule's short name (its ``rdfs:label``; its ``sh:name``, then its id, when it has none)."""
        return (self.labels.get(lang) or self.labels.get("zh") or self.names.get(lang) or self.names.get("zh")
                or self.id)


def shape_texts(settings: Settings) -> dict[str, ShapeText]:
    """Every shape's messages, names and comments in each language, by shape id."""
    from gongkai import shape_infos, shapes_graph

    out = {}
    for info in shape_infos(shapes_graph(settings.shapes_dir)).values():
        out[info.id] = ShapeText(info.id, info.severity, dict(info.messages), dict(info.names), dict(info.comments),
                                 dict(info.labels))
    return out


def _pattern(template: str) -> re.Pattern[str]:
    parts, pos, seen = [], 0, set()
    for m in _PLACEHOLDER.finditer(template):
        parts.append(re.escape(template[pos:m.start()]))
        name = m.group(1)
        parts.append(f"(?P<{name}>.*?)" if name not in seen else f"(?P={name})")
        seen.add(name)
        pos = m.end()
    parts.append(re.escape(template[pos:]))
    return re.compile("^" + "".join(parts) + "$", re.DOTALL)


def translate(zh_message: str, shape: ShapeText | None, lang: str, value: str = "") -> str:
    """The message in ``lang``: the shape's template filled with the values found in the
    Chinese message (the Chinese message itself when the shape or template is unknown)."""
    if lang == "zh" or shape is None:
        return zh_message
    target = shape.messages.get(lang)
    source = shape.messages.get("zh")
    if not target:
        return zh_message
    if "{" not in target:
        return target
    values: dict[str, str] = {"value": value} if value else {}
    if source:
        m = _pattern(source).match(zh_message)
        if m:
            values.update({k: v for k, v in m.groupdict().items() if v is not None})
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), "…"), target)
