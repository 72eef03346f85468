"""The timeline page of a dyad (`kg viz --timeline A B`): the pair's months as a chart (inline SVG,
no script, nothing to fetch) and a table, in a page that works offline."""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from kg.errors import KGError
from kg.views.analysis import DYAD_COLUMNS, actors_of, dyad, find_actor, trend
from kg.views.events import load_events
from kg.views.page import asset, write_page


def _months_between(first: str, last: str) -> list[str]:
    y, m = int(first[:4]), int(first[5:7])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def timeline_svg(rows: Sequence[dict[str, str | int | float]]) -> str:
    """Monthly bars (cooperation up in green, conflict down in red; material darker than verbal)
    and the monthly mean Goldstein as a line, as inline SVG: no script, nothing to fetch."""
    by_month = {str(r["month"]): r for r in rows if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", str(r["month"]))}
    if not by_month:
        return '<p class="note">No event of this pair is dated to the month.</p>'
    months = _months_between(min(by_month), max(by_month))
    top = max([int(r["verbal_cooperation"]) + int(r["material_cooperation"]) for r in by_month.values()] + [1])
    bottom = max([int(r["verbal_conflict"]) + int(r["material_conflict"]) for r in by_month.values()] + [1])
    peak = max(top, bottom)
    left, plot_h = 56, 150
    step = max(14.0, min(40.0, 900 / len(months)))
    width = max(520, round(left + step * len(months) + 20))
    axis = 20 + plot_h
    height = axis + plot_h + 60
    scale = plot_h / peak
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="events per month">',
             f'<line x1="{left}" y1="{axis}" x2="{width - 10}" y2="{axis}" stroke="#444"/>',
             f'<text x="4" y="30" class="ax">coop.</text><text x="4" y="{axis + plot_h}" class="ax">conflict</text>']
    line = []
    for i, mth in enumerate(months):
        x = left + i * step
        r = by_month.get(mth)
        shown = html.escape(mth)
        if r is not None:
            y: float = axis
            for key, colour in (("verbal_cooperation", "#9bd49b"), ("material_cooperation", "#2ca02c")):
                h = int(r[key]) * scale
                if h:
                    parts.append(f'<rect x="{x + 2:.1f}" y="{y - h:.1f}" width="{step - 4:.1f}" height="{h:.1f}" '
                                 f'fill="{colour}"><title>{shown}: {r[key]} {key.replace("_", " ")}</title></rect>')
                y -= h
            y = axis
            for key, colour in (("verbal_conflict", "#f4a3a3"), ("material_conflict", "#d62728")):
                h = int(r[key]) * scale
                if h:
                    parts.append(f'<rect x="{x + 2:.1f}" y="{y:.1f}" width="{step - 4:.1f}" height="{h:.1f}" '
                                 f'fill="{colour}"><title>{shown}: {r[key]} {key.replace("_", " ")}</title></rect>')
                y += h
            line.append(f"{x + step / 2:.1f},{axis - float(r['goldstein_mean']) / 10 * plot_h:.1f}")
        if len(months) <= 24 or i % max(1, len(months) // 24) == 0:
            parts.append(f'<text x="{x + step / 2:.1f}" y="{axis + plot_h + 18}" class="tick" '
                         f'transform="rotate(45 {x + step / 2:.1f} {axis + plot_h + 18})">{shown}</text>')
    if line:
        parts.append(f'<polyline points="{" ".join(line)}" fill="none" stroke="#333" stroke-width="2"/>')
        parts.extend(f'<circle cx="{p.split(",")[0]}" cy="{p.split(",")[1]}" r="3" fill="#333"/>' for p in line)
    parts.append(f'<text x="{width - 10}" y="14" class="ax" text-anchor="end">line: mean Goldstein '
                 f'(+10 top, -10 bottom); bars: events ({peak} at full height)</text></svg>')
    return "".join(parts)


def render_timeline(rows: Sequence[dict[str, str | int | float]], *, a: str, b: str) -> str:

    names = {"a_to_b": f"{a} → {b}", "b_to_a": f"{b} → {a}"}
    head = "".join(f"<th>{html.escape(names.get(c, c.replace('_', ' ')))}</th>" for c in DYAD_COLUMNS[1:])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r[c]))}</td>" for c in DYAD_COLUMNS[1:]) + "</tr>"
                   for r in rows)
    name = html.escape(f"{a} — {b}")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{name}: relationship over time'
            f"</title><style>{asset('timeline.css')}</style></head><body>"
            f"<h1>{name}</h1><p class=\"trend\">{html.escape(trend(list(rows)))}</p>"
            f"<p class=\"note\">Events between the two actors in either direction, by month (CAMEO quad classes; "
            f"Goldstein from -10, most hostile, to +10, most cooperative).</p>"
            f"{timeline_svg(rows)}<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>")


def write_timeline(out_dir: Path, a: str, b: str, output: Path, *, since: str | None = None,
                   until: str | None = None, store_url: str | None = None) -> int:
    """`kg viz --timeline A B`: the dyad's months as a chart and a table in a page that works offline."""
    events = load_events(out_dir, store_url)
    rows = dyad(events, a, b, since=since, until=until)
    if not rows:
        raise KGError(f"{a!r} and {b!r}: no event between these two actors in this build")
    label = {k: v.label for k, v in actors_of(events).items()}
    write_page(output, render_timeline(rows, a=label[find_actor(events, a)], b=label[find_actor(events, b)]))
    return len(rows)
