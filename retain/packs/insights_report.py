"""The HR exit insights report as a file: HTML with SVG charts, or Word with chart images."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment, StrictUndefined
from markupsafe import Markup, escape

from retain.domain.insights import Insights
from retain.errors import InvalidInput
from retain.packs.output import write_atomically

NOTICE = (
    "HR ONLY · CONFIDENTIAL. Built from exit interviews. Never part of a handover pack. "
    "Counts under the reporting minimum, and counts that would reveal them, are hidden."
)
Bars = Sequence[tuple[str, int | None]]


def hidden_text(k: int) -> str:
    """How a hidden count reads."""
    return f"fewer than {k}"


def svg_bars(bars: Bars, k: int, *, width: int = 640) -> Markup:
    """A horizontal bar chart as inline SVG; hidden counts are drawn as grey, labelled bars."""
    row, label_w, pad = 26, 240, 8
    top = max([n for _, n in bars if n is not None] + [k])
    scale = (width - label_w - 90) / top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{row * len(bars) + pad}" '
             'role="img" font-family="Arial, sans-serif" font-size="12">']
    for i, (label, n) in enumerate(bars):
        y = i * row + pad
        name = escape(label if len(label) <= 36 else label[:35] + "…")
        parts.append(f'<text x="0" y="{y + 14}" fill="#1f2933">{name}</text>')
        if n is None:
            parts.append(f'<rect x="{label_w}" y="{y}" width="{k * scale:.1f}" height="18" fill="#d5dbe1"/>')
            parts.append(f'<text x="{label_w + k * scale + 6:.1f}" y="{y + 14}" fill="#5b6573">{hidden_text(k)}</text>')
        else:
            parts.append(f'<rect x="{label_w}" y="{y}" width="{max(n * scale, 1):.1f}" height="18" fill="#1f4e79"/>')
            parts.append(f'<text x="{label_w + n * scale + 6:.1f}" y="{y + 14}" fill="#1f2933">{n}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Exit insights (HR only)</title>
<style>
body { font: 15px/1.5 Arial, "Liberation Sans", sans-serif; color: #1f2933; max-width: 900px; margin: 32px auto; padding: 0 24px; }
h1, h2 { color: #1f4e79; } .notice { border-left: 5px solid #b42318; background: #fdecea; color: #b42318; font-weight: 700; padding: 8px 12px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 20px; } th, td { border: 1px solid #b8c4d1; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #e3ebf4; } .hidden { color: #5b6573; font-style: italic; } .note { color: #5b6573; }
</style></head><body>
<p class="notice">{{ notice }}</p>
<h1>Exit insights by {{ r.by }}</h1>
<p>Reporting minimum: {{ r.min_group }}. {% if r.since %}Exits since {{ r.since }}. {% endif %}
{% if r.n is none %}Fewer than {{ r.min_group }} exits in all: nothing can be shown.{% else %}{{ r.n }} exits.{% endif %}</p>
{% if r.n is not none %}
<h2>Exits per {{ r.by }}</h2>
{{ chart_groups }}
<table><thead><tr><th>{{ r.by|capitalize }}</th><th>n</th><th>{{ "Contributing reasons" if r.by == "reason" else "Main reasons" }}</th></tr></thead><tbody>
{% for g in r.groups %}<tr><td>{{ g.key }}</td>
{% if g.suppressed %}<td class="hidden">{{ hidden }}</td><td class="hidden">hidden to protect a small group</td>
{% else %}<td>{{ g.n }}</td><td>{% for c in g.reasons %}{{ c.reason }}: {% if c.n is none %}<span class="hidden">{{ hidden }}</span>{% else %}{{ c.n }}{% endif %}{{ "" if loop.last else "; " }}{% endfor %}</td>{% endif %}
</tr>{% endfor %}
</tbody></table>
<h2>Main reasons, all exits</h2>
{{ chart_total }}
<h2>Voluntary or involuntary; regrettable losses</h2>
<table><thead><tr><th>Measure</th><th>Value</th><th>n</th></tr></thead><tbody>
{% for name, rows in r.breakdowns.items() %}{% for value, n in rows %}<tr><td>{{ name }}</td><td>{{ value }}</td><td>{% if n is none %}<span class="hidden">{{ hidden }}</span>{% else %}{{ n }}{% endif %}</td></tr>{% endfor %}{% endfor %}
</tbody></table>
{% if r.by == "quarter" %}<h2>Trends</h2>
{% for t in r.trends %}<p>{{ t.start }} → {{ t.end }}: {{ t.n_start }} → {{ t.n_end }} exits{% for reason, a, b in t.reasons %}; {{ reason }} {{ a }} → {{ b }}{% endfor %}.</p>
{% else %}<p class="note">No trend: a trend is shown only when two consecutive quarters both reach the minimum.</p>{% endfor %}{% endif %}
<h2>Themes (suggested codes)</h2>
{% if r.themes %}<p class="note">Phrases that come up in the exit interviews of at least {{ r.min_group }} people. Suggestions for coding, not findings.</p>
<ul>{% for t in r.themes %}<li>{{ t.phrase }} ({{ t.people }} people)</li>{% endfor %}</ul>
{% else %}<p class="note">No phrase comes up in the exits of {{ r.min_group }} or more people.</p>{% endif %}
{% if r.quotes is not none %}<h2>Quotes</h2><p class="note">From groups of at least {{ r.min_group }}; names taken out; never from restricted answers.</p>
{% for key, items in r.quotes.items() %}<h3>{{ key }}</h3><ul>{% for q in items %}<li>“{{ q }}”</li>{% endfor %}</ul>{% endfor %}{% endif %}
{% endif %}
</body></html>
"""


