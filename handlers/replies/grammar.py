"""What a principal's few words mean, clause by clause — and when the meaning is not certain.

A message is cut into clauses (at `;` `.` `?` `!` line breaks, commas, "nhưng", "còn",
"mà"); each clause is read for the task codes it governs, its polarity, its mood and its
quantity. Only statements are written; a question, a plan, an "almost" or a number out of
range never is. Matching runs on folded words (no diacritics, teencode spelled out) while
blocked reasons are cut from the original text, so they keep their diacritics (and lose
the "ạ", "nhé", "thầy ơi" around them).

| what is typed                                   | understood as                          |
|-------------------------------------------------|----------------------------------------|
| `1.1` `nv 1.1` `nhiệm vụ 1.1` `NV1.1`           | task 1.1                               |
| `1.1, 1.2 và 2.1` · `2.1 đến 2.3` · `2.1-2.3`   | several tasks, one state               |
| `xong` `hoàn thành` `hoàn tất` `ok` `✅` `100%`  | done                                   |
| `đang làm` `đang triển khai` `được 50%` `một nửa`| in progress (percent 0–100 only)       |
| `chưa làm` `chưa bắt đầu` `0%`                  | not started                            |
| `chưa xong` `ko xong` `chẳng xong` `1.2 chưa`   | not done (never done)                  |
| `gặp khó khăn: thiếu kinh phí` `vướng vì …`     | blocked, reason kept as written        |
| `không gặp khó khăn gì` `hết vướng`             | no difficulty: the rest is read        |
| `chưa xong vì …`                                | not done; the reason is not kept (said)|
| `xong một phần` `xong phần lớn` `40% và 60%`    | in progress, no percent when not one   |
| `xong từ ngày 25/2` · `xong ngày 25/4` (ahead)  | done that day · a plan: nothing written|
| `?` `xong chưa` `không` `à` `nhỉ` `bao giờ` …   | a question: nothing written            |
| `sẽ` `định` `dự kiến` `mai` `tuần sau` …        | an intention: nothing written          |
| `sắp xong` `gần xong`                           | almost: nothing written                |
| `1.1` alone · `1.1 rồi` · `ok` to a reminder    | not certain: ask back                  |
| `hình như xong` `cơ bản xong` `xong đc 3/4`     | not certain: ask back                  |
| `đã làm nhưng chưa xong` `xong r, còn chờ ký`   | not certain: ask back                  |
| `1.1 xong. À nhầm, 1.2 xong`                    | 1.1 taken back: only 1.2 written       |
| `150%` `-5%` `1000%`                            | out of range: refused                  |
| `đã nộp báo cáo quý I` · `chưa nộp …`           | a report submitted / not submitted     |
| `nhắc lại sau 2 giờ` · `tạm dừng nhắc đến 15/8` | snooze / pause                         |
| `hoàn tác` · `đã nhận` · `chào` `cảm ơn` `dạ`   | undo / acknowledgement / small talk    |

Phone typing is read as meant: `ko k kg kh hok` (không), `chx` (chưa), `dc đc` (được),
`r rùi oy` (rồi), `lm` (làm), `dag` (đang), `ht` (hoàn thành), and typos of "xong" and
"hoàn thành" found with rapidfuzz. Negation words are only ever matched exactly.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import lru_cache
from typing import Any, NamedTuple

from rapidfuzz import fuzz, process

from storage.textnorm import fold, nfc

MAX_LENGTH = 4000


class Said(StrEnum):
    """What a statement says about one task."""

    DONE = "done"
    PROGRESS = "progress"
    NOT_STARTED = "notstarted"
    NOT_DONE = "notdone"  # "chưa xong": not finished, nothing more
    BLOCKED = "blocked"


class Mood(StrEnum):
    STATEMENT = "statement"
    QUESTION = "question"
    INTENTION = "intention"
    NEAR = "near"


class Kind(StrEnum):
    """What the message as a whole is."""

    STATUS = "status"  # writes, doubts or refused numbers about tasks
    QUESTION = "question"
    INTENTION = "intention"
    NEAR = "near"
    REPORT = "report"
    REPORT_NOT = "report_not"
    SNOOZE = "snooze"
    PAUSE = "pause"
    UNDO = "undo"
    ACK = "ack"
    EVIDENCE = "evidence"
    SMALLTALK = "smalltalk"
    OFFTOPIC = "offtopic"
    GIBBERISH = "gibberish"


@dataclass(frozen=True)
class Update:
    """One certain fact. `code` None means "the task this message replies to"."""

    code: str | None
    said: Said
    percent: int | None = None
    reason: str = ""
    on: str = ""  # "done" on a day said with it: "25/2", "25/2/2024" (as typed)


@dataclass(frozen=True)
class Doubt:
    """A task named whose state is not certain; `guess` is what to offer to record."""

    code: str | None
    guess: Said = Said.DONE


@dataclass
class Parsed:
    kind: Kind = Kind.GIBBERISH
    updates: list[Update] = field(default_factory=list)
    doubts: list[Doubt] = field(default_factory=list)
    out_of_range: list[str] = field(default_factory=list)  # codes with a bad number
    unwritten: list[str] = field(default_factory=list)  # codes only asked or promised about
    report: str | None = None  # "Q1", "H1", "Q3", "Y", "ADHOC", or "?" when not said
    snooze_hours: int | None = None
    snooze_tomorrow: bool = False
    pause_until: tuple[int, int, int | None] | None = None  # day, month, year if written
    links: list[str] = field(default_factory=list)
    bare_ok: bool = False  # a lone "ok" / 👍: a doubt only when it replies to one task

    @property
    def quiet(self) -> bool:
        return self.kind in (Kind.SNOOZE, Kind.PAUSE, Kind.ACK)


# -- words --------------------------------------------------------------------------------

URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
TOKEN = re.compile(
    r"(?P<pct>(?<![\d.,])-?\d+(?:[.,]\d+)?\s*(?:%|phan tram\b))"
    r"|(?P<code>(?<![\d./])\d{1,2}\.\d{1,2}(?![\d%/]|\.\d|,\d{1,3}\s*%))"
    r"|(?P<date>\d{1,2}/\d{1,2}(?:/\d{2,4})?)"
    r"|(?P<word>[a-z&]+|[0-9]+)"
    r"|(?P<brk>[;.!?\n:,~-])"
    r"|(?P<emoji>[✅✔☑👍])"
)
TEENCODE = {
    "ko": "khong", "k": "khong", "kg": "khong", "kh": "khong", "hok": "khong", "hong": "khong",
    "khg": "khong", "hem": "khong", "chx": "chua", "dc": "duoc", "dk": "duoc", "r": "roi",
    "rui": "roi", "oy": "roi", "roai": "roi", "lm": "lam", "dag": "dang", "dg": "dang",
    "e": "em", "xg": "xong", "ht": "hoan thanh", "hoanthanh": "hoan thanh",
    "hoantat": "hoan tat", "bc": "bao cao", "nv": "nhiem vu", "nhiemvu": "nhiem vu",
    "oki": "ok", "oke": "ok", "okie": "ok", "okay": "ok", "okela": "ok", "thx": "thanks",
    "tks": "thanks", "ty": "thanks", "vs": "voi", "j": "gi", "ntn": "the nao",
}
NEGATIONS = frozenset({"khong", "chua", "chang", "cha"})
FUZZY_XONG = ("xong",)
FUZZY_THANH = ("thanh",)


class Tok(NamedTuple):
    kind: str  # pct code date word brk emoji
    text: str  # normalised (folded) form
    start: int  # index into the original text
    end: int
    raw: str  # as typed (NFC)


@lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    f = fold(ch)
    return f if len(f) == 1 else " "


FOLD_TABLE = {c: _fold_char(chr(c)) for c in (*range(0x41, 0x5B), *range(0xC0, 0x250),
                                             *range(0x300, 0x370), *range(0x1E00, 0x1F00))
              if _fold_char(chr(c)) != chr(c)}


def _folded_parallel(text: str) -> str:
    """Fold char by char so that folded[i] stands for text[i] (reasons keep diacritics):
    Latin letters through one table, anything else one character at a time."""
    folded = text.translate(FOLD_TABLE)
    if folded.isascii():
        return folded
    return "".join(c if c.isascii() else _fold_char(c) for c in folded)


@lru_cache(maxsize=4096)
def _spell(word: str, previous: str) -> str:
    """A word as meant: teencode spelled out, "xonggg" and typos of "xong"/"thành" fixed.
    Fuzzy matching never produces, nor starts from, a negation word."""
    if word in TEENCODE:
        return TEENCODE[word]
    if word in NEGATIONS:
        return word
    squeezed = re.sub(r"(.)\1+$", r"\1", word)
    if squeezed in ("xong", "ok"):
        return squeezed
    if word[0] == "x" and len(word) >= 3 and process.extractOne(
            word, FUZZY_XONG, scorer=fuzz.ratio, score_cutoff=80) is not None:
        return "xong"
    if previous == "hoan" and word[0] == "t" and len(word) >= 3 and process.extractOne(
            word, FUZZY_THANH, scorer=fuzz.ratio, score_cutoff=75) is not None:
        return "thanh"
    return word


def tokens(original: str) -> list[Tok]:
    folded = _folded_parallel(original)
    out: list[Tok] = []
    previous = ""
    for m in TOKEN.finditer(folded):
        kind = m.lastgroup or "word"
        text = m.group(0)
        if kind == "word":
            for i, part in enumerate(_spell(text, previous).split()):
                out.append(Tok("word", part, m.start() if i == 0 else m.end(), m.end(),
                               original[m.start():m.end()]))
            previous = out[-1].text
            continue
        previous = ""
        out.append(Tok(kind, text, m.start(), m.end(), original[m.start():m.end()]))
    return out


def _words(toks: Iterable[tuple[Any, ...]]) -> str:
    """The words of (kind, text, …) tokens, space-separated; an emoji ✅ 👍 reads "ok"."""
    return " ".join(t[1] if t[0] != "emoji" else "ok" for t in toks
                    if t[0] in ("word", "emoji", "pct", "date"))


# -- clause vocabulary (on normalised words, each padded with spaces) ----------------------

def _w(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r" (?:" + "|".join(alternatives) + r")(?= )")


DONE = _w("xong", "hoan thanh", "hoan tat", "ok", "done", "da lam", "da thuc hien",
          "hoan thien xong", "finish")
WEAK_DONE = _w("roi", "lam roi", "da")
PROGRESS = _w("dang", "duoc", "dat", "tien do", "mot phan", "lam do", "moi", "con dang",
              "trien khai", "tien hanh", "thuc hien")
NOT_STARTED = re.compile(r" chua (?:lam|bat dau|trien khai|thuc hien|lam gi)(?! (?:xong|duoc|"
                         r"ok|hoan))")
BLOCKED = _w("gap kho khan", "gap vuong mac", "gap vuong", "kho khan", "vuong mac", "bi vuong",
             "vuong", "bi tac", "ach tac", "bi ket", "khong the hoan thanh duoc",
             "khong the thuc hien duoc", "khong the lam duoc", "khong the hoan thanh",
             "khong the thuc hien", "khong the lam", "khong the", "chua the",
             "khong hoan thanh duoc", "khong lam duoc", "khong thuc hien duoc",
             "chua lam duoc")
NEGATION = _w("chua", "khong", "chang", "dau co", "dau phai", "chua he")
# before a difficulty, these deny it: "không gặp khó khăn gì", "hết vướng", "đã khắc phục"
DENIED = re.compile(r" (?:khong|chang|chua|chua he|khong he|khong con|khong co|het|da het|"
                    r"(?:da )?khac phuc(?: duoc)?(?: cac| nhung)?|"
                    r"vuot qua(?: duoc)?(?: cac| nhung)?) $")
CAUSE = re.compile(r"(?<! don) (?:vi|do|boi vi|tai vi|boi|la do|la vi) ")  # not "đơn vị"
NEG_AFTER = _w("xong dau", "ok dau", "hoan thanh dau")
HALF = _w("mot nua", "nua")
QUESTION_WORDS = _w("bao gio", "khi nao", "ngay nao", "the nao", "lam sao", "o dau", "cho ai",
                    "la gi", "nhung gi", "cho em hoi", "xin hoi", "ai", "vay a", "bao nhieu",
                    "phai khong", "co phai", "dung khong", "tai sao", "vi sao", "nao")
QUESTION_END = frozenset({"nhỉ", "nhi", "hả", "ha", "chứ", "à", "hở", "sao"})  # as typed:
# "à" is not "ạ"; "xong roi ha thay" is "xong rồi hả thầy"
END_PARTICLES = frozenset({"a", "vay", "the", "thay", "co", "ban", "oi"})
QUESTION_TAIL = re.compile(r" (?:xong|hoan thanh|hoan tat|ok|roi|nop|gui|lam|co .*|"
                           r"phai|can .*|duoc) (?:chua|khong)(?: (?:a|vay|the|thay|co|"
                           r"nhe|nha|nhi|ha|day|vay a))* $")
INTENTION = _w("se", "dinh", "du kien", "mai", "ngay mai", "sang mai", "chieu mai",
               "tuan sau", "thang sau", "nam sau", "tuan toi", "thang toi", "cuoi thang",
               "cuoi tuan", "cuoi nam", "chuan bi", "hua", "co gang", "de em", "se co",
               "chieu nay", "toi nay", "trong tuan", "trong hom nay", "ke hoach se",
               "khi nao xong .* bao", "den thu", "truoc ngay", "du tinh")
NEAR = _w("sap", "gan", "con chut nua", "con mot chut")
# "hình như xong rồi", "chắc xong rồi ạ": not certain, so asked back, never written
HEDGE = re.compile(r" (?:hinh nhu|co le|co ve|nghi la|em nghi|chac(?! chan)|khong chac|"
                   r"chua chac|khong biet|co ban)(?= )")  # "cơ bản xong": not all of it
# "xong được 3/4": a share of the work, or a day? asked
SHARE = re.compile(r" (?:xong|duoc|lam) (?:duoc )?(\d{1,2})/(\d{1,2}) ")
# "2.2 xong rồi, còn chờ ký duyệt": a step still open after "done", asked
STILL_OPEN = re.compile(r" (?:cho ky|cho duyet|cho phe duyet|cho xac nhan) ")
# "1.1 xong. À nhầm, 1.2 xong": what came before is taken back
MISTAKEN = re.compile(r"^ (?:a |a a |oi |xin loi |sorry )?(?:nham|em nham|nham roi)(?= )")
# "xong một phần", "làm xong phần lớn": in progress, not done
PARTIAL = re.compile(r" (?:mot phan|phan lon|phan nao|mot so|mot vai|phan \d+) ")


@dataclass
class _Clause:
    toks: list[Tok]
    end_mark: str  # the break that ended it ("?" "." ...), "" at the end

    @property
    def codes(self) -> list[Tok]:
        return [t for t in self.toks if t.kind == "code"]


def _clauses(toks: list[Tok]) -> list[_Clause]:
    """Cut at sentence marks and at "nhưng", "còn", "mà"; a comma cuts unless it only
    separates codes of one list ("1.1, 1.2 xong")."""
    clauses: list[_Clause] = []
    current: list[Tok] = []
    for i, t in enumerate(toks):
        if t.kind == "brk" and t.text in ";.!?\n":
            clauses.append(_Clause(current, t.text))
            current = []
            continue
        if t.kind == "brk" and t.text == ",":
            before = [x for x in current if x.kind != "brk"]
            after = toks[i + 1] if i + 1 < len(toks) else None
            if before and before[-1].kind == "code" and after is not None \
                    and after.kind == "code":
                continue
            clauses.append(_Clause(current, ","))
            current = []
            continue
        following = toks[i + 1].text if i + 1 < len(toks) else ""
        if t.kind == "word" and t.text in ("nhung", "con", "ma") and current and \
                not (t.text == "con" and following in ("dang", "chut", "mot", "thieu")) and \
                not (t.text == "con" and current[-1].text in ("khong", "chang", "van")) and \
                not (t.text == "nhung" and (t.raw.lower() == "những" or following == "gi")):
            clauses.append(_Clause(current, ""))
            current = []
            continue
        current.append(t)
    clauses.append(_Clause(current, ""))
    return [c for c in clauses if c.toks]


def _mood(clause: _Clause) -> Mood:
    return _mood_of(tuple((t.kind, t.text) for t in clause.toks),
                    tuple(t.raw.lower() for t in clause.toks if t.kind == "word"),
                    clause.end_mark)


@lru_cache(maxsize=8192)
def _mood_of(toks: tuple[tuple[str, str], ...], raw_words: tuple[str, ...], end_mark: str
             ) -> Mood:
    words = f" {_words(toks)} "
    ending = list(raw_words)
    while len(ending) > 1 and fold(ending[-1]) in END_PARTICLES and ending[-1] != "à":
        ending.pop()
    asked = end_mark == "?" or QUESTION_TAIL.search(words) or (
        bool(ending) and ending[-1] in QUESTION_END)
    if asked and (not INTENTION.search(words) or end_mark == "?"):
        return Mood.QUESTION
    if INTENTION.search(words) and not re.search(r" (?:da|roi) ", words.replace(
            " da nop ", " ")):
        return Mood.INTENTION
    if QUESTION_WORDS.search(words):
        return Mood.QUESTION
    if INTENTION.search(words):
        return Mood.INTENTION
    if NEAR.search(words):
        return Mood.NEAR
    return Mood.STATEMENT


@dataclass
class _Reading:
    said: Said | None = None
    percent: int | None = None
    bad_number: bool = False
    weak: bool = False  # "1.1 rồi": probably done, not certain
    contradiction: bool = False
    reason_at: int | None = None  # index into the original where a reason starts


def _number(text: str) -> float:
    digits = re.match(r"-?\d+(?:[.,]\d+)?", text)
    return float(digits.group(0).replace(",", ".")) if digits else math.nan


CAUSE_AS_TYPED = frozenset({"vì", "vi", "do", "bởi", "boi"})  # not "đó", "tải"
# words that fold like another but, typed with accents, are not it
AS_TYPED = {"vuông": "vuong2",  # "mét vuông" is not "vướng"
            "nữa": "nua2"}  # "khó khăn nữa" is not "một nửa"


def _typed_cause(tok: Tok) -> bool:
    return nfc(tok.raw.lower()) in CAUSE_AS_TYPED


def _read(toks: list[Tok]) -> _Reading:
    """State, percent and blocked reason of the words around one group of codes."""
    said, percent, bad, weak, contradiction, reason_tok = _read_words(tuple(
        (t.kind, AS_TYPED.get(nfc(t.raw.lower()), t.text)) for t in toks))
    if reason_tok is not None and said in (Said.NOT_DONE, Said.NOT_STARTED) and \
            not _typed_cause(toks[reason_tok]):
        reason_tok = None
    reason_at = toks[reason_tok].end if reason_tok is not None else None
    return _Reading(said, percent, bad, weak, contradiction, reason_at)


@lru_cache(maxsize=8192)
def _read_words(toks: tuple[tuple[str, str], ...]
                ) -> tuple[Said | None, int | None, bool, bool, bool, int | None]:
    r = _Reading()
    words = f" {_words(toks)} "
    numbers = [_number(text) for kind, text in toks if kind == "pct"]
    if any(not 0 <= n <= 100 for n in numbers):
        r.bad_number = True
        return _packed(r)
    ranged = any(a[0] == "word" and a[1].isdigit() and b == ("brk", "-") and c[0] == "pct"
                 for a, b, c in zip(toks, toks[1:], toks[2:], strict=False))
    if len(set(numbers)) > 1 or ranged:  # "40% và 60%", "70-80%": how far is not one number
        numbers = []
        r.said = Said.PROGRESS
    if numbers:
        r.percent = math.floor(numbers[0])
    elif HALF.search(words):
        r.percent = 50
    blocked = BLOCKED.search(words)
    denied = DENIED.search(words[:blocked.start() + 1]) if blocked else None
    if blocked and denied:  # "không gặp khó khăn gì", "hết vướng": read what else is said
        rest = words[blocked.end():]
        words = words[:denied.start()] + (rest[4:] if rest.startswith(" gi ") else rest)
        blocked = BLOCKED.search(words)
    if blocked:
        r.said = Said.BLOCKED
        r.reason_at = _index_after(toks, blocked.end())  # a token index here
        return _packed(r)
    negated = NEGATION.search(words) or NEG_AFTER.search(words)
    if negated:
        if NOT_STARTED.search(words):
            r.said, r.percent = Said.NOT_STARTED, 0
        else:
            r.said, r.percent = Said.NOT_DONE, None
        cause = CAUSE.search(words, negated.end() - 1)  # "chưa xong vì …": not a difficulty
        if cause:  # said, but a reason is kept only for one: the principal is told so
            r.reason_at = _index_after(toks, cause.end() - 1)
        return _packed(r)
    done = DONE.search(words)
    if r.percent is not None:
        if r.percent == 100:
            r.said = Said.DONE
            r.contradiction = bool(re.search(r" dang ", words))
        elif r.percent == 0 and not PROGRESS.search(words):
            r.said = Said.NOT_STARTED
        else:
            r.said = Said.PROGRESS
        return _packed(r)
    if done:
        share = SHARE.search(words)
        if share and int(share[1]) < int(share[2]):
            r.weak = True  # "xong đc 3/4": three quarters, or the 3rd of April?
            return _packed(r)
        r.said = Said.PROGRESS if PARTIAL.search(words) else Said.DONE
        return _packed(r)
    if PROGRESS.search(words):
        r.said = Said.PROGRESS
        return _packed(r)
    if WEAK_DONE.search(words):
        r.weak = True
    return _packed(r)


def _packed(r: _Reading) -> tuple[Said | None, int | None, bool, bool, bool, int | None]:
    return r.said, r.percent, r.bad_number, r.weak, r.contradiction, r.reason_at


def _index_after(toks: tuple[tuple[str, str], ...], folded_end: int) -> int | None:
    """The token whose word ends at *folded_end* of the padded _words() (a reason starts
    after it)."""
    position = 1  # the leading space of the padded words
    last = None
    for i, (kind, text) in enumerate(toks):
        if kind not in ("word", "emoji", "pct", "date"):
            continue
        last = i
        position += len(text if kind != "emoji" else "ok") + 1
        if position - 1 >= folded_end:
            return i
    return last


LEADING_CODES = re.compile(r"^\s*(?:(?:nv|nhiệm vụ|nhiem vu)\s*)?\d{1,2}\.\d{1,2}"
                           r"(?:\s*(?:,|và|va|-|đến|den)\s*\d{1,2}\.\d{1,2})*", re.IGNORECASE)


# what a polite phone reply wraps a reason in, never the reason itself: "ạ", "nhé",
# "thầy ơi", "dạ"; and "vì", "do" … before it. A reason of only "quá" or "lắm" ("vướng quá
# ạ") says how much, not what: no reason, so the principal is asked for it.
_PARTICLE = r"(?:ạ|ạh|a|à|ah|ak|nhé|nhe|nha|nhen|ơi|oi|dạ|vâng|vang)"
_VOCATIVE = (r"(?:(?:thầy|thay|cô|co|anh|chị|chi|em|bạn|ban|sếp|sep)\s+(?:ơi|oi)"
             r"|(?:thưa|thua)\s+(?:thầy|thay|cô|co|anh|chị|chi))")
_EDGES = " :-–—.,;!…\t\n"
_EDGE = f"[\\s{re.escape(_EDGES)}]"
_HEAD = re.compile(rf"^(?:{_VOCATIVE}|{_PARTICLE}|do|vì|vi|là|la|bởi|boi|tại|tai)"
                   rf"(?={_EDGE}|$)", re.IGNORECASE)
_TAIL = re.compile(rf"(?:^|(?<={_EDGE}))(?:{_VOCATIVE}|{_PARTICLE})$", re.IGNORECASE)
_PRONOUN = r"(?:thầy|thay|cô|co|anh|chị|chi|sếp|sep)"
# "…, thầy" · "… nhé thầy": the person spoken to, after a comma or a particle
_SPOKEN_TO = re.compile(rf"(?:(?<=[,;])\s*|\s+{_PARTICLE}\s+){_PRONOUN}$", re.IGNORECASE)
_NOT_A_REASON = frozenset({"qua", "lam", "troi", "nhieu", "that", "roi", "thay", "co",
                           "anh", "chi", "sep", "em", "a"})  # how much, and to whom


# "…, em cảm ơn thầy nhiều", "…. Mong phòng hỗ trợ": said after the reason, not part of it
_AFTERWORD = re.compile(r"[,.;!]\s*(?:em\s+|dạ\s+|da\s+)?(?:xin\s+)?(?:cảm ơn|cám ơn|cam on|"
                        r"thanks|mong|rất mong|rat mong|kính mong|kinh mong)\b.*$",
                        re.IGNORECASE | re.DOTALL)


def _reason(original: str, start: int, end: int) -> str:
    reason = _AFTERWORD.sub("", LEADING_CODES.sub("", original[start:end]))
    reason = re.sub(r"\s*\n\s*(?:[-•*+]\s*)?", "; ", URL.sub("", reason))  # one line
    reason = "".join(ch for ch in reason if unicodedata.category(ch) not in ("So", "Sk")
                     and ch not in "\ufe0f\u200d").strip(_EDGES)  # no emoji
    while True:
        if reason.startswith("(") and reason.endswith(")"):
            reason = reason[1:-1]
        trimmed = _SPOKEN_TO.sub("", _TAIL.sub("", _HEAD.sub("", reason))).strip(_EDGES)
        if trimmed == reason:
            break
        reason = trimmed
    return "" if set(fold(reason).split()) <= _NOT_A_REASON else reason


def _day_said(said: Said | None, toks: list[Tok]) -> str:
    """The day a task was done on, when said with it ("xong từ ngày 25/2")."""
    days = [t.text for t in toks if t.kind == "date"]
    return days[0] if said == Said.DONE and len(days) == 1 else ""


def _why(said: Said | None, reason: str) -> str:
    """A difficulty's reason as cut; the "vì …" of a "not finished" only when it says
    something ("chua xong do thay" is "chưa xong đó thầy", not a reason)."""
    return reason if said == Said.BLOCKED or len(reason.split()) >= 2 else ""


def _expand(group: list[Tok], joined_by_range: set[int]) -> list[str]:
    """Codes of a group; "2.1 đến 2.3" is every task between, within one area."""
    codes: list[str] = []
    for i, t in enumerate(group):
        major, minor = (int(x) for x in t.text.split("."))
        code = f"{major}.{minor}"
        if i in joined_by_range and codes:
            pm, pn = (int(x) for x in codes[-1].split("."))
            if pm == major and pn < minor <= pn + 20:
                codes.extend(f"{major}.{n}" for n in range(pn + 1, minor + 1))
                continue
        codes.append(code)
    return list(dict.fromkeys(codes))


@dataclass
class _Group:
    codes: list[str]
    head: list[Tok]
    tail: list[Tok]
    ranged: bool = False


NEGATIVE = (Said.NOT_DONE, Said.NOT_STARTED, Said.BLOCKED)


def _stated_reading(r: _Reading) -> bool:
    return r.said is not None or r.bad_number


def _cause_end(toks: list[Tok]) -> int | None:
    """Where a reason starts in words that begin with "vì", "do" … (else None)."""
    words = tuple((t.kind, t.text) for t in toks)
    cause = CAUSE.match(f" {_words(words)} ")
    i = _index_after(words, cause.end() - 1) if cause else None
    if i is None or not _typed_cause(toks[i]):
        return None
    return toks[i].end


def _read_groups(groups: list[_Group]) -> list[tuple[list[str], _Reading]]:
    """Each group of codes with the reading of its own words: before it when the clause
    puts states first ("xong 1.1 1.2"), after it otherwise ("1.1 xong 1.2 chưa")."""
    if not groups:
        return []
    # states first when the first codes have one before them and the last none after:
    # "xong 1.1 1.2", and "xong 1.1 chưa xong 1.2" (whose middle words lead 1.2)
    prefix_style = _stated_reading(_read(groups[0].head)) and not _stated_reading(
        _read(groups[-1].tail))
    last = len(groups) - 1
    out: list[tuple[list[str], _Reading]] = []
    for n, g in enumerate(groups):
        head = _read(g.head) if prefix_style or n == 0 else _Reading()
        tail = _read(g.tail) if not prefix_style or n == last else _Reading()
        if head.said in (Said.NOT_DONE, Said.NOT_STARTED) and head.reason_at is None:
            head.reason_at = _cause_end(g.tail)  # "chưa xong 1.1 vì …"
        if _stated_reading(head) and _stated_reading(tail):
            if head.bad_number or tail.bad_number:
                out.append((g.codes, head if head.bad_number else tail))
            elif len(g.codes) > 1 and not g.ranged and head.said != tail.said:
                out.append((g.codes[:-1], head))  # "xong 1.1 và 1.2 chưa"
                out.append((g.codes[-1:], tail))
            elif head.said in NEGATIVE or head.said != Said.DONE and tail.said == Said.DONE:
                out.append((g.codes, head))  # never done across a negation
            else:
                out.append((g.codes, tail))
            continue
        if _stated_reading(head):
            out.append((g.codes, head))
        elif _stated_reading(tail):
            out.append((g.codes, tail))
        else:
            out.append((g.codes, tail if tail.weak else head))
    return out


RANGE_WORDS = frozenset({"den", "toi", "-", "~"})
LIST_WORDS = frozenset({"va", "voi", "&", ",", "nhiem", "vu", "so", "nv", "tu"})


def _groups(clause: _Clause) -> list[_Group]:
    """Code groups of a clause with the words before (head) and after (tail) each."""
    toks = clause.toks
    spans: list[tuple[int, int, set[int]]] = []  # start, end (exclusive), range joints
    i = 0
    while i < len(toks):
        if toks[i].kind != "code":
            i += 1
            continue
        start, members, ranges = i, 1, set()
        j = i + 1
        while j < len(toks):
            k = j
            joint_range = False
            while k < len(toks) and toks[k].kind != "code" and (
                    toks[k].text in RANGE_WORDS or toks[k].text in LIST_WORDS):
                joint_range = joint_range or toks[k].text in RANGE_WORDS
                k += 1
            if k < len(toks) and toks[k].kind == "code":
                if joint_range:
                    ranges.add(members)
                members += 1
                j = k + 1
                continue
            break
        spans.append((start, j, ranges))
        i = j
    groups: list[_Group] = []
    for n, (start, end, ranges) in enumerate(spans):
        previous_end = spans[n - 1][1] if n else 0
        next_start = spans[n + 1][0] if n + 1 < len(spans) else len(toks)
        code_toks = [t for t in toks[start:end] if t.kind == "code"]
        groups.append(_Group(_expand(code_toks, ranges), toks[previous_end:start],
                             toks[end:next_start], bool(ranges)))
    return groups


# -- whole-message intents ---------------------------------------------------------------

LEAD = r"^(?:(?:da|vang|em|thay|co|oi|thua|a|nho|giup|xin|nhe|nha)\s+)*"
UNDO = re.compile(LEAD + r"/?(?:hoan tac|hoantac|huy|undo|ghi nham|nham)\b")
PAUSE = re.compile(r"\b(?:tam dung|tam ngung|ngung|dung) nhac(?: viec| nho)?(?: em)? "
                   r"(?:den|toi|cho den)(?: het)?(?: ngay)? (\d{1,2})/(\d{1,2})(?:/(\d{4}))?")
SNOOZE_WHO = r"\bnhac(?: lai| em lai| em| lai em)?"
SNOOZE_HOURS = re.compile(SNOOZE_WHO + r" sau (\d{1,3}) ?(?:gio|tieng|h)\b")
SNOOZE_TOMORROW = re.compile(SNOOZE_WHO + r"(?: vao)? (?:ngay mai|mai|hom sau)\b"
                             r"|\b(?:ngay mai|mai|hom sau) nhac(?: lai| em)?\b")
ACK = re.compile(LEAD + r"(?:da nhan|da doc|da xem|nhan duoc|da nam|nam duoc|da ro|ro)\b")
REPORT_WORDS = re.compile(r"\bbao cao\b")
REPORT_VERB = re.compile(r"\b(?:nop|gui|hoan thanh|da co|xong)\b")
GREETING = re.compile(r"\b(?:chao|xin chao|hello|hi|alo|cam on|thanks|thank you|chuc|"
                      r"good morning)\b")
SMALL = frozenset({
    "a", "da", "vang", "ok", "em", "thay", "co", "oi", "nhe", "nha", "roi", "nhieu", "ban",
    "bot", "la", "vui", "ve", "ngay", "moi", "buoi", "sang", "chieu", "toi", "chao", "xin",
    "cam", "on", "thanks", "thank", "you", "hello", "hi", "alo", "chuc", "ha", "ne"})
EMOJI_ONLY = re.compile(r"^[\W_]+$")
SYLLABLE = re.compile(r"^(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|[bcdghklmnpqrstvx])?"
                      r"(?:[aeiou]{1,3}|y|[aeiou]{1,2}y)(?:ng|nh|ch|[cmnpt])?$")


def _period(words: str) -> str:
    if re.search(r"\b(6 thang|sau thang|nua nam|giua nam|quy (ii|2))\b", words):
        return "H1"
    if re.search(r"\bquy (i|1)\b", words):
        return "Q1"
    if re.search(r"\bquy (iii|3)\b", words):
        return "Q3"
    if re.search(r"\b(quy (iv|4)|ca nam|nam|tong ket)\b", words):
        return "Y"
    if re.search(r"\b(dot xuat|theo yeu cau)\b", words):
        return "ADHOC"
    return "?"


def parse(text: str) -> Parsed:
    """What *text* says. The same words are often sent by many schools ("xong 1.1"), so
    readings are kept in a small cache; each caller gets its own copy."""
    cached = _parse(text or "")
    return replace(cached, updates=list(cached.updates), doubts=list(cached.doubts),
                   out_of_range=list(cached.out_of_range), unwritten=list(cached.unwritten),
                   links=list(cached.links))


@lru_cache(maxsize=4096)
def _parse(text: str) -> Parsed:
    original = nfc(text)[:MAX_LENGTH]
    result = Parsed(links=URL.findall(original))
    original = URL.sub(lambda m: " " * len(m.group(0)), original)
    toks = tokens(original)
    words = _words(toks)
    codes = [t for t in toks if t.kind == "code"]

    if UNDO.search(words):
        result.kind = Kind.UNDO
        return result
    if (found := PAUSE.search(" ".join(t.text for t in toks if t.kind in ("word", "date"))
                              .replace("/", "/"))) is not None:
        d, m, y = found.groups()
        result.kind, result.pause_until = Kind.PAUSE, (int(d), int(m), int(y) if y else None)
        return result
    if (found := SNOOZE_HOURS.search(" ".join(t.text for t in toks))) is not None:
        result.kind, result.snooze_hours = Kind.SNOOZE, max(1, min(int(found.group(1)), 72))
        return result
    if SNOOZE_TOMORROW.search(words):
        result.kind, result.snooze_tomorrow = Kind.SNOOZE, True
        return result
    if not codes and ACK.search(words):
        result.kind = Kind.ACK
        return result
    if not codes and REPORT_WORDS.search(words):
        return _report(result, toks, words)
    if not codes:
        return _codeless(result, original, toks, words)
    return _status(result, original, toks)


def _report(result: Parsed, toks: list[Tok], words: str) -> Parsed:
    mood = _mood(_Clause(toks, "?" if any(t.text == "?" for t in toks) else ""))
    if mood == Mood.QUESTION:
        result.kind = Kind.QUESTION
    elif mood == Mood.INTENTION:
        result.kind = Kind.INTENTION
    elif REPORT_VERB.search(words):
        result.report = _period(words)
        negated = NEGATION.search(f" {words} ") is not None
        result.kind = Kind.REPORT_NOT if negated else Kind.REPORT
    else:
        result.kind = Kind.OFFTOPIC
    return result


def _codeless(result: Parsed, original: str, toks: list[Tok], words: str) -> Parsed:
    """No task code: a bare state (for the reminder replied to), small talk or the rest."""
    if not toks or not words.strip():
        stripped = original.strip()
        if result.links:
            result.kind = Kind.EVIDENCE
        elif EMOJI_ONLY.match(stripped) and _has_emoji(stripped) and \
                not re.search(r"[\d.,?!;:]", stripped):
            result.kind, result.bare_ok = Kind.SMALLTALK, "👍" in stripped
        else:
            result.kind = Kind.GIBBERISH
        return result
    clause = _Clause([t for t in toks if t.kind != "brk" or t.text in "?"],
                     "?" if "?" in original else "")
    clause.toks = [t for t in clause.toks if t.kind != "brk"]
    mood = _mood(clause)
    plain = words.split()
    if set(plain) <= SMALL or (GREETING.search(words) and mood != Mood.QUESTION):
        result.kind = Kind.SMALLTALK
        result.bare_ok = plain in (["ok"], ["ok", "a"]) or words == "ok"
        return result
    if mood == Mood.QUESTION:
        if DONE.search(f" {words} "):  # "xong chưa ạ?" about the reminder replied to
            result.kind = Kind.QUESTION
        else:
            result.kind = Kind.OFFTOPIC if _vietnamese(plain) else Kind.GIBBERISH
        return result
    reading = _read(clause.toks)
    if reading.said is not None or reading.bad_number:
        if mood == Mood.INTENTION:
            result.kind = Kind.INTENTION
        elif mood == Mood.NEAR and reading.percent is None:
            result.kind = Kind.NEAR
        elif reading.bad_number:
            result.kind = Kind.STATUS
            result.out_of_range.append("")
        elif HEDGE.search(f" {words} "):  # "hình như xong rồi": asked, never written
            if reading.said == Said.DONE:
                result.kind = Kind.STATUS
                result.doubts.append(Doubt(None))
            else:
                result.kind = Kind.NEAR
        elif reading.said is not None:
            result.kind = Kind.STATUS
            reason = _why(reading.said, _reason(original, reading.reason_at, len(original))) \
                if reading.reason_at is not None else ""
            result.updates.append(Update(None, reading.said, reading.percent, reason,
                                         _day_said(reading.said, clause.toks)))
        return result
    if mood in (Mood.INTENTION, Mood.NEAR) and _vietnamese(plain):
        result.kind = Kind.INTENTION if mood == Mood.INTENTION else Kind.NEAR
        return result
    if result.links:
        result.kind = Kind.EVIDENCE
        return result
    result.kind = Kind.GIBBERISH
    return result


def _has_emoji(text: str) -> bool:
    return any(unicodedata.category(c) == "So" for c in text)


def _vietnamese(words: list[str]) -> bool:
    """Enough Vietnamese syllables to be a sentence (not keyboard mashing)."""
    syllables = sum(1 for w in words if SYLLABLE.match(w))
    return len(words) >= 3 and syllables >= 0.8 * len(words)


def _status(result: Parsed, original: str, toks: list[Tok]) -> Parsed:
    clauses = _clauses(toks)
    moods = [_mood(c) for c in clauses]
    readings: list[list[tuple[list[str], _Reading]]] = []
    for clause in clauses:
        readings.append(_read_groups(_groups(clause)))

    # Codes without a state take the state of the next clause when that clause names no
    # task ("1.2, còn đang làm"), and its mood with it: a question or a plan stays one.
    for i, pairs in enumerate(readings):
        if i + 1 >= len(clauses) or readings[i + 1] or clauses[i].end_mark not in (",", ""):
            continue
        for n, (codes_, reading) in enumerate(pairs):
            if reading.said is not None or reading.bad_number or reading.weak:
                continue
            borrowed = _read(clauses[i + 1].toks)
            if borrowed.said is not None:
                pairs[n] = (codes_, borrowed)
                if moods[i] == Mood.STATEMENT:
                    moods[i] = moods[i + 1]

    # "1.2 đang làm, được khoảng 40%": a number without a task goes with the one before.
    for i in range(1, len(clauses)):
        if readings[i] or not readings[i - 1] or moods[i] != Mood.STATEMENT:
            continue
        extra = _read(clauses[i].toks)
        codes_, before = readings[i - 1][-1]
        if extra.percent is not None and extra.said == Said.PROGRESS and \
                before.said == Said.PROGRESS and before.percent is None:
            before.percent = extra.percent

    # "1.1 xong rồi, à chưa": a later bare "chưa" takes back what was said.
    # "1.1 đã làm nhưng chưa xong": a later "not finished" without a task does too.
    retracted: set[int] = set()
    withdrawn: set[int] = set()
    for i in range(1, len(clauses)):
        later = f" {_words((t.kind, t.text) for t in clauses[i].toks)} "
        if MISTAKEN.search(later) and readings[i - 1]:
            withdrawn.add(i - 1)  # "1.1 xong. À nhầm, 1.2 xong": 1.1 is not said
            continue
        if readings[i] or not readings[i - 1]:
            continue
        said_done = any(r.said == Said.DONE for _, r in readings[i - 1])
        after = [c for c in itertools.takewhile(lambda c: not c.codes, clauses[i:])]
        rest = f" {_words((t.kind, t.text) for c in after for t in c.toks)} "
        if _bare_negation(clauses[i]) or (said_done and (
                STILL_OPEN.search(rest) or
                _read(clauses[i].toks).said in (Said.NOT_DONE, Said.NOT_STARTED))):
            retracted.add(i - 1)
    hedged = [HEDGE.search(f" {_words((t.kind, t.text) for t in c.toks)} ") is not None
              for c in clauses]

    seen: set[str] = set()
    wrote_or_asked = False
    for i, pairs in enumerate(readings):
        mood = moods[i]
        for group_codes, reading in pairs:
            for code in group_codes:
                if code in seen:
                    continue
                seen.add(code)
                if mood in (Mood.QUESTION, Mood.INTENTION) or (
                        mood == Mood.NEAR and reading.percent is None) or i in withdrawn:
                    result.unwritten.append(code)
                    continue
                if reading.bad_number:
                    result.out_of_range.append(code)
                elif hedged[i] and reading.said not in (None, Said.DONE):
                    result.unwritten.append(code)  # "hình như chưa làm": not said for sure
                    continue
                elif i in retracted or reading.contradiction or reading.said is None or \
                        hedged[i]:
                    result.doubts.append(Doubt(code))
                else:
                    reason = ""
                    if reading.reason_at is not None:
                        reason = _why(reading.said, _reason(original, reading.reason_at,
                                                            _reason_end(clauses, i, original)))
                    said = reading.said
                    if mood == Mood.NEAR:  # "được 90%, sắp xong": the number is certain
                        said = Said.PROGRESS
                    result.updates.append(Update(code, said, reading.percent, reason,
                                                 _day_said(said, clauses[i].toks)))
                wrote_or_asked = True
    if wrote_or_asked:
        result.kind = Kind.STATUS
    elif any(m == Mood.QUESTION for m in moods):
        result.kind = Kind.QUESTION
    elif any(m == Mood.INTENTION for m in moods):
        result.kind = Kind.INTENTION
    else:
        result.kind = Kind.NEAR
    return result


def _bare_negation(clause: _Clause) -> bool:
    words = [t.text for t in clause.toks if t.kind == "word"]
    return bool(words) and set(words) <= {"a", "chua", "khong", "thi", "van", "oi", "nham"} \
        and ("chua" in words or "khong" in words)


def _reason_end(clauses: list[_Clause], i: int, original: str) -> int:
    """A blocked reason runs on over commas until a clause that names another task."""
    for clause in clauses[i + 1:]:
        if clause.codes:
            return clause.toks[0].start
    return len(original)


@dataclass
class Meaning:
    """A parse applied to the reminder replied to: every write and doubt names its task."""

    parsed: Parsed
    updates: list[Update]
    doubts: list[str]
    out_of_range: list[str]
    which: bool  # a state was said but not for which task


def in_context(parsed: Parsed, context: list[str]) -> Meaning:
    """Give code-less states the task of the reminder replied to, if it names one."""
    single = context[0] if len(context) == 1 else None
    updates: list[Update] = []
    doubts: list[str] = []
    which = False
    for u in parsed.updates:
        if u.code is None and single is None:
            which = True
            continue
        updates.append(replace(u, code=u.code or single))
    for d in parsed.doubts:
        if d.code is None and single is None:
            which = True
            continue
        doubts.append(d.code or single or "")
    if parsed.bare_ok and single is not None:
        doubts.append(single)
    bad = [c or single or "" for c in parsed.out_of_range if c or single]
    if any(not c for c in parsed.out_of_range) and single is None:
        which = True
    return Meaning(parsed, updates, list(dict.fromkeys(doubts)), bad, which)
