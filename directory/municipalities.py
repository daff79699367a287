"""Facts about listed cities kept apart from the published table: code, Japanese name, reading."""

import csv
from dataclasses import dataclass

from .importexport.published_table import FIXTURES


@dataclass(frozen=True)
class Municipality:
    prefecture_code: str
    name: str
    code: str
    name_ja: str
    name_kana: str


def read_municipalities(path=FIXTURES / "municipalities.tsv"):
    """Return the facts keyed by (prefecture code, city name as published)."""
    with open(path, encoding="utf-8", newline="") as facts:
        rows = csv.DictReader((line for line in facts if not line.startswith("#")), delimiter="\t")
        return {
            (row["prefecture"], row["city"]): Municipality(
                row["prefecture"], row["city"], row["code"], row["name_ja"], row["name_kana"]
            )
            for row in rows
        }
