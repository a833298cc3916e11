"""Model fields that several apps declare alike, with their bounds (common.validators)."""

from typing import TYPE_CHECKING

from django.db import models

from ovop.common import validators as bounds

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def capacity_field(label: "str | _StrPromise") -> models.DecimalField:
    """A production capacity in its unit: optional, never negative, at most 999,999,999,999.99."""
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, null=True, blank=True, validators=bounds.capacity
    )
