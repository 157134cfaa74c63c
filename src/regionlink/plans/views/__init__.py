"""Pages of the plan registry, one module a page family: ``plan_list``, ``plan_page`` (the
plan page and document downloads), ``plan_edit`` (registry entry, lifecycle, adjustment),
``dossier`` (documents, consultation), ``targets``, ``conformity``, ``review`` (the review
pages, findings and reminders); ``common`` is what they share.

Views are thin: reads go through ``permissions.visible_plans`` and ``can``; every write goes
through the plans services, which check permissions again. A plan the visitor
may not see answers 404; an action they may not take answers 403 with the reason.
"""
