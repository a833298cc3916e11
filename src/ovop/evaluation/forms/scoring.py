"""The scoring form (levels, comments, draft or submit) and the score-sheet upload form.

The levels are not a Django form: every level of every sub-criterion is shown with its
descriptor, so the template draws the radio buttons itself and ``ScoreEntry`` reads them
back. The scoring service validates the levels; this module only reads what was sent.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy

from ovop.common.validators import multi_line_text
from ovop.common.workbooks.forms import WorkbookUploadForm
from ovop.evaluation.models import Assessment, SubCriterion
from ovop.evaluation.selectors.scoring import prefilled_levels
from ovop.evaluation.services.scoring import Suggestion

SUBMIT = "submit"
DRAFT = "draft"
MAX_COMMENT = 2000


def level_field(code: str) -> str:
    return f"level-{code}"


def comment_field(code: str) -> str:
    return f"comment-{code}"


@dataclass
class ScoreEntry:
    """What the assessor chose: levels and comments by sub-criterion code."""

    # Posted text ("4") or a saved or suggested level (4), by sub-criterion code.
    levels: Mapping[str, int | str] = field(default_factory=dict)
    comments: dict[str, str] = field(default_factory=dict)
    general_comment: str = ""
    submit: bool = False
    confirmed: bool = False

    @classmethod
    def from_post(cls, data, subcriteria: list[SubCriterion]) -> "ScoreEntry":
        levels = {}
        comments = {}
        for sub in subcriteria:
            value = data.get(level_field(sub.code), "").strip()
            if value:
                levels[sub.code] = value
            comment = data.get(comment_field(sub.code), "").strip()[:MAX_COMMENT]
            if comment:
                comments[sub.code] = comment
        return cls(
            levels=levels,
            comments=comments,
            general_comment=data.get("general_comment", "").strip()[: MAX_COMMENT * 2],
            submit=data.get("action") == SUBMIT,
            confirmed=bool(data.get("confirmed")),
        )

    @classmethod
    def initial(
        cls, assessment: Assessment | None, suggestions: dict[str, Suggestion]
    ) -> "ScoreEntry":
        """The saved draft; a sub-criterion without a saved level starts at its suggestion."""
        levels = prefilled_levels(assessment, suggestions)
        if assessment is None:
            return cls(levels=levels)
        return cls(
            levels=levels,
            comments=dict(assessment.comments),
            general_comment=assessment.general_comment,
        )

    def chosen_levels(self) -> dict[str, int]:
        """The levels that are a valid 1–5 (for the running total of a redisplayed form)."""
        return {
            code: int(value)
            for code, value in self.levels.items()
            if str(value).strip() in {"1", "2", "3", "4", "5"}
        }


@dataclass
class LevelChoice:
    value: int
    descriptor: str
    checked: bool
    suggested: bool


@dataclass
class SubCriterionRow:
    sub: SubCriterion
    choices: list[LevelChoice]
    suggestion: Suggestion | None
    comment: str
    error: str

    @property
    def overrides_suggestion(self) -> bool:
        chosen = [choice.value for choice in self.choices if choice.checked]
        return bool(self.suggestion and chosen and chosen[0] != self.suggestion.level)

    @property
    def level_name(self) -> str:
        return level_field(self.sub.code)

    @property
    def comment_name(self) -> str:
        return comment_field(self.sub.code)


@dataclass
class CriterionGroup:
    code: str
    label: str
    weight: int
    rows: list[SubCriterionRow]


def rubric_groups(
    subcriteria: list[SubCriterion],
    *,
    entry: ScoreEntry,
    suggestions: dict[str, Suggestion],
    errors: dict[str, str],
) -> list[CriterionGroup]:
    """The rubric by criterion, each sub-criterion with its levels, choice and suggestion."""
    groups: list[CriterionGroup] = []
    chosen = entry.chosen_levels()
    for sub in subcriteria:
        if not groups or groups[-1].code != sub.criterion.code:
            groups.append(CriterionGroup(sub.criterion.code, sub.criterion.label, 0, []))
        suggestion = suggestions.get(sub.code)
        choices = [
            LevelChoice(
                value=level.value,
                descriptor=level.label,
                checked=chosen.get(sub.code) == level.value,
                suggested=suggestion is not None and suggestion.level == level.value,
            )
            for level in sub.levels.all()
        ]
        groups[-1].weight += sub.weight
        groups[-1].rows.append(
            SubCriterionRow(
                sub=sub,
                choices=choices,
                suggestion=suggestion,
                comment=entry.comments.get(sub.code, ""),
                error=str(errors.get(sub.code, "")),
            )
        )
    return groups


class RecuseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you recuse?"),
        max_length=300,
        validators=[multi_line_text],
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("For example a link to the sentra you had not declared."),
    )


class ScoreSheetImportForm(WorkbookUploadForm):
    file_label = gettext_lazy("Score sheet (.xlsx)")
    file_help = gettext_lazy("The score sheet you downloaded, filled in.")
    dry_run_label = gettext_lazy("Check only: show what would be saved, save nothing")
