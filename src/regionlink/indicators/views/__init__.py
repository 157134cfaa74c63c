"""Pages of the data hub, one module a page: ``catalogue``, ``indicator`` (with its
``indicator_chart`` and ``indicator_map``), ``entry`` (and its ``entry_grid``),
``import_wizard`` (with ``uploads`` and ``import_templates``), ``datasets`` and ``review``;
``common`` and ``rules`` are what several of them share.

Views are thin: reads of values go through ``values``/``aggregation`` (which filter by
``sharing.readable_datasets``), writes through the importer ``pipeline`` and the services
(``datasets``, ``access``, ``workflow``). Nothing here reads ``DataValue`` directly, so
restricted data cannot leak through a page.
"""

# The unit page of geography shows these.
from regionlink.indicators.views.unit import KEY_INDICATORS, unit_key_indicators

__all__ = ["KEY_INDICATORS", "unit_key_indicators"]
