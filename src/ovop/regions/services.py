"""Loading the official region list into the database."""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region

DATASET_VERSION = "idn-area-data 4.0.1 (Kepmendagri 300.2.2-2138/2025)"
DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 5000

# file name, level, name of the column holding the parent code
FILES = [
    ("provinces.csv", RegionLevel.PROVINCE, None),
    ("regencies.csv", RegionLevel.REGENCY, "province_code"),
    ("districts.csv", RegionLevel.DISTRICT, "regency_code"),
    ("villages.csv", RegionLevel.VILLAGE, "district_code"),
]


@dataclass(frozen=True)
class LoadResult:
    total: int
    written: int
    skipped: bool


def _rows(
    file_name: str, level: str, parent_column: str | None, provinces: set[str] | None
) -> Iterator[Region]:
    # Only districts and villages are limited to ``provinces``.
    limited_to = provinces if level in (RegionLevel.DISTRICT, RegionLevel.VILLAGE) else None
    with (DATA_DIR / file_name).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip()
            if limited_to is not None and code[:2] not in limited_to:
                continue
            yield Region(
                code=code,
                name=row["name"].strip(),
                level=level,
                parent_id=row[parent_column].strip() if parent_column else None,
            )


def dataset_regions(*, provinces: Iterable[str] | None = None) -> Iterator[Region]:
    """Every region of the vendored dataset, parents before children.

    ``provinces`` limits districts and villages to those provinces (all provinces and
    regencies are always included); tests use it to stay fast.
    """
    wanted = set(provinces) if provinces is not None else None
    for file_name, level, parent_column in FILES:
        yield from _rows(file_name, level, parent_column, wanted)


def _batches(items: Iterable[Region], size: int) -> Iterator[list[Region]]:
    batch: list[Region] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def load_regions(*, provinces: Iterable[str] | None = None, force: bool = False) -> LoadResult:
    """Insert or update the official regions with bulk upserts.

    Skips all work when the database already holds exactly the dataset's codes for the
    requested scope (so a second ``make run`` is fast), unless ``force`` is given.
    """
    regions = list(dataset_regions(provinces=provinces))
    if not force and Region.objects.count() >= len(regions):
        existing = set(Region.objects.values_list("code", flat=True))
        if all(region.code in existing for region in regions):
            return LoadResult(total=len(regions), written=0, skipped=True)
    written = 0
    with transaction.atomic():
        for batch in _batches(regions, BATCH_SIZE):
            Region.objects.bulk_create(
                batch,
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=["name", "level", "parent"],
            )
            written += len(batch)
    return LoadResult(total=len(regions), written=written, skipped=False)
