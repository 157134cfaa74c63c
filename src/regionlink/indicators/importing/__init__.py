"""Imports into the data hub: files (long and wide templates, CSV and XLSX, the statistics
office's PX-Web exports, legacy Vietnamese encodings) read, validated and staged all or
nothing, then published with revisions.

- ``pipeline``: ``run_import``, ``start_import``, ``publish_batch`` (the API of this package);
- ``readers`` and ``pxweb``: files → records; ``encodings``: TCVN3, VNI, Windows-1258;
- ``validation``: the rules; ``tasks``: the background task; ``templates``: the downloads;
- ``bulk``: staging rows (COPY on PostgreSQL, executemany on SQLite); ``compare``: new,
  changed and unchanged against the published values, and publishing; ``report``: the report.
"""