def _group_bars(report: Insights) -> Bars:
    return [(g.key, g.n) for g in report.groups]


def _total_bars(report: Insights) -> Bars:
    return [(c.reason, c.n) for c in report.total or []]


def render_html(report: Insights) -> str:
    """The report as one self-contained HTML file."""
    env = Environment(autoescape=True, undefined=StrictUndefined)
    return env.from_string(HTML).render(
        r=report, notice=NOTICE, hidden=hidden_text(report.min_group),
        chart_groups=svg_bars(_group_bars(report), report.min_group),
        chart_total=svg_bars(_total_bars(report), report.min_group),
    )


def _png_chart(bars: Bars, k: int) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    labels = [label if len(label) <= 36 else label[:35] + "…" for label, _ in bars]
    values = [n if n is not None else k for _, n in bars]
    colours = ["#1f4e79" if n is not None else "#d5dbe1" for _, n in bars]
    figure, axes = pyplot.subplots(figsize=(6.5, 0.35 * len(bars) + 0.8), dpi=150)
    try:
        axes.barh(labels, values, color=colours)
        axes.invert_yaxis()
        for i, (_, n) in enumerate(bars):
            axes.text(values[i] + 0.1, i, str(n) if n is not None else hidden_text(k), va="center", fontsize=8)
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_xlabel("exits")
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        pyplot.close(figure)


def render_docx(report: Insights, path: Path) -> None:
    """The report as a Word document with chart images."""
    from docx import Document
    from docx.shared import Inches

    k = report.min_group
    hidden = hidden_text(k)
    doc = Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "HR ONLY · CONFIDENTIAL · exit insights"
    doc.add_paragraph(NOTICE)
    doc.add_heading(f"Exit insights by {report.by}", level=1)
    since = f"Exits since {report.since}. " if report.since else ""
    total = f"{report.n} exits." if report.n is not None else f"Fewer than {k} exits in all: nothing can be shown."
    doc.add_paragraph(f"Reporting minimum: {k}. {since}{total}")
    if report.n is None:
        doc.save(str(path))
        return
    doc.add_heading(f"Exits per {report.by}", level=2)
    doc.add_picture(io.BytesIO(_png_chart(_group_bars(report), k)), width=Inches(6))
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, (report.by.capitalize(), "n", "Reasons"), strict=True):
        cell.text = title
    for group in report.groups:
        row = table.add_row().cells
        row[0].text = group.key
        row[1].text = hidden if group.n is None else str(group.n)
        row[2].text = "hidden to protect a small group" if group.reasons is None else "; ".join(
            f"{c.reason}: {hidden if c.n is None else c.n}" for c in group.reasons
        )
    doc.add_heading("Main reasons, all exits", level=2)
    doc.add_picture(io.BytesIO(_png_chart(_total_bars(report), k)), width=Inches(6))
    doc.add_heading("Voluntary or involuntary; regrettable losses", level=2)
    for name, rows in report.breakdowns.items():
        doc.add_paragraph(f"{name}: " + "; ".join(f"{v} {hidden if n is None else n}" for v, n in rows))
    if report.by == "quarter":
        doc.add_heading("Trends", level=2)
        for t in report.trends:
            doc.add_paragraph(f"{t.start} → {t.end}: {t.n_start} → {t.n_end} exits")
        if not report.trends:
            doc.add_paragraph("No trend: two consecutive quarters must both reach the minimum.")
    doc.add_heading("Themes (suggested codes)", level=2)
    for theme in report.themes:
        doc.add_paragraph(f"{theme.phrase} ({theme.people} people)", style="List Bullet")
    if not report.themes:
        doc.add_paragraph(f"No phrase comes up in the exits of {k} or more people.")
    if report.quotes is not None:
        doc.add_heading("Quotes", level=2)
        for key, items in report.quotes.items():
            doc.add_heading(key, level=3)
            for quote in items:
                doc.add_paragraph(f"“{quote}”", style="List Bullet")
    doc.save(str(path))


def write_report(report: Insights, out: Path) -> Path:
    """Write ``out`` (.html or .docx) owner-only; never clobbers an existing file.

    Raises:
        InvalidInput: For another file type.
    """
    suffix = out.suffix.lower()
    if suffix == ".html":
        html = render_html(report)

        def write_html(temp: Path) -> None:
            temp.write_text(html, encoding="utf-8")

        return write_atomically(out, write_html, private=True)
    if suffix == ".docx":
        return write_atomically(out, lambda temp: render_docx(report, temp), private=True)
    raise InvalidInput(f"{out.name}: the insights report is written as .html or .docx; pass --out FILE.html")
