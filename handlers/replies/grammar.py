"""The status-reply grammar: what a principal's few words mean.

"xong 1.1", "1.2 đang làm 50%", "chưa xong 1.1", "1.1 gặp khó khăn: thiếu kinh phí",
"xong 2.1 2.2 2.3", "đã nộp báo cáo quý I", "hoàn tác" — typed with or without
diacritics, in NFC or NFD. Matching runs on the folded text (no diacritics, lower case)
while reasons are cut from the original, so they keep their diacritics.

Safety rule: a clause that holds a negation ("chưa", "không", "chẳng") is never read as
done.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from storage.models import State
from storage.textnorm import fold, nfc

CODE = re.compile(r"(?<![\d./])(\d{1,2})\.(\d{1,2})(?![\d%/]|\.\d)")
URL = re.compile(r"https?://\S+", re.IGNORECASE)
PERCENT = re.compile(r"(\d{1,3})\s*(?:%|phan tram)")
CLAUSE_BREAK = re.compile(r"[;\n]|,(?!\d)|(?<!\d)\.(?!\d)|\.(?=\s|$)|\s(?:va|con|nhung|roi thi)\s")
NEGATION = re.compile(r"\b(chua|khong|chang|ko|k|kg|hok)\b")
BLOCKED = re.compile(r"\b(gap kho khan|gap vuong mac|kho khan|vuong mac|vuong|bi vuong|"
                     r"bi tac|ach tac|khong the|khong lam duoc|khong hoan thanh duoc|"
                     r"khong thuc hien duoc|chua the)\b")
NOT_STARTED = re.compile(r"\b(chua (lam|bat dau|trien khai|thuc hien))\b")
DONE = re.compile(r"(\b(xong|hoan thanh|hoan tat|ok|oke|okay|done|da lam|da thuc hien)\b"
                  r"|[✅✔☑👍])")
PROGRESS = re.compile(r"\b(dang (lam|thuc hien|trien khai|tien hanh|xu ly|hoan thien)|dang|"
                      r"duoc|tien do|mot phan)\b")
REPORT = re.compile(r"\b(nop|gui|hoan thanh|da co)\b[^0-9]*\bbao cao\b")
SNOOZE_HOURS = re.compile(r"\bnhac(?: lai)? sau (\d{1,2}) ?(?:gio|tieng|h)\b")
SNOOZE_TOMORROW = re.compile(r"\bnhac(?: lai)? (?:vao )?(?:ngay mai|mai|hom sau)\b")
PAUSE = re.compile(r"\b(?:tam dung|tam ngung|ngung|dung) nhac(?: viec| nho)? (?:den|toi|cho den)"
                   r"(?: het)?(?: ngay)? (\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}))?")
ACK = re.compile(r"^\W*(?:da nhan|da doc|da xem|nhan duoc|da nam duoc|da ro)\b")
UNDO = re.compile(r"^\s*/?(hoan tac|hoantac|huy|undo|ghi nham|nham)\b")


@dataclass(frozen=True)
class Update:
    """One thing to record. `code` None means "the task this message replies to"."""

    code: str | None
    state: State
    percent: int | None = None
    reason: str = ""


@dataclass
class Parsed:
    updates: list[Update] = field(default_factory=list)
    report: str | None = None  # "Q1", "H1", "Q3", "Y", "ADHOC", or "?" when not said
    report_negated: bool = False
    undo: bool = False
    links: list[str] = field(default_factory=list)
    codes_without_state: list[str] = field(default_factory=list)
    snooze_hours: int | None = None
    snooze_tomorrow: bool = False
    pause_until: tuple[int, int, int | None] | None = None  # day, month, year if written
    ack: bool = False

    @property
    def understood(self) -> bool:
        return bool(self.updates or self.report or self.undo or self.quiet or self.ack)

    @property
    def quiet(self) -> bool:
        return bool(self.snooze_hours or self.snooze_tomorrow or self.pause_until)


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    f = fold(ch)
    return f if len(f) == 1 else " "


def _folded_parallel(text: str) -> str:
    """Fold char by char so that folded[i] stands for text[i] (reasons keep diacritics)."""
    return "".join(map(_fold_char, text))


@dataclass
class _Item:
    code: str | None
    state: State | None
    percent: int | None
    reason: str
    start: int


def _state_of(words: str) -> tuple[State | None, int | None, int | None]:
    """State, percent and where a blocked reason starts (an index into *words*)."""
    found = PERCENT.search(words)
    percent = int(found.group(1)) if found and int(found.group(1)) <= 100 else None
    blocked = BLOCKED.search(words)
    if blocked:
        return State.BLOCKED, percent, blocked.end()
    if NEGATION.search(words):
        if NOT_STARTED.search(words):
            return State.NOT_STARTED, 0, None
        if DONE.search(words) or PROGRESS.search(words) or percent is not None:
            return State.IN_PROGRESS, percent if percent != 100 else None, None
        return None, None, None
    if percent == 100 or DONE.search(words):
        return State.DONE, 100, None
    if percent == 0:
        return State.NOT_STARTED, 0, None
    if percent is not None or PROGRESS.search(words):
        return State.IN_PROGRESS, percent, None
    return None, None, None


def _reason(original: str, start: int) -> str:
    reason = original[start:].strip(" :-–—.,;\t")
    return re.sub(r"^(do|vì|vi|là|la)\s+", "", reason, flags=re.IGNORECASE).strip()


def _period(words: str) -> str:
    if re.search(r"\b(6 thang|sau thang|nua nam|giua nam)\b", words):
        return "H1"
    if re.search(r"\bquy (i|1)\b", words):
        return "Q1"
    if re.search(r"\bquy (ii|2)\b", words):
        return "H1"
    if re.search(r"\bquy (iii|3)\b", words):
        return "Q3"
    if re.search(r"\b(quy (iv|4)|ca nam|nam|tong ket)\b", words):
        return "Y"
    if re.search(r"\b(dot xuat|theo yeu cau)\b", words):
        return "ADHOC"
    return "?"


def parse(text: str) -> Parsed:
    original = nfc(text or "")[:4000]
    result = Parsed()
    result.links = URL.findall(original)
    original = URL.sub(lambda m: " " * len(m.group(0)), original)
    words = _folded_parallel(original)

    if UNDO.search(words):
        result.undo = True
        return result
    if (found := PAUSE.search(words)) is not None:
        d, m, y = found.groups()
        result.pause_until = (int(d), int(m), int(y) if y else None)
        return result
    if (found := SNOOZE_HOURS.search(words)) is not None:
        result.snooze_hours = max(1, min(int(found.group(1)), 72))
        return result
    if SNOOZE_TOMORROW.search(words):
        result.snooze_tomorrow = True
        return result
    if ACK.search(words) and not CODE.search(words) and not REPORT.search(words):
        result.ack = True
        return result
    if REPORT.search(words) and not CODE.search(words):
        result.report = _period(words)
        result.report_negated = bool(NEGATION.search(words))
        return result

    items: list[_Item] = []
    bounds = [0] + [m.end() for m in CLAUSE_BREAK.finditer(words)] + [len(words)]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        clause_words, clause_text = words[lo:hi], original[lo:hi]
        codes = list(CODE.finditer(clause_words))
        prefix_end = codes[0].start() if codes else len(clause_words)
        p_state, p_percent, p_reason = _state_of(clause_words[:prefix_end])
        if not codes:
            if p_state is not None or clause_words.strip():
                reason = _reason(clause_text, p_reason) if p_reason is not None else ""
                items.append(_Item(None, p_state, p_percent, reason or clause_text.strip(), lo))
            continue
        for i, m in enumerate(codes):
            end = codes[i + 1].start() if i + 1 < len(codes) else len(clause_words)
            tail_words, tail_text = clause_words[m.end():end], clause_text[m.end():end]
            state, percent, reason_at = _state_of(tail_words)
            reason = _reason(tail_text, reason_at) if reason_at is not None else ""
            if state is None and p_state is not None:
                state, percent = p_state, p_percent
                if p_reason is not None:
                    reason = _reason(clause_text[:prefix_end], p_reason)
            code = f"{int(m.group(1))}.{int(m.group(2))}"
            items.append(_Item(code, state, percent, reason, lo + m.start()))

    # A code-less clause right after a blocked task continues its reason.
    merged: list[_Item] = []
    for item in items:
        last = merged[-1] if merged else None
        if item.code is None and last and last.code and last.state == State.BLOCKED:
            extra = item.reason.strip(" ,;.")
            last.reason = f"{last.reason}, {extra}".strip(" ,") if extra else last.reason
            continue
        merged.append(item)

    coded = [i for i in merged if i.code]
    if not coded:
        stated = [(i, i.state) for i in merged if i.state is not None]
        if stated:
            s, state = stated[0]
            reason = s.reason if state == State.BLOCKED else ""
            result.updates.append(Update(None, state, s.percent, reason))
        return result

    seen: set[str] = set()
    for index, item in enumerate(merged):
        if not item.code or item.code in seen:
            continue
        state, percent, reason = item.state, item.percent, item.reason
        if state is None:  # "1.1, 1.2 xong": take the next stated item, else the previous
            later = [i for i in merged[index + 1:] if i.state is not None]
            earlier = [i for i in merged[:index] if i.state is not None and i.code]
            source = later[0] if later else (earlier[-1] if earlier else None)
            if source is not None:
                state, percent = source.state, source.percent
                reason = source.reason if source.state == State.BLOCKED else ""
        if state is None:
            result.codes_without_state.append(item.code)
            continue
        seen.add(item.code)
        result.updates.append(Update(item.code, state, percent,
                                     reason if state == State.BLOCKED else ""))
    return result
