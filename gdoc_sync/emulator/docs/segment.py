"""One Docs segment (a body, header, footer or footnote) with the named ranges anchored in it.

Edits must stay cheap on a 10,000-paragraph body, so nothing is renumbered eagerly: item
starts are prefix sums recomputed lazily from the first item an edit touched, and a named
range's ends are anchors, an offset inside one top-level item, so an edit moves only the
anchors of the items it rewrites.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Any

from gdoc_sync.emulator.docs.tree import Item


class Anchor:
    """One end of a range: offset from the start of its host, a top-level item."""

    __slots__ = ("host", "is_end", "off", "ref")

    def __init__(self, is_end: bool, ref: RangeRef) -> None:
        self.is_end = is_end
        self.ref = ref
        self.host: Any = None
        self.off = 0


class RangeRef:
    """One of a named range's ranges; emits tabId only when the imported range had one."""

    __slots__ = ("end", "named", "seg", "start", "tab_id")

    def __init__(self, seg: Segment, named: NamedRange, tab_id: str | None) -> None:
        self.seg = seg
        self.named = named
        self.tab_id = tab_id
        self.start = Anchor(False, self)
        self.end = Anchor(True, self)


class NamedRange:
    __slots__ = ("id", "name", "refs")

    def __init__(self, named_range_id: str, name: str) -> None:
        self.id = named_range_id
        self.name = name
        self.refs: list[RangeRef] = []


def moved(x: int, is_end: bool, start: int, end: int, n: int) -> int:
    """Where a range end at x goes when [start, end) is replaced by n code units.

    Text inserted at a range's start lands before it and text inserted at its end after it,
    so only an insertion strictly inside a range grows it; a start inside the replaced span
    goes to the new text's start and an end inside it to the new text's end.
    """
    if is_end:
        if x <= start:
            return x
        if x <= end:
            return start + n
    else:
        if x < start:
            return x
        if x < end:
            return start
    return x - (end - start) + n


