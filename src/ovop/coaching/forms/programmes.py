"""Forms for programmes, their activities and evidence. Checks across rows are the services'."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ovop.accounts.scope import region_scope
from ovop.centres.models import Centre, Enterprise
from ovop.centres.selectors import centres_visible_to, enterprises_visible_to
from ovop.coaching.enums import EvidenceKind, Focus, Principle
from ovop.coaching.models import Activity, Programme
from ovop.coaching.services.programme_owner import office_level
from ovop.common.validators import single_line_text
from ovop.regions.enums import RegionLevel
from ovop.regions.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# How many unchosen sentra the target list offers at once; a search narrows the rest.
CENTRE_CHOICES_SHOWN = 50


def centre_options(
    *, actor, selected=(), region: str = "", text: str = "", limit: int = CENTRE_CHOICES_SHOWN
) -> tuple[list[dict], bool]:
    """The chosen sentra (ticked) and up to ``limit`` others the user may target, from
    ``region`` (a province or kab/kota code) and matching ``text``; and whether more exist."""
    ids = [int(value) for value in selected if str(value).isdigit()]
    visible = centres_visible_to(actor).select_related("regency")
    chosen = list(visible.filter(pk__in=ids).order_by("regency_id", "name", "pk"))
    others = visible.exclude(pk__in=ids)
    if region:
        others = others.filter(Q(regency_id=region) | Q(province_id=region))
    if text:
        others = others.filter(name__icontains=text.strip())
    shown = list(others.order_by("regency_id", "name", "pk")[: limit + 1])
    options = [{"centre": centre, "checked": True} for centre in chosen]
    options += [{"centre": centre, "checked": False} for centre in shown[:limit]]
    return options, len(shown) > limit


class CentreChoices(forms.CheckboxSelectMultiple):
    """Tick boxes for target sentra with a search box: never lists all 20,000 sentra, only
    the chosen ones and a page of candidates that the search (htmx) replaces."""

    template_name = "coaching/_programme_centre_choices.html"

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.actor = None
        self.region = ""
        self.search_url = ""

    def get_context(self, name, value, attrs):
        # Skip ChoiceWidget's options: they would iterate every choosable centre.
        context = forms.Widget.get_context(self, name, value, attrs)
        options, truncated = centre_options(
            actor=self.actor, selected=value or (), region=self.region
        )
        context["widget"].update(
            {"options": options, "truncated": truncated, "search_url": self.search_url}
        )
        return context


class ProgrammeForm(forms.ModelForm):
    owner_region_code = forms.CharField(
        label=_("Office region code"),
        max_length=5,
        required=False,
        help_text=_(
            "The province (e.g. 63) or kab/kota (e.g. 63.03) whose office runs it; "
            "empty for the ministry."
        ),
    )
    focus = forms.MultipleChoiceField(
        label=_("Focus aspects"),
        choices=Focus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    principles = forms.MultipleChoiceField(
        label=_("Principles"),
        choices=Principle.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    centres = forms.ModelMultipleChoiceField(
        label=_("Target sentra"),
        queryset=Centre.objects.none(),
        required=False,
        widget=CentreChoices,
    )

    class Meta:
        model = Programme
        fields = [
            "name",
            "owner_level",
            "year_start",
            "year_end",
            "budget",
            "focus",
            "principles",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    field_order = [
        "name",
        "owner_level",
        "owner_region_code",
        "year_start",
        "year_end",
        "budget",
        "focus",
        "principles",
        "description",
        "centres",
    ]

    def __init__(self, *args, actor, search_url: str, initial_centres=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = actor
        centres = cast(forms.ModelMultipleChoiceField, self.fields["centres"])
        centres.queryset = centres_visible_to(actor)
        centres.widget.actor, centres.widget.search_url = actor, search_url
        if self.instance.pk:
            self.initial["centres"] = list(self.instance.centres.values_list("pk", flat=True))
            self.initial["owner_region_code"] = self.instance.owner_region_id or ""
        else:
            self.initial.setdefault("centres", [centre.pk for centre in initial_centres])
        if office_level(actor) is not None:
            # A province or kab/kota office runs programmes for itself only.
            for name in ("owner_level", "owner_region_code"):
                self.fields[name].disabled = True
            self.initial["owner_level"] = office_level(actor)
            self.initial["owner_region_code"] = region_scope(actor).code
        region = self["owner_region_code"].value() or ""
        centres.widget.region = region if region in _office_regions(actor, region) else ""

    def clean_owner_region_code(self) -> Region | None:
        code = (self.cleaned_data.get("owner_region_code") or "").strip()
        if not code:
            return None
        region = Region.objects.filter(
            code=code, level__in=[RegionLevel.PROVINCE, RegionLevel.REGENCY]
        ).first()
        if region is None:
            raise ValidationError(_("Unknown province or kab/kota code %(code)s.") % {"code": code})
        return region

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())


def _office_regions(actor, region: str) -> set[str]:
    """Codes usable to narrow the target list: the actor's own, or any valid one for admins."""
    office = region_scope(actor).code
    if office_level(actor) is not None and office is not None:
        return {office}
    return {region} if len(region) in (2, 5) else set()


class ActivityForm(forms.ModelForm):
    focus = forms.MultipleChoiceField(
        label=_("Focus aspects"),
        choices=Focus.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    centres = forms.ModelMultipleChoiceField(
        label=_("Participating sentra"),
        queryset=Centre.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    enterprises = forms.ModelMultipleChoiceField(
        label=_("Participating IKM units"),
        queryset=Enterprise.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only units of the participating sentra can take part."),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "place",
            "focus",
            "participants_male",
            "participants_female",
            "cost",
            "outcome",
        ]
        widgets = {"starts_on": DATE, "ends_on": DATE, "outcome": forms.Textarea(attrs={"rows": 4})}

    field_order = [
        "kind",
        "title",
        "starts_on",
        "ends_on",
        "place",
        "focus",
        "centres",
        "enterprises",
        "participants_male",
        "participants_female",
        "cost",
        "outcome",
    ]

    def __init__(self, *args, actor, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        # Anything the user can see validates here; the service says which is not allowed
        # (not a target of the programme, a unit of a sentra not taking part).
        cast(forms.ModelMultipleChoiceField, self.fields["centres"]).queryset = centres_visible_to(
            actor
        )
        cast(
            forms.ModelMultipleChoiceField, self.fields["enterprises"]
        ).queryset = enterprises_visible_to(actor)
        targets = list(programme.centres.order_by("name", "pk"))
        self.fields["centres"].widget.choices = [(centre.pk, centre.name) for centre in targets]
        self.fields["enterprises"].widget.choices = _enterprises_by_centre(targets)
        if self.instance.pk:
            self.initial["centres"] = list(self.instance.centres.values_list("pk", flat=True))
            self.initial["enterprises"] = list(
                self.instance.enterprises.values_list("pk", flat=True)
            )


def _enterprises_by_centre(centres: list[Centre]) -> list:
    grouped: dict[int, list] = {centre.pk: [] for centre in centres}
    for enterprise in Enterprise.objects.filter(centre__in=centres).order_by("name", "pk"):
        grouped[enterprise.centre_id].append((enterprise.pk, enterprise.name))
    return [(centre.name, grouped[centre.pk]) for centre in centres if grouped[centre.pk]]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EvidenceKind.choices)
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, validators=[single_line_text]
    )
    file = forms.FileField(
        label=_("File (photo: JPEG, PNG or WebP; attendance sheet or report: PDF)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}
        ),
    )
