"""The default rubric and star bands of the domain brief (editable per cycle)."""

from ovop.evaluation.enums import SuggestFrom

# (code, name, name_en, [(code, name, name_en, weight, suggest_from, [(id, en) × 5])])
DEFAULT_RUBRIC = [
    (
        "K1",
        "Produksi",
        "Production",
        [
            (
                "K1.1",
                "Penggunaan bahan baku lokal",
                "Share of local raw material",
                10,
                SuggestFrom.NONE,
                [
                    ("Bahan baku lokal < 20%", "Local raw material below 20%"),
                    ("Bahan baku lokal 20–39%", "Local raw material 20–39%"),
                    ("Bahan baku lokal 40–59%", "Local raw material 40–59%"),
                    ("Bahan baku lokal 60–79%", "Local raw material 60–79%"),
                    ("Bahan baku lokal ≥ 80%", "Local raw material 80% or more"),
                ],
            ),
            (
                "K1.2",
                "Kontinuitas pasokan bahan baku",
                "Continuity of raw-material supply",
                8,
                SuggestFrom.NONE,
                [
                    ("Pasokan sering terputus", "Supply often interrupted"),
                    ("Pasokan musiman, tanpa cadangan", "Seasonal supply, no reserve"),
                    (
                        "Pasokan cukup stabil dari beberapa pemasok",
                        "Fairly stable from several suppliers",
                    ),
                    (
                        "Pasokan stabil dengan kontrak/kemitraan",
                        "Stable, with contracts or partnerships",
                    ),
                    (
                        "Pasokan terjamin sepanjang tahun dengan stok penyangga",
                        "Assured all year with buffer stock",
                    ),
                ],
            ),
            (
                "K1.3",
                "Nilai tambah",
                "Value added",
                7,
                SuggestFrom.NONE,
                [
                    (
                        "Bahan mentah dijual hampir tanpa olahan",
                        "Raw material sold nearly unprocessed",
                    ),
                    ("Pengolahan sederhana", "Simple processing"),
                    ("Pengolahan menjadi produk jadi", "Processed into finished products"),
                    (
                        "Produk olahan dengan variasi turunan",
                        "Processed products with derived variants",
                    ),
                    ("Nilai tambah tinggi, produk premium", "High value added, premium products"),
                ],
            ),
        ],
    ),
    (
        "K2",
        "Jenis & mutu produk",
        "Product type & quality",
        [
            (
                "K2.1",
                "Keunikan / kearifan lokal",
                "Uniqueness / local wisdom",
                10,
                SuggestFrom.NONE,
                [
                    ("Produk umum, ada di banyak daerah", "Common product, found in many places"),
                    ("Sedikit ciri khas daerah", "Some regional character"),
                    ("Ciri khas daerah jelas", "Clear regional character"),
                    ("Khas daerah dan dikenal luas", "Regional speciality, widely known"),
                    (
                        "Unik, berbasis kearifan lokal, sulit ditiru",
                        "Unique, rooted in local wisdom, hard to copy",
                    ),
                ],
            ),
            (
                "K2.2",
                "Mutu & legalitas: izin, sertifikat",
                "Quality & legality: permits, certificates",
                10,
                SuggestFrom.CERTIFICATES,
                [
                    ("Belum memiliki izin atau sertifikat", "No permit or certificate yet"),
                    ("Satu izin/sertifikat", "One permit or certificate"),
                    ("Dua jenis izin/sertifikat", "Two kinds of permit or certificate"),
                    ("Tiga jenis izin/sertifikat", "Three kinds of permit or certificate"),
                    (
                        "Empat jenis atau lebih, termasuk SNI/merek",
                        "Four kinds or more, including SNI or trademark",
                    ),
                ],
            ),
            (
                "K2.3",
                "Inovasi desain & kemasan sesuai pasar",
                "Market-driven design & packaging innovation",
                10,
                SuggestFrom.NONE,
                [
                    ("Tanpa kemasan/desain", "No packaging or design"),
                    ("Kemasan sederhana", "Simple packaging"),
                    ("Kemasan berlabel dan informatif", "Labelled, informative packaging"),
                    (
                        "Desain dan kemasan dikembangkan sesuai selera pasar",
                        "Design and packaging developed for the market",
                    ),
                    (
                        "Inovasi berkelanjutan, desain berdaya saing global",
                        "Continuous innovation, globally competitive design",
                    ),
                ],
            ),
        ],
    ),
    (
        "K3",
        "Jangkauan pasar",
        "Market reach",
        [
            (
                "K3.1",
                "Tingkat jangkauan pasar (lokal → ekspor)",
                "Market reach level (local → export)",
                15,
                SuggestFrom.MARKET_REACH,
                [
                    ("Hanya desa/kecamatan", "Village/district only"),
                    ("Kabupaten/kota", "Regency/city"),
                    ("Regional/provinsi", "Regional/province"),
                    (
                        "Nasional, penjualan antarprovinsi rutin",
                        "National, regular inter-provincial sales",
                    ),
                    ("Ekspor rutin atau berkontrak", "Regular or contracted export"),
                ],
            ),
            (
                "K3.2",
                "Saluran pemasaran, promosi & citra",
                "Channels, promotion & image",
                10,
                SuggestFrom.NONE,
                [
                    ("Penjualan langsung saja, tanpa promosi", "Direct sales only, no promotion"),
                    (
                        "Satu saluran tambahan, promosi sesekali",
                        "One more channel, occasional promotion",
                    ),
                    ("Beberapa saluran termasuk daring", "Several channels including online"),
                    (
                        "Promosi rutin, pameran, merek dikenal",
                        "Regular promotion, exhibitions, known brand",
                    ),
                    (
                        "Citra kuat, pemasaran multikanal dan internasional",
                        "Strong image, multichannel and international marketing",
                    ),
                ],
            ),
        ],
    ),
    (
        "K4",
        "Kapasitas produksi",
        "Production capacity",
        [
            (
                "K4.1",
                "Kapasitas & stabilitas produksi",
                "Capacity & stability of output",
                10,
                SuggestFrom.NONE,
                [
                    ("Produksi tidak menentu", "Irregular output"),
                    ("Produksi rutin, skala kecil", "Regular output, small scale"),
                    (
                        "Produksi stabil, memenuhi pesanan lokal",
                        "Stable output, meets local orders",
                    ),
                    (
                        "Produksi stabil, memenuhi pesanan besar",
                        "Stable output, meets large orders",
                    ),
                    (
                        "Kapasitas besar dan terencana, siap ekspor",
                        "Large planned capacity, export ready",
                    ),
                ],
            ),
            (
                "K4.2",
                "Tenaga kerja & pengembangan SDM",
                "Workforce & HR development",
                5,
                SuggestFrom.WORKERS,
                [
                    ("Kurang dari 10 tenaga kerja", "Fewer than 10 workers"),
                    ("10–24 tenaga kerja", "10–24 workers"),
                    ("25–49 tenaga kerja", "25–49 workers"),
                    ("50–99 tenaga kerja, pelatihan rutin", "50–99 workers, regular training"),
                    (
                        "100 tenaga kerja atau lebih, pengembangan SDM terprogram",
                        "100 workers or more, planned HR development",
                    ),
                ],
            ),
            (
                "K4.3",
                "Peralatan, proses & SOP",
                "Equipment, process & SOP",
                5,
                SuggestFrom.NONE,
                [
                    ("Peralatan manual, tanpa SOP", "Manual tools, no SOP"),
                    ("Sebagian semi-mekanis", "Partly semi-mechanised"),
                    ("Peralatan memadai, SOP sederhana", "Adequate equipment, simple SOP"),
                    (
                        "Peralatan modern, SOP tertulis dan dijalankan",
                        "Modern equipment, written SOP in use",
                    ),
                    (
                        "Proses terstandar dan terdokumentasi (mis. GMP/ISO)",
                        "Standardised, documented process (e.g. GMP/ISO)",
                    ),
                ],
            ),
        ],
    ),
]

# stars → lowest score earning them, per scale (the lowest band starts at 0).
DEFAULT_BANDS = {
    5: [(5, 85), (4, 70), (3, 55), (2, 40), (1, 0)],
    3: [(3, 75), (2, 55), (1, 0)],
}

# Registry value → suggested level.
MARKET_REACH_LEVEL = {"local": 1, "regency": 2, "province": 3, "national": 4, "export": 5}
WORKER_LEVEL_FLOORS = [(100, 5), (50, 4), (25, 3), (10, 2), (0, 1)]