class Segment:
    __slots__ = ("_index", "id", "items", "kind", "lens", "props", "starts", "total", "valid")

    def __init__(self, kind: str, segment_id: str, items: list[Item], props: dict[str, Any]):
        self.kind = kind  # "body", "headers", "footers" or "footnotes"
        self.id = segment_id
        self.props = props  # the segment's JSON minus its content
        self.items = items
        self.lens = [it.n for it in items]
        self.total = sum(self.lens)
        # starts[k] is the start of items[k] for k <= valid; the rest is stale until an
        # _extend, which an edit near the end of the document then needs for little.
        self.starts = [0]
        self.valid = 0
        self._index: dict[int, int] | None = None

    def _extend(self, pos: int | None = None, index: int | None = None) -> None:
        """Makes starts valid past pos (or up to index; with neither, everywhere).

        Grows in doubling steps, so an edit just after the previous one costs what lies
        between them, not a pass over the rest of the document.
        """
        v, n = self.valid, len(self.items)
        starts, lens = self.starts, self.lens
        step = 64
        while v < n and (
            (pos is None and index is None)
            or (pos is not None and starts[v] <= pos)
            or (index is not None and v < index)
        ):
            hi = min(n, v + step)
            starts[v : hi + 1] = accumulate(lens[v:hi], initial=starts[v])
            v = hi
            step *= 2
        self.valid = v

    def locate(self, pos: int) -> tuple[int, int]:
        """Index and start of the top-level item holding pos (0 <= pos < total)."""
        v = self.valid
        starts = self.starts
        if pos >= starts[v]:
            if v < len(self.items) and pos < starts[v] + self.lens[v]:
                return v, starts[v]
            self._extend(pos=pos)
            v = self.valid
        k = bisect_right(starts, pos, 0, v + 1) - 1
        return k, starts[k]

    def start_of(self, k: int) -> int:
        if k > self.valid:
            self._extend(index=k)
        return self.starts[k]

    def index_of(self, item: Item) -> int:
        if self._index is None:
            self._index = {id(it): k for k, it in enumerate(self.items)}
        return self._index[id(item)]

    def pos(self, anchor: Anchor) -> int:
        return self.start_of(self.index_of(anchor.host)) + anchor.off

    def attach(self, anchor: Anchor, pos: int) -> None:
        """Hangs an anchor on the item a start at pos belongs to (an end: the item before)."""
        if anchor.is_end:
            k, start = self.locate(pos - 1) if pos > 0 else (0, 0)
        elif pos < self.total:
            k, start = self.locate(pos)
        else:
            k = len(self.items) - 1
            start = self.start_of(k)
        self._hang(anchor, self.items[k], pos - start)

    @staticmethod
    def _hang(anchor: Anchor, host: Any, off: int) -> None:
        anchor.host = host
        anchor.off = off
        if host.anchors is None:
            host.anchors = [anchor]
        else:
            host.anchors.append(anchor)

    @staticmethod
    def detach(anchor: Anchor) -> None:
        anchors = anchor.host.anchors
        anchors.remove(anchor)
        if not anchors:
            anchor.host.anchors = None

    def rewrite(
        self,
        k1: int,
        k2: int,
        new_items: list[Item],
        start: int,
        end: int,
        edits: list[tuple[int, int, int]] | None = None,
    ) -> list[RangeRef]:
        """Puts new_items in place of items[k1..k2] after [start, end) was replaced in them.

        The old items may already be edited in place: their lengths before the edit are
        still in lens. edits, when given, lists several replacements instead, as (start, end,
        new length) in ascending order. Returns the ranges the edit emptied.
        """
        items, lens = self.items, self.lens
        s1 = self.start_of(k1)
        old_total = sum(lens[k1 : k2 + 1])
        new_lens = [it.n for it in new_items]
        new_total = sum(new_lens)
        if edits is None:
            edits = [(start, end, new_total - old_total + (end - start))]
        in_place = k1 == k2 and len(new_items) == 1 and new_items[0] is items[k1]
        carried: list[tuple[Anchor, int]] = []
        if not in_place:
            x = s1
            for k in range(k1, k2 + 1):
                it = items[k]
                if it.anchors:
                    carried.extend((a, x + a.off) for a in it.anchors)
                    it.anchors = None
                x += lens[k]
            self._index = None
        items[k1 : k2 + 1] = new_items
        lens[k1 : k2 + 1] = new_lens
        self.total += new_total - old_total
        self.valid = min(self.valid, k1)
        if in_place:
            return self._shift(new_items[0], s1, edits)
        if not carried:
            return []
        cum = list(accumulate(new_lens, initial=s1))
        count = len(new_items)
        ends: dict[RangeRef, list[int]] = {}
        for anchor, x in carried:
            y = x
            for edit in reversed(edits):
                y = moved(y, anchor.is_end, *edit)
            if anchor.is_end:
                j = bisect_left(cum, y) - 1
                if 0 <= j < count:
                    self._hang(anchor, new_items[j], y - cum[j])
                elif j < 0 and k1 > 0 and y == s1:
                    self._hang(anchor, items[k1 - 1], lens[k1 - 1])
                else:
                    self.attach(anchor, y)
            else:
                j = bisect_right(cum, y) - 1
                if 0 <= j < count:
                    self._hang(anchor, new_items[j], y - cum[j])
                elif j >= count and k1 + count < len(items) and y == cum[count]:
                    self._hang(anchor, items[k1 + count], 0)
                else:
                    self.attach(anchor, y)
            ends.setdefault(anchor.ref, [0, 0])[anchor.is_end] = y + 1
        return [ref for ref, (s, e) in ends.items() if s and e and s >= e]

    def _shift(self, host: Any, s1: int, edits: list[tuple[int, int, int]]) -> list[RangeRef]:
        """Moves the anchors of an item edited in place (the common edit) where they hang.

        Costs one step per anchor of the item: fine for a paragraph, noticeable for a table
        holding thousands of named ranges, whose ends all hang on the table.
        """
        if not host.anchors:
            return []
        first = edits[0][0] - s1
        touched: list[Anchor] = []
        for anchor in host.anchors:
            off = anchor.off
            if off < first or (off == first and anchor.is_end):
                continue
            x = y = s1 + off
            for edit in reversed(edits):
                y = moved(y, anchor.is_end, *edit)
            if y != x:
                anchor.off = y - s1
                touched.append(anchor)
        emptied = []
        for anchor in touched:
            if not anchor.is_end and anchor.off >= host.n:
                # A start at the item's very end belongs to the next item.
                self.detach(anchor)
                self.attach(anchor, s1 + anchor.off)
            ref = anchor.ref
            if (
                ref.start.host is ref.end.host
                and ref.start.off >= ref.end.off
                and ref not in emptied
            ):
                emptied.append(ref)
        return emptied
