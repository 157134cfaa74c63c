"""RegionLink — Nền tảng Liên kết vùng."""

__version__ = "0.1.0"
