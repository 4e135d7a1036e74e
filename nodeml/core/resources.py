"""Where nodeml's shipped files are (icons, block library, translations): installed, or in a checkout.

The repository keeps them in ``resources/`` at its top level; a wheel carries the same folder as
``nodeml/resources`` (pyproject's package-dir mapping). Both are looked up here, nowhere else.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

# what each sub-folder must hold for the app to be whole
KINDS = {"icons": "*.svg", "blocks": "*.json", "i18n": "*.qm"}
_KIND_NAMES = {"icons": "icons", "blocks": "shipped blocks", "i18n": "translations"}


def _candidates() -> list[Path]:
    """The installed package's folder first, then the checkout's top-level one."""
    found = []
    packaged = importlib.resources.files("nodeml") / "resources"
    if isinstance(packaged, Path):  # an unzipped install; a zip import has no folder to list
        found.append(packaged)
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file():  # not site-packages, where any folder may be
        found.append(checkout / "resources")
    return found


def resources_dir() -> Path:
    """The first folder that has every kind of resource, else the installed package's place
    (where they should have been, for the warning to name)."""
    candidates = _candidates() or [Path(__file__).resolve().parents[1] / "resources"]
    for folder in candidates:
        if all(any((folder / kind).glob(pattern)) for kind, pattern in KINDS.items()):
            return folder
    return candidates[0]


def resource_path(kind: str, name: str = "") -> Path:
    """``resource_path("icons", "fit.svg")``: the file (it may be missing, see missing_kinds)."""
    if kind not in KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; one of {', '.join(KINDS)}")
    folder = resources_dir() / kind
    return folder / name if name else folder


def missing_kinds() -> list[str]:
    """The kinds of resource nodeml cannot find (empty when the install is whole)."""
    folder = resources_dir()
    return [kind for kind, pattern in KINDS.items() if not any((folder / kind).glob(pattern))]


def missing_message() -> str | None:
    """What to tell the user when resources are missing, or None when nothing is."""
    missing = missing_kinds()
    if not missing:
        return None
    names = [_KIND_NAMES[k] for k in missing]
    what = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (
        f"nodeml's {what} are missing (looked in {resources_dir()}): this install is incomplete; "
        "reinstall nodeml from a wheel or run it from a full checkout."
    )


__all__ = ["KINDS", "missing_kinds", "missing_message", "resource_path", "resources_dir"]
