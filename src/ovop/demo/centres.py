"""Demo sentra IKM for the 13 kab/kota of Kalimantan Selatan, two each, with IKM units and
certificates. Names and products follow the province's well-known crafts and foods; the
figures are illustrative."""

import datetime
from decimal import Decimal

from ovop.accounts.models import User
from ovop.centres.models import Centre, CommodityGroup
from ovop.centres.services.centres import ensure_default_commodities, save_centre, save_enterprise
from ovop.regions.models import Region

# regency: (approximate latitude, longitude of its capital)
TOWNS = {
    "63.01": (-3.80, 114.76),
    "63.02": (-3.24, 116.22),
    "63.03": (-3.41, 114.85),
    "63.04": (-3.00, 114.75),
    "63.05": (-2.94, 115.16),
    "63.06": (-2.78, 115.27),
    "63.07": (-2.58, 115.38),
    "63.08": (-2.42, 115.25),
    "63.09": (-2.17, 115.38),
    "63.10": (-3.43, 115.99),
    "63.11": (-2.33, 115.47),
    "63.71": (-3.32, 114.59),
    "63.72": (-3.44, 114.83),
}

# regency, name, commodity, main product, KBLI, market reach, units, men, women
CENTRES = [
    (
        "63.01",
        "Sentra Gula Aren Pelaihari",
        "makanan-minuman",
        "Gula aren cetak",
        "10721",
        "province",
        14,
        12,
        20,
    ),
    (
        "63.01",
        "Sentra Anyaman Rotan Tanah Laut",
        "anyaman",
        "Tas dan keranjang rotan",
        "16294",
        "regency",
        9,
        4,
        15,
    ),
    (
        "63.02",
        "Sentra Amplang Kotabaru",
        "makanan-minuman",
        "Amplang ikan tenggiri",
        "10292",
        "national",
        18,
        10,
        34,
    ),
    (
        "63.02",
        "Sentra Olahan Rumput Laut Pulau Laut",
        "makanan-minuman",
        "Dodol rumput laut",
        "10299",
        "province",
        8,
        3,
        16,
    ),
    (
        "63.03",
        "Sentra Kue Tradisional Martapura",
        "makanan-minuman",
        "Kue bingka dan amparan tatak",
        "10792",
        "province",
        16,
        6,
        38,
    ),
    (
        "63.03",
        "Sentra Anyaman Bambu Astambul",
        "anyaman",
        "Anyaman bambu",
        "16292",
        "regency",
        11,
        9,
        14,
    ),
    (
        "63.04",
        "Sentra Anyaman Purun Danda Jaya",
        "anyaman",
        "Tikar dan tas purun",
        "16292",
        "national",
        25,
        5,
        60,
    ),
    (
        "63.04",
        "Sentra Olahan Jeruk Siam Barito Kuala",
        "makanan-minuman",
        "Sirup dan dodol jeruk",
        "11040",
        "province",
        7,
        6,
        11,
    ),
    (
        "63.05",
        "Sentra Kerupuk Ikan Haruan Tapin",
        "makanan-minuman",
        "Kerupuk ikan haruan",
        "10292",
        "regency",
        10,
        4,
        19,
    ),
    ("63.05", "Sentra Bakul Purun Tapin", "anyaman", "Bakul purun", "16292", "local", 6, 2, 12),
    (
        "63.06",
        "Sentra Dodol Kandangan",
        "makanan-minuman",
        "Dodol Kandangan",
        "10732",
        "national",
        21,
        15,
        40,
    ),
    (
        "63.06",
        "Sentra Gerabah Hulu Sungai Selatan",
        "gerabah",
        "Gerabah dan tempayan",
        "23931",
        "regency",
        8,
        10,
        6,
    ),
    (
        "63.07",
        "Sentra Apam Barabai",
        "makanan-minuman",
        "Apam Barabai",
        "10792",
        "province",
        12,
        5,
        22,
    ),
    ("63.07", "Sentra Anyaman Bamban", "anyaman", "Anyaman bamban", "16292", "regency", 9, 3, 17),
    (
        "63.08",
        "Sentra Anyaman Eceng Gondok Amuntai",
        "anyaman",
        "Tas eceng gondok",
        "16292",
        "export",
        30,
        8,
        70,
    ),
    (
        "63.08",
        "Sentra Olahan Itik Alabio",
        "makanan-minuman",
        "Telur asin dan itik panggang",
        "10130",
        "national",
        13,
        14,
        12,
    ),
    (
        "63.09",
        "Sentra Keripik Pisang Tabalong",
        "makanan-minuman",
        "Keripik pisang",
        "10399",
        "province",
        10,
        4,
        18,
    ),
    (
        "63.09",
        "Sentra Tenun Dayak Deah",
        "kain-tenun",
        "Kain tenun ikat Dayak",
        "13121",
        "regency",
        6,
        1,
        14,
    ),
    (
        "63.10",
        "Sentra Tenun Pagatan",
        "kain-tenun",
        "Sarung tenun Pagatan",
        "13121",
        "national",
        19,
        3,
        45,
    ),
    (
        "63.10",
        "Sentra Abon Ikan Tanah Bumbu",
        "makanan-minuman",
        "Abon ikan",
        "10221",
        "province",
        7,
        5,
        10,
    ),
    (
        "63.11",
        "Sentra Anyaman Rotan Halong",
        "anyaman",
        "Kerajinan rotan",
        "16294",
        "regency",
        12,
        11,
        13,
    ),
    (
        "63.11",
        "Sentra Gula Aren Balangan",
        "makanan-minuman",
        "Gula aren",
        "10721",
        "local",
        9,
        8,
        9,
    ),
    (
        "63.71",
        "Sentra Kain Sasirangan Kampung Sasirangan",
        "kain-batik",
        "Kain sasirangan",
        "13134",
        "export",
        40,
        22,
        68,
    ),
    (
        "63.71",
        "Sentra Kerupuk Ikan Banjarmasin",
        "makanan-minuman",
        "Kerupuk ikan pipih",
        "10292",
        "national",
        15,
        9,
        27,
    ),
    (
        "63.72",
        "Sentra Batik Sasirangan Banjarbaru",
        "kain-batik",
        "Sasirangan cap",
        "13134",
        "national",
        11,
        6,
        24,
    ),
    (
        "63.72",
        "Sentra Olahan Ikan Banjarbaru",
        "makanan-minuman",
        "Nugget dan bakso ikan",
        "10213",
        "province",
        8,
        7,
        13,
    ),
]

