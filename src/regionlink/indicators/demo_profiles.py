"""Profiles of the 63 provinces (to 30/06/2025) behind the illustrative data set.

ILLUSTRATIVE, NOT OFFICIAL: round figures of the right order of magnitude for 2024, written so
that the demo looks like Vietnam (Hà Nội ≈ 8.7 million people, TP Hồ Chí Minh ≈ 9.5 million,
the country ≈ 101.1 million; GRDP per capita ≈ 110 million VND). They are not statistics of
the statistics office and the demo never presents them as such (``demo.DEMO_SOURCE``).

Columns (2024 unless said otherwise):
  code      province code (old, valid to 30/06/2025)
  pop       average population, thousand persons
  pop_g     population growth, % a year (applied backwards and to 2025)
  urban     urban share of the population, %
  area      natural area, km² (rescaled to the territory's area of the new province if known)
  grdp_pc   GRDP per capita at current prices, million VND
  agr, ind  shares of agriculture-forestry-fishing and of industry-construction in GRDP, %
  forest    forest cover, % of the area
  fdi       registered FDI still valid, cumulative, million USD
  exports   exports of goods, million USD
  pov16     multidimensional poverty rate in 2016, %
  trained   share of trained workers with certificates, %
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProvinceProfile:
    code: str
    pop: float
    pop_g: float
    urban: float
    area: float
    grdp_pc: float
    agr: float
    ind: float
    forest: float
    fdi: float
    exports: float
    pov16: float
    trained: float


#   code  pop pop_g urban area grdp_pc agr ind forest fdi exports pov16 trained
_TABLE = """
    01 8718 1.6 50  3360 164   2 23   6 46000 19000 1.5 52  # Hà Nội
    02  906 1.5 17  7928  40  30 20  59   150   500  34 18  # Hà Giang
    04  548 0.9 25  6700  48  22 20  56   100   600  32 20  # Cao Bằng
    06  328 0.9 22  4860  50  28 15  73    50    50  26 22  # Bắc Kạn
    08  812 1.0 17  5868  65  22 33  65   300  1200  17 22  # Tuyên Quang
    10  781 1.5 26  6364 105  13 40  55  1000  1800  18 24  # Lào Cai
    11  652 1.6 20  9540  45  25 23  42    30    50  36 17  # Điện Biên
    12  489 1.8 20  9069  58  20 38  51    20    10  38 17  # Lai Châu
    14 1330 1.5 15 14110  60  33 25  47   100   150  28 15  # Sơn La
    15  848 1.0 22  6893  60  22 33  63   200   900  20 22  # Yên Bái
    17  879 0.8 18  4591  75  23 35  51   700  2000  17 25  # Hòa Bình
    19 1355 1.1 38  3522 115  11 52  54  9500 29000   8 31  # Thái Nguyên
    20  808 0.9 22  8310  60  22 22  63   200  3000  15 22  # Lạng Sơn
    22 1393 1.2 67  6208 210   6 50  55 12000  6000   2 40  # Quảng Ninh
    24 1950 1.3 22  3896 100  10 60  38  9000 28000   8 30  # Bắc Giang
    25 1540 0.8 20  3535  72  18 43  39  2000  7000   8 30  # Phú Thọ
    26 1230 1.2 30  1236 135   6 62  23  6500 12000   4 35  # Vĩnh Phúc
    27 1540 2.0 35   823 170   3 67   1 27000 55000 2.5 38  # Bắc Ninh
    30 1975 0.8 32  1668 110   9 53   5 10000  9500 3.5 30  # Hải Dương
    31 2145 1.3 48  1527 200   4 48   7 30000 35000 2.5 38  # Hải Phòng
    33 1340 1.0 20   930 110   8 60   1  8000 11000   3 30  # Hưng Yên
    34 1900 0.3 14  1586  72  25 40   1  1500  2500   4 27  # Thái Bình
    35  889 0.7 23   861 100   6 62   5  4000  4500   4 33  # Hà Nam
    36 1900 0.2 19  1669  65  20 37   3   900  2700   4 28  # Nam Định
    37 1011 0.6 24  1412  95   9 43  18  1300  4500   4 32  # Ninh Bình
    38 3790 0.6 19 11115  85  13 50  54 15000  8000   9 28  # Thanh Hóa
    40 3510 0.9 18 16487  60  22 35  58  2500  3500  10 28  # Nghệ An
    42 1340 0.6 21  5994  90  13 46  53 17000  3800  10 26  # Hà Tĩnh
    44  918 0.6 23  7999  65  18 33  68   400   400   8 28  # Quảng Bình
    45  652 0.6 32  4702  70  20 35  50   800   400  11 26  # Quảng Trị
    46 1166 0.6 50  4947  75   8 37  57  4500  1300   5 30  # Thừa Thiên Huế
    48 1245 1.6 87  1285 125 1.5 25  45  4500  2200   1 45  # Đà Nẵng
    49 1535 0.5 27 10575  85  13 37  60  6500  2000   9 26  # Quảng Nam
    51 1260 0.4 21  5155 110  16 47  52  2500  2500  11 25  # Quảng Ngãi
    52 1520 0.3 32  6066  80  24 30  55  1500  1700   7 25  # Bình Định
    54  881 0.3 30  5023  65  27 27  47  3200   300  10 23  # Phú Yên
    56 1270 0.7 45  5199 100  11 33  46  2000  1900 4.5 28  # Khánh Hòa
    58  601 0.7 37  3355  90  28 38  47  1000   250   9 23  # Ninh Thuận
    60 1270 0.6 40  7943  90  30 28  43  2000  1100   4 22  # Bình Thuận
    62  588 1.8 38  9677  65  26 28  62   100   150  20 21  # Kon Tum
    64 1640 1.4 30 15510  70  35 24  46   600   800  14 20  # Gia Lai
    66 1960 0.8 25 13070  65  38 15  40   800  1200  12 20  # Đắk Lắk
    67  681 1.6 17  6509  70  38 16  35   500   700  14 19  # Đắk Nông
    68 1350 0.9 39  9781  85  35 17  55   800   800   5 24  # Lâm Đồng
    70 1055 1.5 26  6874  90  22 42  36  4000  5000   4 22  # Bình Phước
    72 1200 0.8 23  4042 105  24 44  16 11000  8000 1.5 24  # Tây Ninh
    74 2830 3.0 85  2695 175   2 65   1 42000 36000 0.3 30  # Bình Dương
    75 3340 1.7 45  5864 150   9 56  17 34000 24000 0.8 32  # Đồng Nai
    77 1189 1.2 45  1982 300   8 63  13 33000  8500 1.5 35  # Bà Rịa - Vũng Tàu
    79 9522 1.2 78  2095 180 0.6 22  17 60000 50000 0.2 42  # TP Hồ Chí Minh
    80 1760 1.2 22  4495 120  15 57   2 11000  9000 2.5 24  # Long An
    82 1810 0.3 17  2556  80  36 28   2  3500  4200 4.5 20  # Tiền Giang
    83 1298 0.2 11  2394  65  38 22   2  1700  1500   6 19  # Bến Tre
    84 1020 0.2 18  2391  80  30 33   4  1500   700  10 20  # Trà Vinh
    86 1030 0.1 18  1526  70  32 22 0.3   300   700   3 19  # Vĩnh Long
    87 1605 0.1 20  3384  70  36 21   2   300  1300   5 18  # Đồng Tháp
    89 1935 0.0 32  3537  60  30 16   6   500  1300   6 17  # An Giang
    91 1760 0.3 29  6353  80  35 26  10  4800   900 3.5 18  # Kiên Giang
    92 1258 0.5 70  1440 100   8 28 0.2  1200  2000   2 32  # Cần Thơ
    93  727 0.1 28  1622  75  30 33   4   500   800   8 17  # Hậu Giang
    94 1199 0.0 33  3298  60  34 18   4   300  1200   9 17  # Sóc Trăng
    95  922 0.3 28  2669  75  40 17   4   600   300   7 17  # Bạc Liêu
    96 1208 0.1 24  5275  75  32 35   9   300  1400   6 18  # Cà Mau
