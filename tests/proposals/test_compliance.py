from ovop.proposals.selectors import round_compliance
from tests.factories import CentreFactory, make_proposal, make_round


def test_one_row_per_regency_with_counts(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    round_ = make_round(min_per_regency=2)
    make_proposal(round_=round_, centre=CentreFactory(region_id="63.03.01"), state="submitted")
    make_proposal(round_=round_, centre=CentreFactory(region_id="63.03.02"), state="verified")
    make_proposal(round_=round_, centre=CentreFactory(region_id="63.05.01"), state="draft")
    make_proposal(round_=round_, centre=CentreFactory(region_id="63.05.02"), state="withdrawn")
    make_proposal(round_=round_, centre=CentreFactory(region_id="63.71.01"), state="forwarded")
    rows = {row.regency: row for row in round_compliance(round_=round_)}
    assert len(rows) == 13
    assert (rows["63.03"].submitted, rows["63.03"].verified, rows["63.03"].compliant) == (
        2,
        1,
        True,
    )
    assert (rows["63.05"].submitted, rows["63.05"].compliant) == (0, False)
    assert (rows["63.71"].submitted, rows["63.71"].verified) == (1, 1)
    assert rows["63.72"].name == "Kota Banjarbaru"
    assert all(row.required == 2 for row in rows.values())
    assert 19 <= rows["63.03"].days_left <= 20


def test_compliance_query_count_is_constant(db, django_assert_max_num_queries):
    round_ = make_round()
    with django_assert_max_num_queries(2):
        round_compliance(round_=round_)
