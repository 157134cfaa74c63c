"""Names shown in the page's language."""

from __future__ import annotations

from django.utils.translation import get_language


class DisplayNameMixin:
    """For models with ``name`` (official, Vietnamese) and ``name_en``: English pages show it."""

    @property
    def display_name(self) -> str:
        if getattr(self, "name_en", "") and (get_language() or "").startswith("en"):
            return self.name_en
        return self.name