FOOD_CERTIFICATES = [("halal", "ID6311000{n:04d}"), ("spp_irt", "P-IRT 2{n:05d}6301-28")]
CRAFT_CERTIFICATES = [("brand", "IDM000{n:06d}")]


def _parent_name(region: Region) -> str:
    """The name of a village's district (or a district's regency): every demo place has one."""
    if region.parent is None:
        raise ValueError(f"region {region.code} has no parent")
    return region.parent.name


def _place(regency: str, index: int) -> tuple[Region, tuple[Decimal, Decimal]]:
    districts = list(Region.objects.filter(parent_id=regency).order_by("code")[:2])
    district = districts[min(index, len(districts) - 1)]
    village = Region.objects.filter(parent=district).order_by("code").first() or district
    lat, lon = TOWNS[regency]
    return village, (
        Decimal(str(round(lat + 0.03 * index, 4))),
        Decimal(str(round(lon + 0.03 * index, 4))),
    )


def _enterprises(centre: Centre, number: int) -> None:
    food = centre.commodity.code == "makanan-minuman"
    owners = ["Hj. Siti Norhayati", "H. Ahmad Rifani", "Mariatul Kiptiah"]
    for offset, owner in enumerate(owners[: 2 + number % 2]):
        n = number * 10 + offset
        certificates = [
            {
                "kind": kind,
                "number": pattern.format(n=n),
                "issued_on": datetime.date(2023, 3 + offset, 10 + offset),
                "expires_on": datetime.date(2027, 3 + offset, 10 + offset),
            }
            for kind, pattern in (FOOD_CERTIFICATES if food else CRAFT_CERTIFICATES)
        ][: 2 - offset % 2]
        save_enterprise(
            centre=centre,
            data={
                "name": f"UD {centre.main_product.split()[0]} {owner.split()[-1]}",
                "owner": owner,
                "nib": f"91200{n:08d}",
                "kbli": centre.kbli,
                "founded_year": 2008 + n % 12,
                "worker_count": 4 + n % 9,
                "investment_value": 75_000_000 + 25_000_000 * (n % 7),
                "markets": "Kalimantan Selatan, Jakarta" if n % 2 else "Kalimantan Selatan",
                "sales_channels": ["direct", "marketplace"] if n % 2 else ["direct"],
            },
            certificates=certificates,
            reason="seed_demo",
        )


def seed_centres() -> int:
    """Create the demo centres that do not exist yet; returns how many were created."""
    ensure_default_commodities()
    actor = User.objects.get(username="admin")
    commodities = {c.code: c for c in CommodityGroup.objects.all()}
    created = 0
    for number, row in enumerate(CENTRES):
        regency, name, commodity, product, kbli, reach, units, men, women = row
        if Centre.objects.filter(regency_id=regency, name__iexact=name).exists():
            continue
        region, (lat, lon) = _place(regency, number % 2)
        centre = save_centre(
            actor=actor,
            data={
                "name": name,
                "commodity": commodities[commodity],
                "main_product": product,
                "kbli": kbli,
                "region": region,
                "address": f"{region.name}, {_parent_name(region)}",
                "latitude": lat,
                "longitude": lon,
                "unit_count": units,
                "workers_male": men,
                "workers_female": women,
                "market_reach": reach,
                "decree_number": f"188.45/{100 + number}/KUM/2023" if number % 5 else "",
                "decree_date": datetime.date(2023, 1 + number % 12, 5) if number % 5 else None,
                "decree_signer": "Bupati/Wali Kota" if number % 5 else "",
                "capacity_value": 500 + 100 * number,
                "capacity_unit": "kg" if commodity == "makanan-minuman" else "buah",
                "capacity_period": "month",
                "production_value": 250_000_000 + 75_000_000 * number,
                "investment_value": 150_000_000 + 40_000_000 * number,
                "local_material_share": 60 + number % 40,
            },
            reason="seed_demo",
        )
        _enterprises(centre, number)
        created += 1
    return created
