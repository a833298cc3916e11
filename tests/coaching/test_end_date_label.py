"""An activity's end date reads "sampai"; a state change's "to" still reads "menjadi"."""

from django.utils import translation

from ovop.coaching.models import Activity
from ovop.proposals.models import Transition


def test_the_end_date_is_labelled_until_in_indonesian():
    with translation.override("id"):
        assert str(Activity._meta.get_field("ends_on").verbose_name) == "sampai"
        assert str(Transition._meta.get_field("to_state").verbose_name) == "menjadi"
    with translation.override("en"):
        assert str(Activity._meta.get_field("ends_on").verbose_name) == "to"
