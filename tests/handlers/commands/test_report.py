"""/baocao as a command: one snapshot of the transaction it runs in."""

import re

from handlers.core import Core
from handlers.messages import Incoming


def done_counts(text: str) -> tuple[int, list[int]]:
    """(done in the whole-plan line, done per area line)."""
    overall = re.search(r"Toàn kế hoạch: đã hoàn thành (\d+)/", text)
    assert overall is not None
    areas = [int(n) for n in re.findall(r"^\d+\. .* — (\d+)/\d+", text, re.MULTILINE)]
    return int(overall.group(1)), areas


def test_a_report_in_the_same_batch_as_replies_counts_them_everywhere(core: Core,
                                                                      linked) -> None:
    mn, th, staff = linked("MN-CATBI"), linked("TH-CATBI"), linked("PGD")
    answers = core.handle_many([Incoming("telegram", mn.chat_id, "xong 1.1"),
                                Incoming("telegram", th.chat_id, "xong 1.1, 1.2"),
                                Incoming("telegram", staff.chat_id, "/baocao")])
    overall, areas = done_counts(answers[2][0].text)
    assert overall == 3
    assert sum(areas) == 3 and areas[0] == 3  # 1.1 and 1.2 are in area 1
