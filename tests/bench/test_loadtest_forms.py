"""The load test posts forms back the way a browser would (bench/loadtest/forms.py)."""

from bench.loadtest.forms import form_fields

PAGE = """
<form method="get" class="filters"><input name="q" value="cari"></form>
<form method="post" id="score-form">
  <input type="hidden" name="csrfmiddlewaretoken" value="tok&amp;en">
  <input name="name" value="Sentra Purun">
  <input type="checkbox" name="public" value="1" checked>
  <input type="checkbox" name="hidden" value="1">
  <input type="radio" name="K1.1" value="3"><input type="radio" name="K1.1" value="4" checked>
  <select name="commodity"><option value="a">A</option>
    <option value="b" selected>B</option></select>
  <select name="reach"><option value="local">Lokal</option></select>
  <textarea name="story">Cerita &lt;panjang&gt;</textarea>
  <input type="file" name="photo">
  <button type="submit" name="action" value="submit">Kirim</button>
</form>
"""


def test_the_chosen_form_is_read_with_what_a_browser_would_send():
    fields = dict(form_fields(PAGE, form_id="score-form"))
    assert fields["csrfmiddlewaretoken"] == "tok&en"
    assert fields["name"] == "Sentra Purun"
    assert fields["public"] == "1"
    assert "hidden" not in fields
    assert fields["K1.1"] == "4"
    assert fields["commodity"] == "b"
    assert fields["reach"] == "local"  # the first option when none is selected
    assert fields["story"] == "Cerita <panjang>"
    assert "q" not in fields
