"""Model and form fields that several apps declare alike, with their bounds (common.validators)."""

from typing import TYPE_CHECKING

from django import forms
from django.db import models

from ovop.common import validators as bounds

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def capacity_field(label: "str | _StrPromise") -> models.DecimalField:
    """A production capacity in its unit: optional, never negative, at most 999,999,999,999.99."""
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, null=True, blank=True, validators=bounds.capacity
    )


def reason_form_field(label: "str | _StrPromise", **options) -> forms.CharField:
    """An optional reason box: bounded, multi-line, without hidden characters."""
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=bounds.REASON_MAX_LENGTH,
        validators=[bounds.multi_line_text],
        **options,
    )
