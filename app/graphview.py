"""Small graphs drawn in the browser: bureau → item → version → legal work, as Graphviz DOT.

``st.graphviz_chart`` lays DOT out with the Graphviz build bundled in Streamlit's own
front end (WebAssembly), so nothing is fetched from the internet. A trace may reach
thousands of items; past ``MAX_ITEMS`` the items are folded into one edge per bureau
carrying their number, so the picture stays readable and quick to lay out.
"""

from __future__ import annotations

from collections import defaultdict

MAX_ITEMS = 40
MAX_BUREAUS = 40
FONT = "Noto Sans CJK SC, Noto Sans SC, sans-serif"


def _q(text: str) -> str:
    """A DOT string: quotes and backslashes escaped, line breaks kept as ``\\n``."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _short(text: str, n: int = 18) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _head(rankdir: str = "LR") -> list[str]:
    return [
        "digraph trace {",
        f'  rankdir={rankdir}; bgcolor="transparent";',
        f"  node [fontname={_q(FONT)}, fontsize=11, style=filled, penwidth=0.8];",
        f"  edge [fontname={_q(FONT)}, fontsize=9, color=\"#777777\"];",
    ]


def trace_dot(work_label: str, rows: list[dict[str, str]], *, more_items: str = "{n} items") -> str:
    """bureau → item → version cited → work, from rows of ``items_relying_on_source``
    (bureau, number, item, version, article, itemIri). ``more_items`` labels a folded edge."""
    out = _head()
    out.append(f'  work [label={_q(_short(work_label, 30))}, shape=box, fillcolor="#f6d7a7"];')
    versions: dict[str, str] = {}
    for r in rows:
        versions.setdefault(r.get("version", ""), f"v{len(versions)}")
    for label, vid in versions.items():
        out.append(f'  {vid} [label={_q(_short(label, 30))}, shape=note, fillcolor="#fbeee0"];')
        out.append(f"  {vid} -> work [style=dashed, arrowhead=none];")
    items = {r["itemIri"]: r for r in rows}
    bureaus: dict[str, str] = {}
    for r in items.values():
        bureaus.setdefault(r["bureau"], f"b{len(bureaus)}")
    if len(items) <= MAX_ITEMS:
        for label, bid in bureaus.items():
            out.append(f'  {bid} [label={_q(_short(label, 16))}, shape=house, fillcolor="#d6e4f0"];')
        edges = set()
        for n, (iri, r) in enumerate(items.items()):
            node = f"i{n}"
            out.append(f'  {node} [label={_q(r["number"] + ". " + _short(r["item"], 12))}, shape=ellipse, '
                       f'fillcolor="#e8f3e8", tooltip={_q(r["item"])}];')
            out.append(f"  {bureaus[r['bureau']]} -> {node};")
            for c in rows:
                if c["itemIri"] != iri:
                    continue
                edge = (node, versions[c.get("version", "")], c.get("article", ""))
                if edge not in edges:
                    edges.add(edge)
                    label = f" [label={_q(_short(edge[2], 10))}]" if edge[2] else ""
                    out.append(f"  {edge[0]} -> {edge[1]}{label};")
    else:
        per: dict[tuple[str, str], set[str]] = defaultdict(set)
        for r in rows:
            per[(r["bureau"], versions[r.get("version", "")])].add(r["itemIri"])
        top = sorted(bureaus, key=lambda b: -sum(len(v) for (bb, _), v in per.items() if bb == b))[:MAX_BUREAUS]
        for label in top:
            out.append(f'  {bureaus[label]} [label={_q(_short(label, 16))}, shape=house, fillcolor="#d6e4f0"];')
        for (b, vid), its in sorted(per.items()):
            if b in top:
                out.append(f"  {bureaus[b]} -> {vid} [label={_q(more_items.format(n=len(its)))}];")
    out.append("}")
    return "\n".join(out)


def item_dot(item_label: str, citations: list[dict[str, str]], versions: dict[str, list[str]]) -> str:
    """One item → the sources its citations resolve to → each source's other versions.

    ``citations`` are rows of ``item_citations`` (source, sourceIri, article, resolved);
    ``versions`` maps a cited IRI to the labels of its work's versions, oldest first."""
    out = _head()
    out.append(f'  item [label={_q(_short(item_label, 24))}, shape=ellipse, fillcolor="#e8f3e8"];')
    nodes: dict[str, str] = {}
    for c in citations:
        iri = c.get("sourceIri") or c.get("source", "")
        if iri in nodes:
            continue
        nid = f"s{len(nodes)}"
        nodes[iri] = nid
        unresolved = c.get("resolved") in ("否", "no", "false")
        fill = "#eeeeee" if unresolved else "#fbeee0"
        out.append(f'  {nid} [label={_q(_short(c.get("source", ""), 28))}, shape=note, fillcolor="{fill}"];')
        label = f" [label={_q(_short(c['article'], 10))}]" if c.get("article") else ""
        out.append(f"  item -> {nid}{label};")
        chain = versions.get(iri) or []
        for k, v in enumerate(chain):
            vid = f"{nid}v{k}"
            out.append(f'  {vid} [label={_q(_short(v, 24))}, shape=box, fontsize=9, fillcolor="#f6f6f6"];')
            if k:
                out.append(f'  {nid}v{k - 1} -> {vid} [style=dotted, label="→"];')
        if chain:
            out.append(f"  {nid} -> {nid}v0 [style=dashed, arrowhead=none];")
    out.append("}")
    return "\n".join(out)
