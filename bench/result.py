"""One measured figure, with its target and whether it was met."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Result:
    name: str
    value: float
    unit: str
    target: str = ""
    met: bool | None = None
    note: str = ""

    def row(self) -> str:
        verdict = {True: "met", False: "**missed**", None: ""}[self.met]
        value = f"{self.value:,.0f}" if self.value >= 100 else f"{self.value:,.2f}"
        return f"| {self.name} | {value} {self.unit} | {self.target} | {verdict} | {self.note} |"
