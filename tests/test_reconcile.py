"""Reconciling the Doc's contributions with the Sheet's rows (pure: no API)."""

from __future__ import annotations

import pytest

from gdoc_sync.core.model import (
    Channel,
    Contribution,
    PolicyQuestion,
    SessionConfig,
    StakeholderGroup,
)
from gdoc_sync.core.reconcile import plan_sync
from gdoc_sync.core.sheet import HEADER, ContributionsTab, config_rows, parse_config
from gdoc_sync.errors import MassRemovalError

CONFIG = SessionConfig(
    session_id="s",
    title="T",
    groups=(
        StakeholderGroup("investors", "Investors", ("VCs",)),
        StakeholderGroup("cso", "Civil society", ("CSO", "NGOs")),
    ),
    questions=(PolicyQuestion("Q1", "What?"), PolicyQuestion("Q2", "How?")),
    document_id="doc",
)
NOW = "2025-06-25T10:00:00Z"


def contribution(
    text: str, *, cid: str = "", q: str = "Q1", groups=("investors",), withdrawn: bool = False
) -> Contribution:
    return Contribution(
        question_id=q,
        text=text,
        body=text,
        addressees=tuple(groups),
        id=cid,
        withdrawn=withdrawn,
        channel=Channel.onsite,
        start_index=10,
        end_index=20,
    )


def tab_from(plan_writes: list[dict], base: ContributionsTab | None = None) -> ContributionsTab:
    """Apply a plan's writes to an in-memory tab, as the Sheet would."""
    import re

    rows = [list(HEADER)] + [list(r) for r in (base.rows if base else [])]
    for write in plan_writes:
        sheet, _, cells = write["range"].partition("!")
        if "Contributions" not in sheet:
            continue
        m = re.match(r"([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?", cells)
        col = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(m.group(1)))) - 1
        row = int(m.group(2)) - 1
        for r, values in enumerate(write["values"]):
            while len(rows) <= row + r:
                rows.append([""] * len(HEADER))
            target = rows[row + r]
            while len(target) < len(HEADER):
                target.append("")
            for c, value in enumerate(values):
                target[col + c] = value
    return ContributionsTab.parse(rows)


def empty_tab() -> ContributionsTab:
    return ContributionsTab.parse([list(HEADER)])


def test_new_contributions_get_sequential_ids_and_anchors() -> None:
    plan = plan_sync(
        [contribution("a"), contribution("b", groups=())], empty_tab(), CONFIG, now=NOW
    )
    assert [a[0] for a in plan.anchors] == ["C0001", "C0002"]
    assert [c.id for c in plan.added] == ["C0001", "C0002"]
    assert [c.id for c in plan.unassigned] == ["C0002"]
    tab = tab_from(plan.cell_writes)
    assert [tab.cell(r, "ID") for r in tab.rows] == ["C0001", "C0002"]
    assert tab.cell(tab.rows[1], "Status") == "unassigned"
    assert tab.cell(tab.rows[0], "Addressees") == "Investors"


def test_second_identical_sync_writes_nothing() -> None:
    first = plan_sync([contribution("a")], empty_tab(), CONFIG, now=NOW)
    tab = tab_from(first.cell_writes)
    again = plan_sync([contribution("a", cid="C0001")], tab, CONFIG, now="later")
    assert again.cell_writes == [] and again.anchors == [] and again.added == []


def test_edit_keeps_the_row_and_marks_it_edited() -> None:
    tab = tab_from(
        plan_sync([contribution("Investors should act")], empty_tab(), CONFIG, now=NOW).cell_writes
    )
    plan = plan_sync([contribution("Investors should act now", cid="C0001")], tab, CONFIG, now="t2")
    assert [c.id for c in plan.edited] == ["C0001"]
    tab2 = tab_from(plan.cell_writes, tab)
    assert len(tab2.rows) == 1
    assert tab2.cell(tab2.rows[0], "Status") == "edited"
    assert tab2.cell(tab2.rows[0], "First seen") == NOW
    assert tab2.cell(tab2.rows[0], "Last changed") == "t2"


def test_lost_anchor_is_found_again_only_by_the_whole_line() -> None:
    tab = tab_from(
        plan_sync(
            [contribution("Investors must publish their HRDD policies")],
            empty_tab(),
            CONFIG,
            now=NOW,
        ).cell_writes
    )
    same = plan_sync(
        [contribution("Investors must publish their HRDD policies")], tab, CONFIG, now="t2"
    )
    assert same.anchors[0][0] == "C0001"
    assert same.added == [] and same.maybe == []
    similar = plan_sync(
        [contribution("Investors must publish their HRDD policy")],
        tab,
        CONFIG,
        now="t2",
        accept_removals=True,
    )
    assert similar.anchors[0][0] == "C0002"
    assert [(c.id, old) for c, old in similar.maybe] == [("C0002", "C0001")]
    after = tab_from(similar.cell_writes, tab)
    assert after.cell(after.rows[1], "Sync note").startswith("may be C0001 (removed from the Doc)")
    assert after.cell(after.rows[0], "Status") == "removed from doc"


