"""Importing a plan file against the office's roster: preview (writes nothing), phrase
maps (`--map FILE`), and the all-or-nothing import."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from sqlmodel import Session

from storage.assign import Resolution, load_roster, resolve_plan
from storage.files.errors import ImportFileError
from storage.files.plan import PlanSpec, read_plan
from storage.imports import ImportSummary, save_plan
from storage.issuer import profile_of, short_name
from storage.models import DueKind
from storage.plans import active_plan


@dataclass
class Interpretation:
    spec: PlanSpec
    resolution: Resolution
    mapping: dict[str, list[str]] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        """The preview as the issue defines it: tasks in document order."""
        areas = {t.code: a.title for a in self.spec.areas for t in a.tasks}
        tasks = sorted(self.spec.tasks, key=lambda t: t.order)
        return {
            "title": self.spec.title,
            "number": self.spec.number,
            "year": self.spec.year,
            "tasks": [{
                "code": t.code,
                "area": areas[t.code],
                "content": t.content,
                "deadline_text": t.deadline_text,
                "due_on": None if t.due.kind == DueKind.ON_REQUEST else t.due.end.isoformat(),
                "ongoing": t.due.kind != DueKind.BY_DATE,
                "lead": self.resolution.lead.get(t.code, []),
                "partners": self.resolution.partners.get(t.code, []),
            } for t in tasks],
            "unresolved": [{"row": u.row, "phrase": u.phrase}
                           for u in self.resolution.unresolved],
            "warnings": [{"row": w.row, "message": w.message} for w in self.spec.warnings],
        }

    def summary(self) -> str:
        """The preview in a few Vietnamese lines (for the terminal and the chat)."""
        spec, tasks = self.spec, self.spec.tasks
        dated = sorted(t.due.end for t in tasks if t.due.kind == DueKind.BY_DATE)
        on_request = [t for t in tasks if t.due.kind == DueKind.ON_REQUEST]
        lines = [f"{spec.title} ({spec.number}, năm {spec.year}) — {profile_of(spec).full_name}",
                 f"{len(spec.areas)} mục, {len(tasks)} nhiệm vụ"
                 + (f"; hạn sớm nhất {dated[0]:%d/%m/%Y}, muộn nhất {dated[-1]:%d/%m/%Y}"
                    if dated else "")]
        ongoing = sum(t.due.kind in (DueKind.ONGOING, DueKind.MONTHLY, DueKind.QUARTERLY)
                      for t in tasks)
        if ongoing:
            lines.append(f"{ongoing} nhiệm vụ thường xuyên")
        if on_request:
            lines.append(f"{len(on_request)} nhiệm vụ theo yêu cầu (không nhắc hạn): "
                         + ", ".join(t.code for t in on_request))
        for u in self.resolution.unresolved:
            near = f" — gần nhất: {', '.join(u.nearest)}" if u.nearest else ""
            lines.append(f"Chưa rõ đơn vị: {u.where} “{u.phrase}”{near}")
        for w in spec.warnings:
            lines.append(f"Lưu ý: {w.where + ': ' if w.where else ''}{w.message}")
        return "\n".join(lines)


def read_mapping(path: str | Path) -> dict[str, list[str]]:
    """A `--map` file: YAML, phrase → unit code, group label, or a list of them ([] for a
    body outside the roster: recorded, given to nobody)."""
    file = Path(path)
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as err:
        raise ImportFileError(file, "không đọc được tệp ánh xạ đơn vị (YAML)") from err
    if not isinstance(data, dict):
        raise ImportFileError(file, "tệp ánh xạ cần dạng “cụm từ: [mã đơn vị hoặc nhóm]”")
    mapping: dict[str, list[str]] = {}
    for phrase, targets in data.items():
        listed = targets if isinstance(targets, list) else [] if targets is None else [targets]
        mapping[str(phrase).strip()] = [str(t).strip() for t in listed]
    return mapping


def _checked(session: Session, file: str | Path, spec: PlanSpec,
             mapping: dict[str, list[str]]) -> dict[str, list[str]]:
    """*mapping* with every target as a unit code or "@group"; unknown ones refused."""
    roster = load_roster(session, profile_of(spec))
    checked: dict[str, list[str]] = {}
    for phrase, targets in mapping.items():
        checked[phrase] = []
        for t in targets:
            target = roster.target(t)
            if target is None:
                raise ImportFileError(Path(file).name, f"“{phrase}”: không có đơn vị hay nhóm "
                                                       f"“{t}” trong danh sách đơn vị")
            checked[phrase].append(target)
    return checked


def interpret(session: Session, path: str | Path, *, map_file: str | Path | None = None,
              **meta: Any) -> Interpretation:
    """Read the file and resolve its unit phrases; nothing is written."""
    spec = read_plan(path, **meta)
    current = active_plan(session)
    if not spec.issuer and current is not None:  # the file does not say: the same office
        for name in ("issuer", "issuer_short", "superior", "place", "signer_title",
                     "signer_name"):
            if not getattr(spec, name):
                setattr(spec, name, getattr(current, name))
    spec.issuer = spec.issuer or "Phòng Giáo dục và Đào tạo"
    spec.issuer_short = spec.issuer_short or short_name(spec.issuer)
    mapping = _checked(session, map_file, spec, read_mapping(map_file)) if map_file else {}
    resolution = resolve_plan(spec, load_roster(session, profile_of(spec), mapping))
    return Interpretation(spec, resolution, mapping)


def import_plan(session: Session, path: str | Path, *, map_file: str | Path | None = None,
                **meta: Any) -> tuple[Interpretation, ImportSummary]:
    """Interpret, then write all of it or nothing (`UnresolvedError` lists every unit
    phrase still unknown). A `--map` file's phrases are kept for the next import."""
    found = interpret(session, path, map_file=map_file, **meta)
    return found, save_plan(session, found.spec, found.mapping)
