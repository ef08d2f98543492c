"""The report as one self-contained, printable HTML page with inline SVG charts: no script, and
nothing fetched (no fonts, images, styles or links loaded from anywhere)."""

from __future__ import annotations

from html import escape
from typing import Any

from gdoc_sync.core.sheet import CHANNEL, QUESTION, STATUS, shown_value
from gdoc_sync.locales.texts import base_language, text_direction, texts
from gdoc_sync.report.markdown import gender_card, missing_hint, session_details, when
from gdoc_sync.report.sheet import OTHER_GROUP
from gdoc_sync.report.svg import bar_chart, heat_map

STYLE = """
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif;
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #1a202c; }
h1 { font-size: 1.7rem; margin-bottom: .3rem; }
h2 { border-bottom: 2px solid #2b6cb0; padding-bottom: .2rem; margin-top: 2rem; }
h3 { margin-top: 1.5rem; }
.missing { border: 2px solid #c53030; background: #fff5f5; padding: .5rem 1rem; }
.missing h2 { border: none; margin: .2rem 0; color: #c53030; font-size: 1.1rem; }
.todo { color: #c53030; font-style: italic; }
dl.details { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.details dt { font-weight: 600; }
dl.details dd { margin: 0; }
.who { color: #4a5568; }
table { border-collapse: collapse; }
th, td { border: 1px solid #cbd5e0; padding: .2rem .6rem; text-align: left; }
td.n { text-align: right; }
svg.chart { max-width: 100%; height: auto; display: block; margin: .5rem 0 1rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1a202c; }
svg text.chart-title { font-weight: 600; font-size: 13px; }
figure { margin: 0; break-inside: avoid; }
@page { margin: 1.6cm; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2, h3, h4 { break-after: avoid; }
  li, tr { break-inside: avoid; }
  .missing { break-inside: avoid; }
}
"""


def h(value: Any) -> str:
    """Text of a field, inert in HTML (it is already neutralised in the data)."""
    return escape(str(value), quote=True)


def _names(people: list[dict[str, str]]) -> str:
    shown = []
    for p in people:
        details = ", ".join(x for x in (p["affiliation"], p["group"]) if x)
        shown.append(h(p["name"]) + (f" <span class=who>({h(details)})</span>" if details else ""))
    return "; ".join(shown)


def _lines(text: str) -> str:
    return "".join(f"<p>{h(line.strip())}</p>" for line in text.splitlines() if line.strip())


def _page(title: str, body: list[str], lang: str = "en") -> str:
    direction = ' dir="rtl"' if text_direction(lang) == "rtl" else ""
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{h(lang)}"{direction}><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            # Nothing may load: no script, no remote style, image, font or frame.
            '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; img-src data:\">",
            f"<title>{h(title)}</title>",
            f"<style>{STYLE}</style>",
            "</head><body>",
            *body,
            "</body></html>",
        ]
    )


def charts(data: dict[str, Any], language: str = "en") -> list[str]:
    r = texts(language)["report"]
    p = data["participation"]
    groups = [_group_name(row["group"], r) for row in p["by_group"]]
    m = data["matrix"]
    return [
        "<figure>",
        bar_chart(
            r["chart_by_group"],
            groups,
            [
                (shown_value(CHANNEL, ch, language), [row[ch] for row in p["by_group"]])
                for ch in ("onsite", "online")
            ],
            css_class="by-group",
        ),
        "</figure><figure>",
        bar_chart(
            r["chart_by_channel"],
            [shown_value(CHANNEL, ch, language) for ch in p["by_channel"]],
            [(r["contributions"], list(p["by_channel"].values()))],
            css_class="by-channel",
        ),
        "</figure><figure>",
        heat_map(
            r["chart_matrix"],
            [texts(language)["matrix.unassigned"] if g == "Unassigned" else g for g in m["groups"]],
            [shown_value(QUESTION, q, language) for q in m["questions"]],
            m["counts"],
        ),
        "</figure>",
    ]


