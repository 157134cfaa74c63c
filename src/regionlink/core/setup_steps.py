"""Steps of `regionlink setup`: each capability registers how to load its reference data.

Steps run in registration order (INSTALLED_APPS order); demo steps run only with --demo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class SetupStep:
    name: str
    run: Callable[[], str]
    demo: bool = False


STEPS: list[SetupStep] = []


def register(name: str, run: Callable[[], str], *, demo: bool = False) -> None:
    if not any(step.name == name for step in STEPS):
        STEPS.append(SetupStep(name, run, demo))
