"""Forms of the evaluation set-up: the whole rubric, star bands, assessors and conflicts."""

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from ovop.centres.models import Centre, CommodityGroup, Enterprise
from ovop.common.fields import reason_form_field
from ovop.common.validators import single_line_text
from ovop.evaluation.enums import Aggregation, SuggestFrom
from ovop.evaluation.models import LEVELS, Level, Rubric, SubCriterion

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise  # typing only: django-stubs is a dev dependency

NAME = 200
DESCRIPTOR = 300
CODE = 10


def _text(label, max_length: int, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        validators=[single_line_text],
        widget=forms.TextInput(attrs={"aria-label": label}),
    )


def _weight(label, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=100,
        required=required,
        widget=forms.NumberInput(attrs={"aria-label": label, "data-weight": "", "min": 1}),
    )


def _suggest_from(label) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=SuggestFrom.choices,
        required=False,
        widget=forms.Select(attrs={"aria-label": label}),
    )


class RubricForm(forms.Form):
    """Every name, weight, level descriptor and setting of a rubric on one screen.

    Field names carry the primary keys (``s12_weight``); one blank row per criterion adds a
    sub-criterion (``new3_code`` …). ``changes()`` turns the cleaned data into the objects
    ``services.setup.save_whole_rubric`` saves.
    """

    aggregation = forms.ChoiceField(label=_("aggregation of assessors"), choices=Aggregation)
    disagreement_gap = forms.DecimalField(
        label=_("disagreement gap (points)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        help_text=_("Flag a proposal when its assessors' totals differ by more than this."),
    )
    assessors_per_proposal = forms.IntegerField(
        label=_("assessors per proposal"), min_value=1, max_value=9
    )
    top_n = forms.IntegerField(label=_("top N for the sensitivity check"), min_value=1)

    SETTINGS = ("aggregation", "disagreement_gap", "assessors_per_proposal", "top_n")

    def __init__(self, data=None, *, rubric: Rubric, subcriteria: list[SubCriterion]):
        initial = {name: getattr(rubric, name) for name in self.SETTINGS}
        super().__init__(data, initial=initial)
        self.rubric = rubric
        self.criteria = list(rubric.criteria.order_by("position", "code"))
        by_criterion: dict[int, list[SubCriterion]] = defaultdict(list)
        for sub in subcriteria:
            by_criterion[sub.criterion_id].append(sub)
        self.subcriteria = by_criterion
        for criterion in self.criteria:
            self._criterion_fields(criterion)
            for sub in by_criterion[criterion.pk]:
                self._subcriterion_fields(sub)
            self._new_fields(criterion)

    # --- building the fields -------------------------------------------------------------

    def _criterion_fields(self, criterion) -> None:
        key = f"c{criterion.pk}"
        self.fields[f"{key}_name"] = _text(_("name"), NAME)
        self.fields[f"{key}_name_en"] = _text(_("name in English"), NAME)
        self.initial.update({f"{key}_name": criterion.name, f"{key}_name_en": criterion.name_en})

    def _subcriterion_fields(self, sub) -> None:
        key = f"s{sub.pk}"
        self.fields[f"{key}_name"] = _text(_("name of %(code)s") % {"code": sub.code}, NAME)
        self.fields[f"{key}_name_en"] = _text(
            _("name of %(code)s in English") % {"code": sub.code}, NAME
        )
        self.fields[f"{key}_weight"] = _weight(_("weight of %(code)s") % {"code": sub.code})
        benefit = _("%(code)s: higher is better") % {"code": sub.code}
        self.fields[f"{key}_benefit"] = forms.BooleanField(
            label=benefit, required=False, widget=forms.CheckboxInput(attrs={"aria-label": benefit})
        )
        self.fields[f"{key}_suggest_from"] = _suggest_from(
            _("suggested level of %(code)s from") % {"code": sub.code}
        )
        self.fields[f"{key}_delete"] = forms.BooleanField(
            label=_("delete %(code)s") % {"code": sub.code},
            required=False,
            widget=forms.CheckboxInput(
                attrs={
                    "data-weight-delete": "",
                    "aria-label": _("delete %(code)s") % {"code": sub.code},
                }
            ),
        )
        self.initial.update(
            {
                f"{key}_name": sub.name,
                f"{key}_name_en": sub.name_en,
                f"{key}_weight": sub.weight,
                f"{key}_benefit": sub.benefit,
                f"{key}_suggest_from": sub.suggest_from,
            }
        )
        for level in sub.levels.all():
            self._level_fields(f"l{level.pk}", sub.code, level.value)
            self.initial.update(
                {
                    f"l{level.pk}_descriptor": level.descriptor,
                    f"l{level.pk}_descriptor_en": level.descriptor_en,
                }
            )

    def _level_fields(
        self, key: str, code: "StrOrPromise", value: int, *, required: bool = True
    ) -> None:
        names = {"code": code, "level": value}
        self.fields[f"{key}_descriptor"] = _text(
            _("%(code)s level %(level)s") % names, DESCRIPTOR, required=required
        )
        self.fields[f"{key}_descriptor_en"] = _text(
            _("%(code)s level %(level)s in English") % names, DESCRIPTOR, required=required
        )

    def _new_fields(self, criterion) -> None:
        key = f"new{criterion.pk}"
        names = {"criterion": criterion.code}
        self.fields[f"{key}_code"] = _text(
            _("code of the new sub-criterion of %(criterion)s") % names, CODE, required=False
        )
        self.fields[f"{key}_name"] = _text(_("name"), NAME, required=False)
        self.fields[f"{key}_name_en"] = _text(_("name in English"), NAME, required=False)
        self.fields[f"{key}_weight"] = _weight(_("weight"), required=False)
        self.fields[f"{key}_benefit"] = forms.BooleanField(
            label=_("higher is better"), required=False, initial=True
        )
        self.fields[f"{key}_suggest_from"] = _suggest_from(_("suggested level from"))
        for value in LEVELS:
            self._level_fields(f"{key}_l{value}", _("new"), value, required=False)

    # --- reading it back -----------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        codes = {
            sub.code
            for subs in self.subcriteria.values()
            for sub in subs
            if not cleaned.get(f"s{sub.pk}_delete")
        }
        for criterion in self.criteria:
            key = f"new{criterion.pk}"
            code = (cleaned.get(f"{key}_code") or "").strip()
            if code and code in codes:
                self.add_error(
                    f"{key}_code",
                    _("%(code)s is already a sub-criterion of this rubric.") % {"code": code},
                )
            codes.add(code)
            if not code:
                if any(cleaned.get(f"{key}_{part}") for part in ("name", "name_en", "weight")):
                    self.add_error(f"{key}_code", _("Give the new sub-criterion a code."))
                continue
            needed = [f"{key}_name", f"{key}_name_en", f"{key}_weight"]
            needed += [f"{key}_l{v}_descriptor{lang}" for v in LEVELS for lang in ("", "_en")]
            for name in needed:
                if cleaned.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, _("Required for a new sub-criterion."))
        return cleaned

    def sections(self) -> list[dict]:
        """The bound fields grouped for the template: criterion → sub-criteria → levels."""
        found = []
        for criterion in self.criteria:
            key = f"c{criterion.pk}"
            subs = []
            for sub in self.subcriteria[criterion.pk]:
                s = f"s{sub.pk}"
                subs.append(
                    {
                        "sub": sub,
                        **{
                            part: self[f"{s}_{part}"]
                            for part in (
                                "name",
                                "name_en",
                                "weight",
                                "benefit",
                                "suggest_from",
                                "delete",
                            )
                        },
                        "levels": [
                            (
                                level.value,
                                self[f"l{level.pk}_descriptor"],
                                self[f"l{level.pk}_descriptor_en"],
                            )
                            for level in sub.levels.all()
                        ],
                    }
                )
            new = f"new{criterion.pk}"
            found.append(
                {
                    "criterion": criterion,
                    "name": self[f"{key}_name"],
                    "name_en": self[f"{key}_name_en"],
                    "subs": subs,
                    "new": {
                        part: self[f"{new}_{part}"]
                        for part in ("code", "name", "name_en", "weight", "benefit", "suggest_from")
                    },
                    "new_levels": [
                        (v, self[f"{new}_l{v}_descriptor"], self[f"{new}_l{v}_descriptor_en"])
                        for v in LEVELS
                    ],
                }
            )
        return found

    def weight_total(self) -> int:
        """The weights as entered (or stored), without deleted rows, for the running sum."""
        source = self.cleaned_data if self.is_bound and hasattr(self, "cleaned_data") else None
        total = 0
        for subs in self.subcriteria.values():
            for sub in subs:
                if source is not None:
                    if not source.get(f"s{sub.pk}_delete"):
                        total += source.get(f"s{sub.pk}_weight") or 0
                else:
                    total += sub.weight
        if source is not None:
            total += sum(source.get(f"new{c.pk}_weight") or 0 for c in self.criteria)
        return total

    def changes(self) -> dict:
        """Keyword arguments for ``save_whole_rubric`` from the cleaned data."""
        data = self.cleaned_data
        for criterion in self.criteria:
            criterion.name = data[f"c{criterion.pk}_name"]
            criterion.name_en = data[f"c{criterion.pk}_name_en"]
        kept, removed, levels = [], [], []
        for subs in self.subcriteria.values():
            for sub in subs:
                if data.get(f"s{sub.pk}_delete"):
                    removed.append(sub)
                    continue
                for part in ("name", "name_en", "weight", "benefit", "suggest_from"):
                    setattr(sub, part, data[f"s{sub.pk}_{part}"])
                kept.append(sub)
                for level in sub.levels.all():
                    level.descriptor = data[f"l{level.pk}_descriptor"]
                    level.descriptor_en = data[f"l{level.pk}_descriptor_en"]
                    levels.append(level)
        for criterion in self.criteria:
            new = self._new_subcriterion(criterion)
            if new is not None:
                kept.append(new[0])
                levels.extend(new[1])
        settings = {name: data[name] for name in self.SETTINGS}
        return {
            "criteria": self.criteria,
            "subcriteria": kept,
            "removed": removed,
            "levels": levels,
            "settings": settings,
        }

    def _new_subcriterion(self, criterion):
        data, key = self.cleaned_data, f"new{criterion.pk}"
        if not data.get(f"{key}_code"):
            return None
        existing = self.subcriteria[criterion.pk]
        sub = SubCriterion(
            criterion=criterion,
            code=data[f"{key}_code"].strip(),
            name=data[f"{key}_name"],
            name_en=data[f"{key}_name_en"],
            weight=data[f"{key}_weight"],
            benefit=data[f"{key}_benefit"],
            suggest_from=data[f"{key}_suggest_from"],
            position=max((s.position for s in existing), default=-1) + 1,
        )
        levels = [
            Level(
                subcriterion=sub,
                value=value,
                descriptor=data[f"{key}_l{value}_descriptor"],
                descriptor_en=data[f"{key}_l{value}_descriptor_en"],
            )
            for value in LEVELS
        ]
        return sub, levels


