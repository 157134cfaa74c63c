"""Imports into the data hub: files (long and wide templates, CSV and XLSX, the statistics
office's PX-Web exports, legacy Vietnamese encodings) read, validated and staged all or
nothing, then published with revisions.

- ``pipeline``: ``run_import``, ``start_import``, ``publish_batch`` (the API of this package);
- ``readers`` and ``pxweb``: files → records; ``encodings``: TCVN3, VNI, Windows-1258;
- ``validation``: the rules; ``tasks``: the background task; ``templates``: the downloads.
"""
