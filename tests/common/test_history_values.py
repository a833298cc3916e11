import pytest

from ovop.coaching.models import Indicator
from ovop.common.history import change_log
from tests.factories import CentreFactory


@pytest.mark.django_db
def test_change_log_shows_list_values_as_text():
    indicator = Indicator.objects.create(centre=CentreFactory(), year=2026, sales_channels=[])
    indicator.sales_channels = ["direct", "marketplace"]
    indicator.save()
    change = change_log(indicator)[0].changes[0]
    assert (change.old, change.new) == ("–", "direct, marketplace")