def test_human_columns_are_never_written() -> None:
    tab = tab_from(
        plan_sync([contribution("a"), contribution("b")], empty_tab(), CONFIG, now=NOW).cell_writes
    )
    tab.rows[0][HEADER.index("Final wording")] = "keep me"
    plan = plan_sync(
        [contribution("a changed", cid="C0001")], tab, CONFIG, now="t2", accept_removals=True
    )
    human = {HEADER.index(n) for n in ("Include", "Final wording", "Priority", "Rapporteur note")}
    import re

    for write in plan.cell_writes:
        if not write["range"].startswith("'Contributions'"):
            continue
        m = re.search(r"!([A-Z]+)\d+(?::([A-Z]+)\d+)?", write["range"])
        first = ord(m.group(1)) - 65
        last = ord(m.group(2) or m.group(1)) - 65
        assert not human & set(range(first, last + 1))


def test_rows_follow_their_id_after_a_sort() -> None:
    tab = tab_from(
        plan_sync([contribution("a"), contribution("b")], empty_tab(), CONFIG, now=NOW).cell_writes
    )
    tab.rows.reverse()  # a person sorted the sheet
    plan = plan_sync(
        [contribution("a", cid="C0001"), contribution("b!", cid="C0002")], tab, CONFIG, now="t2"
    )
    (write,) = [
        w
        for w in plan.cell_writes
        if w["range"].startswith("'Contributions'") and w["values"][0][0:1] != [""]
    ][:1]
    assert write["range"].endswith("2") and "b!" in write["values"][0]  # C0002 now on row 2


def test_removed_rows_are_marked_not_deleted_and_mass_removal_is_refused() -> None:
    items = [contribution(t) for t in "abcd"]
    tab = tab_from(plan_sync(items, empty_tab(), CONFIG, now=NOW).cell_writes)
    keep = [
        contribution("a", cid="C0001"),
        contribution("b", cid="C0002"),
        contribution("c", cid="C0003"),
    ]
    plan = plan_sync(keep, tab, CONFIG, now="t2")
    assert [c.id for c in plan.removed] == ["C0004"]
    assert (
        tab_from(plan.cell_writes, tab).cell(tab_from(plan.cell_writes, tab).rows[3], "Status")
        == "removed from doc"
    )
    with pytest.raises(MassRemovalError, match="would mark 3 of 4 contributions as removed"):
        plan_sync([contribution("a", cid="C0001")], tab, CONFIG, now="t2")
    allowed = plan_sync(
        [contribution("a", cid="C0001")], tab, CONFIG, now="t2", accept_removals=True
    )
    assert len(allowed.removed) == 3


def test_withdrawn_and_formula_like_text_kept_verbatim() -> None:
    formula = '=IMPORTXML("http://x", "//a")'
    plan = plan_sync(
        [contribution(formula), contribution("gone", withdrawn=True)], empty_tab(), CONFIG, now=NOW
    )
    tab = tab_from(plan.cell_writes)
    assert tab.cell(tab.rows[0], "Contribution") == formula
    assert tab.cell(tab.rows[1], "Status") == "withdrawn"
    matrix_text = "\n".join(str(c) for row in plan.matrix for c in row)
    assert "gone" not in matrix_text and "C0001" in matrix_text


def test_matrix_counts_groups_by_question_with_unassigned_row() -> None:
    plan = plan_sync(
        [
            contribution("a", groups=("investors", "cso")),
            contribution("b", q="Q2", groups=("cso",)),
            contribution("c", groups=()),
        ],
        empty_tab(),
        CONFIG,
        now=NOW,
    )
    header, investors, cso, unassigned, totals = plan.matrix
    assert header[0] == "Stakeholder group" and header[-1] == "Total"
    assert investors[0] == "Investors" and investors[-1] == 1
    assert cso[-1] == 2 and "C0002 b" in cso[2]
    assert unassigned[0] == "Unassigned" and unassigned[-1] == 1
    assert totals[1:] == [3, 1, 0, 4]  # Q1, Q2, the online discussion, all


def test_config_tab_round_trips_unicode() -> None:
    config = SessionConfig(
        session_id="s-1",
        title="Séance ✊🏽 جلسة",
        groups=(StakeholderGroup("cs", "Société civile", ("ONG", "CSO")),),
        questions=(PolicyQuestion("Q1", "¿Qué?", ("prompt «1»",)),),
        document_id="d",
        spreadsheet_id="x",
        facts={"event": "IGF", "n": 3},
    )
    assert parse_config(config_rows(config)) == config
