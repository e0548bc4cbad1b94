"""The PUE chart of a timeline, in the terminal (characters) and as hand-written SVG.

Each regime's PUE limit per year and the facility's PUE; no plotting library, no external resource.

Both read a cli.timeline.FacilityTimeline; every label comes from cli/site_words.py.
"""

from __future__ import annotations

from html import escape

from . import site_words as words

HEIGHT = 10
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")
FACILITY_COLOUR = "#111111"


def _range(timeline) -> tuple[float, float]:
    values = [v for s in timeline.series for v in s.limits if v is not None]
    values += [v for v in timeline.pue if v is not None]
    low, high = min(values), max(values)
    pad = max((high - low) * 0.1, 0.05)
    return round(low - pad, 2), round(high + pad, 2)


def _marker(series) -> str:
    letter = series.regime[0]
    return letter.upper() if series.severity == "mandatory" else letter.lower()


def terminal_chart(timeline, width: int) -> list[str]:
    """Lines of a character chart: one column block per year, one row per step of PUE."""
    low, high = _range(timeline)
    years = timeline.years
    step = max(3, min(6, (width - 8) // max(len(years), 1)))
    rows = [[" "] * (step * len(years)) for _ in range(HEIGHT)]

    def row_of(value: float) -> int:
        return round((high - value) / (high - low) * (HEIGHT - 1))

    for series in timeline.series:
        for index, limit in enumerate(series.limits):
            if limit is not None:
                for dx in range(step - 1):
                    rows[row_of(limit)][index * step + dx] = _marker(series)
    for index, pue in enumerate(timeline.pue):
        if pue is not None:
            rows[row_of(pue)][index * step + (step - 1) // 2] = "●"
    out = [words.chart_title(timeline)]
    for number, row in enumerate(rows):
        label = f"{high - number * (high - low) / (HEIGHT - 1):5.2f}" if number % 3 == 0 or number == HEIGHT - 1 else ""
        out.append(f"{label:>5} ┤" + "".join(row).rstrip())
    out.append("      └" + "─" * (step * len(years)))
    out.append(("       " + "".join(str(y).ljust(step) if step >= 5 else f"'{y % 100:02d}".ljust(step)
                                    for y in years)).rstrip())
    from .grid import wrap

    out.extend(wrap(words.chart_legend([(_marker(s), s) for s in timeline.series]), width))
    return out


def svg_chart(timeline, width: int = 760, height: int = 380) -> str:
    """A standalone SVG document (also inlined in the HTML report)."""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + svg_element(timeline, width, height) + "\n")


def svg_element(timeline, width: int = 760, height: int = 380) -> str:
    left, right, top, bottom = 56, 180, 36, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    years = timeline.years
    if not timeline.series and all(p is None for p in timeline.pue):
        return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="60" role="img">'
                f'<text x="8" y="30" font-family="sans-serif" font-size="13">{escape(words.no_chart())}</text></svg>')
    low, high = _range(timeline)
    span = len(years)

    def x(index: float) -> float:
        return round(left + plot_w * index / span, 1)

    def y(value: float) -> float:
        return round(top + plot_h * (high - value) / (high - low), 1)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="chart-title" class="pue-chart">',
             f'<title id="chart-title">{escape(words.chart_title(timeline))}</title>',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
             f'<text x="{left}" y="20" font-family="sans-serif" font-size="14" font-weight="bold">'
             f'{escape(words.chart_title(timeline))}</text>']
    for k in range(6):  # horizontal grid with PUE labels
        value = low + (high - low) * k / 5
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(value)}" y2="{y(value)}" stroke="#dddddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y(value) + 4}" text-anchor="end" font-family="sans-serif" '
                     f'font-size="11">{value:.2f}</text>')
    for index, year in enumerate(years):
        parts.append(f'<text x="{x(index + 0.5)}" y="{top + plot_h + 18}" text-anchor="middle" '
                     f'font-family="sans-serif" font-size="11">{year}</text>')
    parts.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#333333"/>')
    parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#333333"/>')
    legend_y = top + 4
    for number, series in enumerate(timeline.series):
        colour = PALETTE[number % len(PALETTE)]
        dash = '' if series.severity == "mandatory" else ' stroke-dasharray="6 4"'
        for index, limit in enumerate(series.limits):
            if limit is not None:
                parts.append(f'<line class="limit" x1="{x(index)}" x2="{x(index + 1)}" y1="{y(limit)}" '
                             f'y2="{y(limit)}" stroke="{colour}" stroke-width="2.5"{dash}>'
                             f'<title>{escape(words.limit_tooltip(series, index, timeline.years))}</title></line>')
        parts.append(f'<line x1="{width - right + 12}" x2="{width - right + 36}" y1="{legend_y}" y2="{legend_y}" '
                     f'stroke="{colour}" stroke-width="2.5"{dash}/>')
        parts.append(f'<text x="{width - right + 42}" y="{legend_y + 4}" font-family="sans-serif" font-size="11">'
                     f'{escape(words.series_label(series))}</text>')
        legend_y += 18
    points = [(x(i + 0.5), y(p), p) for i, p in enumerate(timeline.pue) if p is not None]
    if len(points) > 1:
        parts.append('<polyline fill="none" stroke="#111111" stroke-width="1.5" points="'
                     + " ".join(f"{px},{py}" for px, py, _ in points) + '"/>')
    for (px, py, value), year in zip(points, [yr for yr, p in zip(years, timeline.pue) if p is not None]):
        parts.append(f'<circle class="pue" cx="{px}" cy="{py}" r="4" fill="{FACILITY_COLOUR}">'
                     f'<title>{escape(words.pue_tooltip(year, value))}</title></circle>')
    parts.append(f'<circle cx="{width - right + 24}" cy="{legend_y}" r="4" fill="{FACILITY_COLOUR}"/>')
    parts.append(f'<text x="{width - right + 42}" y="{legend_y + 4}" font-family="sans-serif" font-size="11">'
                 f'{escape(words.facility_series_label(timeline))}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
