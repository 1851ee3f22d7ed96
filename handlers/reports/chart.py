"""The chart (PNG): completion by area and by kind of school, readable on a phone."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402

from handlers.dates import day_short  # noqa: E402
from handlers.reports.labels import ORDER, STRONG, WORDS  # noqa: E402
from handlers.reports.snapshot import Snapshot  # noqa: E402
from handlers.reports.tally import Counts  # noqa: E402
from storage.files.unitkinds import KIND_NAMES  # noqa: E402
from storage.models import UnitKind  # noqa: E402

HATCH = {"overdue": "//"}  # overdue also told apart by a pattern, not only by colour


def _bars(ax: Axes, labels: list[str], counts: list[Counts], title: str) -> None:
    left = [0.0] * len(labels)
    for m in ORDER:
        values = [100 * c.of(m) / c.total if c.total else 0 for c in counts]
        ax.barh(labels, values, left=left, color=f"#{STRONG[m]}", label=WORDS[m],
                edgecolor="white", hatch=HATCH.get(m.value))
        left = [a + b for a, b in zip(left, values, strict=True)]
    for i, c in enumerate(counts):
        ax.text(101, i, f"{c.percent}%", va="center", fontsize=11, fontweight="bold")
    ax.set_xlim(0, 112)
    ax.invert_yaxis()
    ax.set_title(title, fontsize=13, fontweight="bold", loc="left")
    ax.set_xlabel("% lượt việc")
    ax.tick_params(axis="y", labelsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def _label(text: str, width: int = 30) -> str:
    lines = textwrap.wrap(text, width)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="…")]
    return "\n".join(lines)


def write_png(s: Snapshot, path: Path) -> Path:
    areas = [(a, c) for a, c in s.by_area if c.total]
    per_kind: dict[UnitKind, Counts] = {}
    for unit, c, _ in s.by_unit:
        total = per_kind.setdefault(unit.kind, Counts())
        total.merge(c)
    kinds = [k for k in (UnitKind.OFFICE, UnitKind.MN, UnitKind.TH, UnitKind.THCS, UnitKind.PT)
             if k in per_kind]
    kind_counts = [per_kind[k] for k in kinds]
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(7.2, 4.2 + 0.62 * (len(areas) + len(kinds))),
        gridspec_kw={"height_ratios": [max(len(areas), 1), max(len(kinds), 1)]})
    _bars(top, [_label(f"{a.number}. {a.title}") for a, _ in areas],
          [c for _, c in areas], "Theo mục")
    _bars(bottom, [KIND_NAMES[k] for k in kinds], kind_counts, "Theo loại đơn vị")
    fig.suptitle(f"Tiến độ Kế hoạch {s.plan.number} — đến {day_short(s.today)}\n"
                 f"Hoàn thành {s.overall.done}/{s.overall.total} lượt việc "
                 f"({s.overall.percent}%)", fontsize=14, fontweight="bold", x=0.02, ha="left")
    handles, labels = top.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=2, fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.11, 1, 0.97))
    figures = {"as_of": s.today.isoformat(), "total": s.overall.total, "done": s.overall.done,
               **{m.value: s.overall.of(m) for m in ORDER}}
    fig.savefig(path, dpi=150, metadata={"Description": json.dumps(figures)})
    plt.close(fig)
    return path