"""

PROFILES: dict[str, ProvinceProfile] = {}
for _line in _TABLE.strip().splitlines():
    _code, *_numbers = _line.split("#")[0].split()
    PROFILES[_code] = ProvinceProfile(_code, *(float(n) for n in _numbers))

# Regions of the old provinces where the 2021 COVID-19 lockdowns cut output hardest.
SOUTHEAST = {"70", "72", "74", "75", "77", "79"}
MEKONG = {"80", "82", "83", "84", "86", "87", "89", "91", "92", "93", "94", "95", "96"}
# Budget revenue collected in the province beyond what its GRDP suggests (head offices, oil).
REVENUE_MULTIPLIER = {"01": 2.2, "79": 1.5, "77": 1.4, "22": 1.3}
# Central hospitals serving a wider area: extra beds and doctors per 10,000 people.
MEDICAL_CENTRE = {"01": (14, 10), "79": (14, 10), "46": (8, 12), "48": (8, 8), "92": (8, 8)}

# National year factors, %: real GRDP growth, GRDP deflator, nominal income, exports.
REAL_GROWTH = {
    2015: 6.99, 2016: 6.69, 2017: 6.94, 2018: 7.47, 2019: 7.36, 2020: 2.87,
    2021: 2.55, 2022: 8.12, 2023: 5.05, 2024: 7.09, 2025: 8.0,
}  # fmt: skip
DEFLATOR = {
    2015: -0.2, 2016: 1.1, 2017: 4.1, 2018: 3.5, 2019: 1.7, 2020: 1.1,
    2021: 3.9, 2022: 3.5, 2023: 1.7, 2024: 2.8, 2025: 3.0,
}  # fmt: skip
DEFLATOR_2024 = 1.90  # current ÷ 2010 prices
INCOME_GROWTH = {
    2015: 7.0, 2016: 8.0, 2017: 8.0, 2018: 9.0, 2019: 9.0, 2020: -1.0,
    2021: -1.0, 2022: 9.0, 2023: 6.0, 2024: 8.0, 2025: 8.0,
}  # fmt: skip
EXPORT_GROWTH = {
    2015: 7.9, 2016: 9.0, 2017: 21.2, 2018: 13.3, 2019: 8.4, 2020: 7.0,
    2021: 19.0, 2022: 10.6, 2023: -4.4, 2024: 14.3, 2025: 15.0,
}  # fmt: skip
