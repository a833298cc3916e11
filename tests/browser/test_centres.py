import io

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.browser.test_sign_in import sign_in
from tests.conftest import make_persona

pytestmark = pytest.mark.browser


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 40)).save(buffer, format="JPEG")
    return buffer.getvalue()


def test_operator_records_a_centre_with_unit_halal_certificate_and_photo(page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    operator = make_persona("operator")
    sign_in(page, operator.username)

    page.get_by_role("link", name="Sentra IKM").first.click()
    page.get_by_role("button", name="Sentra baru").click()
    page.locator("#id_name").fill("Sentra Bingka Martapura")
    page.get_by_label("Kelompok komoditas").select_option(label="Makanan & minuman")
    page.get_by_label("Produk utama").fill("Kue bingka")
    page.get_by_label("Kode KBLI 2020").fill("10792")
    page.get_by_label("Kode kecamatan atau desa").fill("63.03.01")
    page.get_by_label("Lintang").fill("-3.4167")
    page.get_by_label("Bujur").fill("114.8500")
    page.get_by_label("Unit usaha").fill("9")
    page.get_by_label("Tenaga kerja (perempuan)").fill("21")
    page.get_by_role("button", name="Simpan").click()
    screenshot(page, "centre-form-after-save")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sentra Bingka Martapura")

    page.get_by_role("button", name="Tambah unit IKM").click()
    page.get_by_label("Nama usaha").fill("UD Bingka Hj. Aminah")
    page.get_by_label("Pemilik").fill("Hj. Aminah")
    page.get_by_label("NIB").fill("9120001112223")
    page.locator("#id_worker_count").fill("7")
    page.locator("#id_certificates-0-kind").select_option("halal")
    page.locator("#id_certificates-0-number").fill("ID63110000777")
    page.get_by_role("button", name="Simpan").click()
    expect(page.get_by_role("cell", name="UD Bingka Hj. Aminah")).to_be_visible()
    expect(page.get_by_text("ID63110000777")).to_be_visible()

    page.get_by_role("button", name="Tambah foto").click()
    page.locator("input[type=file]").set_input_files(
        {"name": "bingka.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}
    )
    page.get_by_role("button", name="Unggah").click()
    expect(page.locator(".photo-grid img")).to_have_count(1)
    screenshot(page, "centre-detail")

    page.get_by_role("link", name="Sentra IKM").first.click()
    expect(page.get_by_role("link", name="Sentra Bingka Martapura")).to_be_visible()
    page.get_by_role("button", name="Peta").click()
    expect(page.locator("#centre-map")).to_have_attribute("data-marker-count", "1")
    expect(page.locator(".map-list").get_by_text("Sentra Bingka Martapura")).to_be_visible()
    screenshot(page, "centre-map")
