"""Demo accounts for Kalimantan Selatan (province 63). Demo-only password."""

from dataclasses import dataclass

from django.conf import settings

from ovop.accounts.enums import Role
from ovop.accounts.models import User
from ovop.accounts.services import save_user
from ovop.regions.models import Region

PROVINCE = "63"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    region: str | None
    first_name: str
    last_name: str
    organisation: str


REGENCY_STAFF = {
    "63.01": ("Rahmat", "Hidayat"),
    "63.02": ("Siti", "Aminah"),
    "63.03": ("Muhammad", "Rizki"),
    "63.04": ("Nurul", "Huda"),
    "63.05": ("Ahmad", "Fauzi"),
    "63.06": ("Dewi", "Lestari"),
    "63.07": ("Hendra", "Saputra"),
    "63.08": ("Rina", "Marlina"),
    "63.09": ("Budi", "Santoso"),
    "63.10": ("Fitri", "Handayani"),
    "63.11": ("Agus", "Salim"),
    "63.71": ("Yuliani", "Rahman"),
    "63.72": ("Irfan", "Maulana"),
}


def demo_accounts() -> list[DemoAccount]:
    regency_names = dict(Region.objects.filter(parent_id=PROVINCE).values_list("code", "name"))
    accounts = [
        DemoAccount(
            "admin",
            Role.ADMIN,
            None,
            "Admin",
            "Kemenperin",
            "Direktorat Jenderal IKMA, Kementerian Perindustrian",
        ),
        DemoAccount(
            "verifikator-63",
            Role.VERIFIER,
            PROVINCE,
            "Lina",
            "Wulandari",
            "Dinas Perindustrian Provinsi Kalimantan Selatan",
        ),
        DemoAccount(
            "penilai-1", Role.ASSESSOR, PROVINCE, "Arif", "Budiman", "Universitas Lambung Mangkurat"
        ),
        DemoAccount("penilai-2", Role.ASSESSOR, "33", "Sri", "Rahayu", "GAPMMI"),
        DemoAccount("penilai-3", Role.ASSESSOR, None, "Made", "Wirawan", "Yayasan Batik Indonesia"),
        DemoAccount(
            "penilai-4",
            Role.ASSESSOR,
            "35",
            "Wahyu",
            "Nugroho",
            "Dekranas (Dewan Kerajinan Nasional)",
        ),
        DemoAccount(
            "penilai-5", Role.ASSESSOR, "61", "Ratna", "Sari", "Politeknik Negeri Pontianak"
        ),
        DemoAccount(
            "pimpinan", Role.VIEWER, None, "Bambang", "Prasetyo", "Kementerian Perindustrian"
        ),
    ]
    for code, (first, last) in REGENCY_STAFF.items():
        name = regency_names.get(code, code)
        accounts.append(
            DemoAccount(
                f"operator-{code.replace('.', '')}",
                Role.OPERATOR,
                code,
                first,
                last,
                f"Dinas Perindustrian {name}",
            )
        )
    return accounts


def seed_accounts() -> tuple[list[DemoAccount], int]:
    """Create the demo accounts that do not exist yet; never touches existing ones."""
    accounts = demo_accounts()
    existing = set(
        User.objects.filter(username__in=[a.username for a in accounts]).values_list(
            "username", flat=True
        )
    )
    created = 0
    for account in accounts:
        if account.username in existing:
            continue
        save_user(
            username=account.username,
            role=account.role,
            region_code=account.region,
            email=f"{account.username}@ovop.test",
            password=settings.OVOP_DEMO_PASSWORD,
            first_name=account.first_name,
            last_name=account.last_name,
            organisation=account.organisation,
            reason="seed_demo",
        )
        created += 1
    return accounts, created
