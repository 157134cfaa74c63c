"""Plans API under /api/v1 (tag “Quy hoạch”): registry, lifecycle, dossier, consultation,
targets, conformity links, review findings and reminders.

The handlers live in ``api_plans`` (registry, lifecycle), ``api_dossier`` (documents,
consultation),
``api_targets`` (targets and links) and ``api_review`` (review runs, findings, reminders).
"""

from __future__ import annotations

from ninja import Router

from regionlink.plans.api_common import TAG
from regionlink.plans.api_dossier import router as dossier_router
from regionlink.plans.api_plans import router as plans_router
from regionlink.plans.api_review import router as review_router
from regionlink.plans.api_targets import router as targets_router

router = Router(tags=[TAG])
# Targets first: “/plans/{code}/targets/template” must not be read as a target id.
router.add_router("", targets_router)
router.add_router("", plans_router)
router.add_router("", dossier_router)
router.add_router("", review_router)