def render_html(data: dict[str, Any], language: str = "en", report_tab: str | None = None) -> str:
    """The printable report, its headings and labels in `language` (right to left in Arabic);
    `report_tab`: the Report tab's title, as the Sheet has it (else the language's)."""
    r = texts(language)["report"]
    s = data["session"]
    body: list[str] = [f"<h1>{h(s['title'])}</h1>"]
    subtitle = " · ".join(x for x in (s["event"], when(s, language), s["location"]) if x)
    if subtitle:
        body.append(f"<p class=who>{h(subtitle)}</p>")
    if data["missing"]:
        body.append(f'<section class="missing"><h2>{r["missing_html"]}</h2><ul>')
        body += [f"<li>{h(m)}</li>" for m in data["missing"]]
        body.append(f"</ul><p>{h(missing_hint(language, report_tab))}</p>")
        body.append("</section>")

    body.append(f"<h2>{h(r['short_report'])}</h2><h3>{h(r['key_takeaways'])}</h3>")
    for key, title in (("key_takeaways", None), ("calls_to_action", h(r["calls_to_action"]))):
        if title:
            body.append(f"<h3>{title}</h3>")
        items = data["short_report"][key]
        if items:
            body.append("<ol>" + "".join(f"<li>{h(t)}</li>" for t in items) + "</ol>")
        else:
            body.append(f"<p class=todo>{h(r['not_written'])}</p>")

    body.append(
        f"<h2>{h(r['full_report'])}</h2><h3>{h(r['session_details'])}</h3><dl class=details>"
    )
    for label, value in session_details(s, language):
        shown = h(value) if isinstance(value, str) else _names(value)
        body.append(f"<dt>{h(label)}</dt><dd>{shown}</dd>")
    body.append(f"</dl><h3>{h(r['policy_questions'])}</h3><ol class=questions>")
    for q in data["policy_questions"]:
        if q["id"] != "online":
            body.append(f"<li><strong>{h(q['id'])}.</strong> {h(q['text'])}</li>")
    body.append(f"</ol><h3>{h(r['discussion'])}</h3>")
    for q in data["policy_questions"]:
        title = q["text"] if q["id"] == "online" else f"{q['id']}. {q['text']}"
        body.append(f'<h4 data-question="{h(q["id"])}">{h(title)}</h4>')
        body.append(_lines(q["summary"]) or f"<p class=todo>{h(r['summary_not_written'])}</p>")
        if not q["points"]:
            body.append(f"<p>{h(r['no_points'])}</p>")
            continue
        body.append("<ul class=points>")
        for item in q["points"]:
            to = ", ".join(item["addressees"]) or r["no_group_named"]
            lines = [x.strip() for x in item["text"].splitlines() if x.strip()] or [""]
            who = ", ".join(
                x
                for x in (
                    item["speaker"],
                    item["proposer_group"],
                    shown_value(CHANNEL, item["channel"], language),
                )
                if x
            )
            detail = "".join(f"<li>{h(x)}</li>" for x in lines[1:])
            body.append(
                f'<li data-id="{h(item["id"])}"><strong>{h(to)}{h(r["colon"])}</strong> '
                f"<bdi>{h(lines[0])}</bdi>"
                + (f" <span class=who>(<bdi>{h(who)}</bdi>)</span>" if who else "")
                + (f"<ul>{detail}</ul>" if detail else "")
                + "</li>"
            )
        body.append("</ul>")
    body.append(f"<h3>{h(r['actions_per_group'])}</h3>")
    if not data["action_points"]:
        body.append(f"<p>{h(r['no_actions'])}</p>")
    for group in data["action_points"]:
        body.append(f"<h4>{h(group['group'])}</h4><ol class=actions>")
        for a in group["actions"]:
            question = shown_value(QUESTION, a["question"], language)
            trace = ", ".join(x for x in (question, a["speaker"], a["proposer_group"]) if x)
            body.append(
                f'<li data-id="{h(a["id"])}"><bdi>{h(a["text"])}</bdi> '
                f"<span class=who>(<bdi>{h(trace)}</bdi>)</span></li>"
            )
        body.append("</ol>")
    p = data["participation"]
    noted = h(r["contributions_noted"].format(n=p["contributions"]))
    body.append(f"<h3>{h(r['participation'])}</h3><p>{noted}</p>")
    body += charts(data, language)
    body.append(
        f"<table><thead><tr><th>{h(r['speakers_group'])}</th><th>{h(r['onsite'])}</th>"
        f"<th>{h(r['online'])}</th><th>{h(r['total'])}</th></tr></thead><tbody>"
    )
    for row in p["by_group"]:
        body.append(
            f"<tr><td>{h(_group_name(row['group'], r))}</td><td class=n>{row['onsite']}</td>"
            f"<td class=n>{row['online']}</td><td class=n>{row['total']}</td></tr>"
        )
    body.append("</tbody></table>")
    body.append(f"<h3>{h(r['gender_card'])}</h3><dl class=details>")
    for item, given in gender_card(data, language):
        shown = (h(given) if given else "") or f"<span class=todo>{h(r['not_given'])}</span>"
        body.append(f"<dt>{h(item)}</dt><dd>{shown}</dd>")
    body[-1] += "</dl>"
    if data["withdrawn_or_removed"] is not None:
        body.append(f"<h3>{h(r['withdrawn_title'])}</h3><ul>")
        for item in data["withdrawn_or_removed"]:
            status = shown_value(STATUS, item["status"], language)
            where = shown_value(QUESTION, item["question"], language)
            body.append(
                f"<li>{h(item['id'])} ({h(where)}, {h(status)}){h(r['colon'])} "
                f"<bdi>{h(item['text'])}</bdi></li>"
            )
        body.append("</ul>")
    return _page(s["title"], body, base_language(language))


def _group_name(name: str, r: dict[str, str]) -> str:
    """A participation row's group: the one for speakers of no known group in the language."""
    return r["other_group"] if name == OTHER_GROUP else name