class BandsForm(forms.Form):
    """The lowest official score of ★2 … ★max (★1 always starts at 0).

    Only the number format is checked here; the rules (rising, within 0–100) are the
    service's, so the screen and any other caller refuse the same things.
    """

    def __init__(self, data=None, *, scale: int, bands: list[tuple[int, float]]):
        super().__init__(data)
        current = dict(bands)
        self.scale = scale
        for stars in range(scale, 1, -1):
            self.fields[f"stars_{stars}"] = forms.DecimalField(
                label="★" * stars,
                max_digits=6,
                decimal_places=2,
                initial=Decimal(str(current.get(stars, 0))).normalize(),
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )

    def cutoffs(self) -> dict[int, Decimal]:
        return {stars: self.cleaned_data[f"stars_{stars}"] for stars in range(2, self.scale + 1)}


class AutoAssignForm(forms.Form):
    per_proposal = forms.IntegerField(
        label=_("assessors per proposal"),
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        widget=forms.NumberInput(attrs={"min": 1, "max": 9}),
    )


class AssignForm(forms.Form):
    assessor = forms.CharField(
        label=_("assessor (username)"),
        max_length=150,
        widget=forms.TextInput(attrs={"list": "assessor-choices", "autocomplete": "off"}),
    )


class AssessorProfileForm(forms.Form):
    organisation = forms.CharField(
        label=_("organisation"), max_length=150, required=False, validators=[single_line_text]
    )
    expertise = forms.ModelMultipleChoiceField(
        label=_("expertise (commodity groups)"),
        queryset=CommodityGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, chosen=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Inactive groups stay listed while an assessor still has them.
        chosen_ids = [group.pk for group in chosen]
        self.fields["expertise"].queryset = CommodityGroup.objects.filter(
            is_active=True
        ) | CommodityGroup.objects.filter(pk__in=chosen_ids)


class ConflictForm(forms.Form):
    """A declared link: one sentra or one IKM unit (found by name) and what the link is."""

    centre = forms.ModelChoiceField(
        queryset=Centre.objects.all(), required=False, widget=forms.HiddenInput
    )
    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.all(), required=False, widget=forms.HiddenInput
    )
    note = forms.CharField(
        label=_("nature of the link"), max_length=300, validators=[single_line_text]
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("centre")) == bool(cleaned.get("enterprise")):
            raise forms.ValidationError(_("Choose one sentra or one IKM unit from the search."))
        return cleaned


class OverrideForm(forms.Form):
    """Publishing with unfinished work needs a reason, which the publication records."""

    override_reason = reason_form_field(
        _("Reason for publishing anyway"),
        help_text=_("Needed only when something above is unfinished; it is recorded."),
    )
