"""`regionlink data get`: the /api/v1/data query from the command line, for officers who script.

Anonymous by default: public, released data only. ``--as USERNAME`` reads as that person
(what their organisation may read), as the API does for a signed-in caller.
"""

from __future__ import annotations

import csv
import json

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from regionlink.indicators import values as reads

HELP = "Truy vấn số liệu theo đơn vị, vùng hoặc cả nước: giá trị, tình trạng, độ bao phủ."


def add_arguments(parser) -> None:
    parser.add_argument(
        "--indicator", required=True, help="Mã chỉ tiêu, nhiều mã cách nhau bằng dấu phẩy."
    )
    target = parser.add_mutually_exclusive_group(required=True)
    target.add_argument("--unit", help="Mã đơn vị hành chính (tỉnh, xã), cách nhau bằng dấu phẩy.")
    target.add_argument("--region", help="Mã vùng, ví dụ DBSH; nhiều mã cách nhau bằng dấu phẩy.")
    target.add_argument("--country", action="store_true", help="Cả nước.")
    parser.add_argument("--period", required=True, help="Kỳ: 2016, 2010:2020, 2024-Q1.")
    parser.add_argument(
        "--boundaries",
        choices=["asof", "current"],
        default="asof",
        help="asof: địa giới khi đó (mặc định); current: quy đổi sang địa giới hiện nay.",
    )
    parser.add_argument("--disaggregation", default="", help="Phân tổ, ví dụ SEX=F.")
    parser.add_argument(
        "--min-coverage",
        dest="min_coverage",
        default=None,
        help="Tỷ lệ đơn vị tối thiểu phải có số liệu (0–1, mặc định 1).",
    )
    parser.add_argument("--format", choices=["json", "csv"], default="json")
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USERNAME",
        default=None,
        help="Đọc với quyền của người dùng này (mặc định: chỉ dữ liệu công khai).",
    )


def _reader(username: str | None):
    if not username:
        return None
    from regionlink.organisations.models import User

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(
            _("Không có người dùng đang hoạt động tên “%(username)s” (tham số --as).")
            % {"username": username}
        )
    return user


def run(command, options) -> None:
    user = _reader(options.get("as_user"))
    try:
        query = reads.parse_query(
            indicator=options["indicator"],
            period=options["period"],
            unit=options.get("unit"),
            region=options.get("region"),
            country=bool(options.get("country")),
            boundaries=options.get("boundaries") or "asof",
            disaggregation=options.get("disaggregation") or "",
            min_coverage=options.get("min_coverage"),
        )
    except reads.QueryError as exc:
        raise CommandError(exc.message) from None
    rows = reads.data_rows(user, query)
    if options.get("format") == "csv":
        writer = csv.DictWriter(
            command.stdout, fieldnames=list(reads.FLAT_COLUMNS), lineterminator="\n"
        )
        writer.writeheader()
        for row in rows:
            writer.writerow(reads.flat_row(row))
        return
    command.stdout.write(
        json.dumps([reads.row_dict(r) for r in rows], ensure_ascii=False, indent=2)
    )
