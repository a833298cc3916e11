import datetime
from decimal import Decimal

from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.formats import date_format

from ovop.common.templatetags.ovop import options, rupiah


def test_rupiah_in_indonesian():
    with translation.override("id"):
        assert rupiah(1250000) == "Rp\u00a01.250.000"
        assert rupiah(Decimal("1250000.40")) == "Rp\u00a01.250.000"
        assert rupiah(None) == "–"


def test_dates_in_indonesian():
    with translation.override("id"):
        assert date_format(datetime.date(2024, 5, 21)) == "21 Mei 2024"
        assert date_format(datetime.date(2024, 5, 21), "SHORT_DATE_FORMAT") == "21/05/2024"


def test_dates_in_english():
    with translation.override("en"):
        assert date_format(datetime.date(2024, 5, 21)) == "21 May 2024"


def test_local_time_is_wita(settings):
    assert settings.TIME_ZONE == "Asia/Makassar"
    noon_utc = datetime.datetime(2024, 5, 21, 4, 0, tzinfo=datetime.UTC)
    assert timezone.localtime(noon_utc).hour == 12


def test_query_with_keeps_other_parameters():
    request = RequestFactory().get("/regions/", {"q": "Banjar", "page": "3"})
    rendered = Template("{% query_with page=4 %}").render(Context({"request": request}))
    assert rendered == "?q=Banjar&amp;page=4"


def test_options_escape_values_and_labels_and_mark_the_chosen_one():
    html = options([("63.03", "Banjar"), ('"x"', "<b>Tala</b>"), (7, "2026 · Kalsel")], 7)
    assert html == (
        '<option value="63.03">Banjar</option>'
        '<option value="&quot;x&quot;">&lt;b&gt;Tala&lt;/b&gt;</option>'
        '<option value="7" selected>2026 · Kalsel</option>'
    )
    assert "selected" not in options([("63.03", "Banjar")], "")
