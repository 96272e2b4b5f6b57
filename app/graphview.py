"""Small graphs drawn in the browser: bureau → item → version → legal work, as Graphviz DOT.

``st.graphviz_chart`` lays DOT out with the Graphviz build bundled in Streamlit's own
front end (WebAssembly), so nothing is fetched from the internet. A trace may reach
thousands of items; past ``MAX_ITEMS`` the items are folded into one edge per bureau
carrying their number, so the picture stays readable and quick to lay out.

Legible at the width of the screen:

- labels are wrapped into lines of at most ``LINE`` half-width characters (a Chinese
  character counts two) and every node is made as wide as its longest line
  (``_width``): Graphviz measures Chinese text too short, and the text would overflow;
- node text is ``NODE_FONT`` points, edge labels ``EDGE_FONT``; Streamlit's style draws
  every text of a graph at one small size, whatever the DOT says, which ``GRAPH_CSS``
  (given to the page by ``show``) undoes, so that the sizes written here are the ones seen;
- the graph reads left to right (``rankdir=LR``), and the space between its columns
  (``ranksep``) is chosen so that it is about ``WIDTH`` points wide: drawn at the width of
  the screen, its text stays near the size written here; ``size`` scales a wider graph
  down to that width rather than let it run off the screen.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

MAX_ITEMS = 40
MAX_BUREAUS = 40
FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"
NODE_FONT = 14        # points
EDGE_FONT = 12
LINE = 24             # half-width characters on a line of a label (12 Chinese characters)
WIDTH = 900           # points: about the width of the screen's main column
MAX_HEIGHT = 200      # inches: a tall graph scrolls with the page, it is not shrunk
MIN_RANKSEP, MAX_RANKSEP = 0.5, 2.0   # inches between the graph's columns
#: the font sizes of the graph's text as written in the DOT, over Streamlit's one size
GRAPH_CSS = "<style>" + "".join(
    f'[data-testid="stGraphVizChart"] svg text[font-size="{n}.00"]{{font-size:{n}px}}' for n in range(8, 25)
) + "</style>"


def _cells(ch: str) -> int:
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def _wrap(text: str, line: int = LINE, lines: int = 3) -> list[str]:
    """``text`` in at most ``lines`` lines of at most ``line`` half-width characters, of
    about equal length, broken at a space or else between two characters that are not
    both letters or digits (“2021” stays whole); the last line ends in … when text is left over."""
    rest = " ".join(text.split())
    total = sum(_cells(c) for c in rest)
    needed = min(lines, -(-total // line)) if total else 1
    even = min(line, max(-(-total // needed), 1)) if needed > 1 else line
    out: list[str] = []
    while rest and len(out) < lines:
        used, cut = 0, len(rest)
        for i, ch in enumerate(rest):
            used += _cells(ch)
            if used > (even if len(out) < needed - 1 else line):
                cut = i
                break
        if cut < len(rest):
            space = rest.rfind(" ", 0, cut + 1)
            if space > cut // 2:
                cut = space
            else:
                back = cut
                while back > cut // 2 and rest[back - 1].isascii() and rest[back - 1].isalnum() \
                        and rest[back].isascii() and rest[back].isalnum():
                    back -= 1
                if back > cut // 2:
                    cut = back
        out.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest and out:
        last = out[-1]
        while last and sum(_cells(c) for c in last) > line - 1:
            last = last[:-1]
        out[-1] = last.rstrip() + "…"
    return out or [""]


def _width(lines: list[str], size: int = NODE_FONT) -> float:
    """Inches a node needs for ``lines`` at ``size`` points, with its margins."""
    longest = max(sum(_cells(c) for c in ln) for ln in lines)
    return round(longest * size * 0.55 / 72 + 0.35, 2)


def _q(text: str) -> str:
    """A DOT string: quotes and backslashes escaped, line breaks kept as ``\\n``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _node(nid: str, label: str, attrs: str, *, tooltip: str | None = None, line: int = LINE,
          size: int = NODE_FONT) -> tuple[str, float]:
    """A node statement with its label wrapped and its width set, and that width in inches."""
    lines = _wrap(label, line)
    width = _width(lines, size)
    tip = f", tooltip={_q(tooltip or label)}"
    font = f", fontsize={size}" if size != NODE_FONT else ""
    return f"  {nid} [label={_q(chr(10).join(lines))}, width={width}{font}, {attrs}{tip}];", width


def _head(columns: list[float]) -> list[str]:
    """The graph's opening lines; ``columns``: the widest node of each column, in inches."""
    room = WIDTH / 72 - sum(columns)
    gaps = max(len(columns) - 1, 1)
    ranksep = round(min(MAX_RANKSEP, max(MIN_RANKSEP, room / gaps)), 2)
    return [
        "digraph trace {",
        f'  rankdir=LR; bgcolor="transparent"; size="{WIDTH / 72:.1f},{MAX_HEIGHT}"; ranksep={ranksep}; nodesep=0.25;',
        f"  node [fontname={_q(FONT)}, fontsize={NODE_FONT}, style=filled, penwidth=0.8, margin=\"0.12,0.06\"];",
        f"  edge [fontname={_q(FONT)}, fontsize={EDGE_FONT}, color=\"#777777\"];",
    ]


