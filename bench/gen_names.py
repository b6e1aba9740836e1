"""Names and activity profiles of the synthetic units of bench/generate.py: departments
(the seed's, then centres and sub-departments), mass organisations and press, and communes
named from common place-name syllables. Deterministic for a given random generator."""
from __future__ import annotations

import random

DEPT, COMMUNE, MASS = "Sở, ban, ngành", "UBND cấp xã", "Đoàn thể"
GROUPS = [  # code, name, group of its members
    ("SBN", "Các sở, ban, ngành tỉnh", DEPT),
    ("UBNDX", "UBND các xã, phường", COMMUNE),
    ("DTBC", "Các đoàn thể, cơ quan báo chí tỉnh", MASS),
]
EXTRA_KINDS = ["Trung tâm", "Chi cục", "Ban Quản lý"]
EXTRA_FIELDS = ["Văn thư - Lưu trữ", "Chuyển đổi số", "Khuyến nông", "Xúc tiến đầu tư",
                "Thông tin và Thống kê", "Phát triển quỹ đất", "Kiểm định xây dựng",
                "Kiểm soát bệnh tật", "Dịch vụ việc làm", "Công tác xã hội", "Giống cây trồng",
                "Thủy lợi", "Tiêu chuẩn Đo lường Chất lượng", "Ứng dụng khoa học và công nghệ"]
MASS_NAMES = ["Tỉnh đoàn", "Hội Liên hiệp Phụ nữ tỉnh", "Hội Nông dân tỉnh", "Hội Cựu chiến binh tỉnh",
              "Liên đoàn Lao động tỉnh", "Báo tỉnh", "Đài Phát thanh và Truyền hình tỉnh",
              "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh", "Hội Chữ thập đỏ tỉnh",
              "Liên minh Hợp tác xã tỉnh", "Hội Nhà báo tỉnh", "Hội Văn học Nghệ thuật tỉnh",
              "Hội Luật gia tỉnh", "Hội Khuyến học tỉnh", "Hội Người cao tuổi tỉnh"]
SYLLABLES = ["An", "Bình", "Tân", "Hưng", "Phú", "Thành", "Đông", "Tây", "Nam", "Bắc", "Hòa", "Thanh",
             "Phúc", "Long", "Gia", "Kim", "Minh", "Quang", "Vĩnh", "Hồng", "Đức", "Lạc", "Thịnh", "Yên"]
# Activity ranges per unit group: indicator code → (min, max) per month.
PROFILES = {
    DEPT: {"HD-TIN": (2, 8), "HD-HN": (0, 2), "HD-NGUOI": (0, 150), "HD-PANO": (0, 10),
           "HD-PTTH": (0, 1), "HD-MXH": (3, 12)},
    COMMUNE: {"HD-TIN": (1, 6), "HD-HN": (0, 2), "HD-NGUOI": (20, 200), "HD-PANO": (2, 15),
              "HD-PTTH": (0, 4), "HD-MXH": (2, 10)},
    MASS: {"HD-TIN": (5, 40), "HD-HN": (0, 2), "HD-NGUOI": (0, 120), "HD-PANO": (0, 5),
           "HD-PTTH": (0, 12), "HD-MXH": (10, 60)},
}


def unit_specs(rng: random.Random, n_units: int, seed_depts: list[str]) -> list[tuple[str, str, str]]:
    """(code, name, group) of the reporting units: ~20 % departments, ~5 % mass organisations
    and press, the rest communes."""
    n_dept = max(1, round(n_units * 0.2))
    n_mass = min(len(MASS_NAMES), round(n_units * 0.05))
    n_comm = n_units - n_dept - n_mass
    extras = [f"{k} {f} tỉnh" for f in EXTRA_FIELDS for k in EXTRA_KINDS]
    dept_names = (seed_depts + extras)[:n_dept]
    dept_names += [f"Đơn vị sự nghiệp số {i}" for i in range(1, n_dept - len(dept_names) + 1)]
    pairs = [f"{a} {b}" for a in SYLLABLES for b in SYLLABLES if a != b]
    rng.shuffle(pairs)
    comm_names = []
    for i in range(n_comm):
        base = pairs[i % len(pairs)] + (f" {i // len(pairs) + 1}" if i >= len(pairs) else "")
        comm_names.append(f"UBND {'phường' if i % 4 == 0 else 'xã'} {base}")
    out = [(f"D{i + 1:03d}", name, DEPT) for i, name in enumerate(dept_names)]
    out += [(f"M{i + 1:03d}", name, MASS) for i, name in enumerate(MASS_NAMES[:n_mass])]
    out += [(f"X{i + 1:04d}", name, COMMUNE) for i, name in enumerate(comm_names)]
    return out