def trace_dot(work_label: str, rows: list[dict[str, str]], *, more_items: str = "{n} items") -> str:
    """bureau → item → version cited → work, from rows of ``items_relying_on_source``
    (bureau, number, item, version, article, itemIri). ``more_items`` labels a folded edge."""
    body: list[str] = []
    cols: dict[str, float] = defaultdict(float)
    line, w = _node("work", work_label, 'shape=box, fillcolor="#f6d7a7"')
    body.append(line)
    cols["work"] = w
    versions: dict[str, str] = {}
    for r in rows:
        versions.setdefault(r.get("version", ""), f"v{len(versions)}")
    for label, vid in versions.items():
        line, w = _node(vid, label, 'shape=note, fillcolor="#fbeee0"')
        body.append(line)
        body.append(f"  {vid} -> work [style=dashed, arrowhead=none];")
        cols["version"] = max(cols["version"], w)
    items = {r["itemIri"]: r for r in rows}
    bureaus: dict[str, str] = {}
    for r in items.values():
        bureaus.setdefault(r["bureau"], f"b{len(bureaus)}")
    if len(items) <= MAX_ITEMS:
        for label, bid in bureaus.items():
            line, w = _node(bid, label, 'shape=house, fillcolor="#d6e4f0"')
            body.append(line)
            cols["bureau"] = max(cols["bureau"], w)
        edges = set()
        for n, (iri, r) in enumerate(items.items()):
            node = f"i{n}"
            line, w = _node(node, f"{r['number']}. {r['item']}", 'shape=ellipse, fillcolor="#e8f3e8"',
                            tooltip=r["item"], line=20)
            body.append(line)
            cols["item"] = max(cols["item"], w + 0.3)  # an ellipse is wider than its text
            body.append(f"  {bureaus[r['bureau']]} -> {node};")
            for c in rows:
                if c["itemIri"] != iri:
                    continue
                edge = (node, versions[c.get("version", "")], c.get("article", ""))
                if edge not in edges:
                    edges.add(edge)
                    label = f" [label={_q(chr(10).join(_wrap(edge[2], 12, 2)))}]" if edge[2] else ""
                    body.append(f"  {edge[0]} -> {edge[1]}{label};")
    else:
        per: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in rows:
            per[(r["bureau"], versions[r.get("version", "")])].add(r["itemIri"])
        top = sorted(bureaus, key=lambda b: -sum(len(v) for (bb, _), v in per.items() if bb == b))[:MAX_BUREAUS]
        for label in top:
            line, w = _node(bureaus[label], label, 'shape=house, fillcolor="#d6e4f0"')
            body.append(line)
            cols["bureau"] = max(cols["bureau"], w)
        for (b, vid), its in sorted(per.items()):
            if b in top:
                body.append(f"  {bureaus[b]} -> {vid} [label={_q(more_items.format(n=len(its)))}];")
    return "\n".join([*_head(list(cols.values())), *body, "}"])


def _distinct(labels: list[str]) -> list[str]:
    """The versions' labels without the words they all begin with (their title), cut after a
    space or 》: “《条例》 (2007)”, “《条例》 (2019)” → “(2007)”, “(2019)”."""
    if len(labels) < 2:
        return labels
    prefix = next((labels[0][:n] for n in range(min(map(len, labels)), 0, -1)
                   if all(label.startswith(labels[0][:n]) for label in labels)), "")
    cut = max(prefix.rfind(" ") + 1, prefix.rfind("》") + 1)
    if cut <= 0 or any(not label[cut:].strip() for label in labels):
        return labels
    return [label[cut:].strip() for label in labels]


def item_dot(item_label: str, citations: list[dict[str, str]], versions: dict[str, list[str]]) -> str:
    """One item → the sources its citations resolve to → each source's versions, oldest first,
    left to right (the version history; each named by what sets it apart from the others,
    its whole label in the tooltip).

    ``citations`` are rows of ``item_citations`` (source, sourceIri, article, resolved);
    ``versions`` maps a cited IRI to the labels of its work's versions, oldest first."""
    body: list[str] = []
    line, w = _node("item", item_label, 'shape=ellipse, fillcolor="#e8f3e8"', line=20)
    body.append(line)
    cols: list[float] = [w + 0.3]
    sources = 0.0
    chain_cols: list[float] = []
    nodes: dict[str, str] = {}
    for c in citations:
        iri = c.get("sourceIri") or c.get("source", "")
        if iri in nodes:
            continue
        nid = f"s{len(nodes)}"
        nodes[iri] = nid
        unresolved = c.get("resolved") in ("否", "no", "false")
        fill = "#eeeeee" if unresolved else "#fbeee0"
        line, w = _node(nid, c.get("source", ""), f'shape=note, fillcolor="{fill}"')
        body.append(line)
        sources = max(sources, w)
        label = f" [label={_q(chr(10).join(_wrap(c['article'], 12, 2)))}]" if c.get("article") else ""
        body.append(f"  item -> {nid}{label};")
        chain = versions.get(iri) or []
        if len(chain) < 2:      # a source of one version: no history beside it
            chain = []
        for k, (v, short) in enumerate(zip(chain, _distinct(chain), strict=True)):
            vid = f"{nid}v{k}"
            line, w = _node(vid, short, 'shape=box, fillcolor="#f6f6f6"', tooltip=v, line=16, size=EDGE_FONT)
            body.append(line)
            if k >= len(chain_cols):
                chain_cols.append(w)
            chain_cols[k] = max(chain_cols[k], w)
            if k:
                body.append(f"  {nid}v{k - 1} -> {vid} [style=dotted];")
        if chain:
            body.append(f"  {nid} -> {nid}v0 [style=dashed, arrowhead=none];")
    return "\n".join([*_head([*cols, sources, *chain_cols]), *body, "}"])


def show(dot: str) -> None:
    """Draw ``dot`` across the width of the screen, its text at the sizes the DOT gives."""
    import streamlit as st

    st.html(GRAPH_CSS)
    st.graphviz_chart(dot, width="stretch")
