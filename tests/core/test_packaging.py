"""The wheel carries every subpackage, the icons, the shipped blocks and the samples; an install
without them is found out (the Layers panel says so: tests/ui/test_palette.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import nodeml

ROOT = Path(nodeml.__file__).resolve().parent.parent
SETUPTOOLS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "setuptools"
]
SHIPPED_BLOCKS = {"bottleneck", "inception_branch", "residual_block", "transformer_encoder"}


def _source_dir(package: str) -> Path:
    mapped = SETUPTOOLS.get("package-dir", {})
    if package in mapped:
        return ROOT / mapped[package]
    return ROOT.joinpath(*package.split("."))


def test_every_subpackage_of_the_source_tree_is_in_the_wheel_list():
    in_tree = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "nodeml").rglob("__init__.py")
    }
    listed = set(SETUPTOOLS["packages"])
    assert in_tree - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    for package in listed:
        assert _source_dir(package).is_dir(), package


def _packaged_files(package: str) -> set[str]:
    folder = _source_dir(package)
    patterns = SETUPTOOLS["package-data"][package]
    return {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and any(fnmatch(p.relative_to(folder).as_posix(), pat) for pat in patterns)
    }


def test_the_wheel_takes_the_icons_blocks_and_samples_from_the_top_level_folders():
    assert SETUPTOOLS["package-dir"] == {
        "nodeml.resources": "resources",
        "nodeml.sample_graphs": "sample_graphs",
    }
    resources = _packaged_files("nodeml.resources")
    assert {f"blocks/{name}.json" for name in SHIPPED_BLOCKS} <= resources
    icons = {Path(f).stem for f in resources if f.startswith("icons/")}
    assert {"nodeml", "fit", "layout", "add_node", "arrow_up", "arrow_down", "check"} <= icons
    assert {"i18n/nodeml_ko.qm", "i18n/nodeml_ko.ts"} <= resources
    # nothing in resources/ is left out of the wheel by a pattern that misses it
    everything = {
        p.relative_to(ROOT / "resources").as_posix()
        for p in (ROOT / "resources").rglob("*")
        if p.is_file()
    }
    assert everything == resources
    assert "lenet.json" in _packaged_files("nodeml.sample_graphs")


_WHERE = """
import json
from nodeml.core import resources
from nodeml.core.blocks.library import list_library, shipped_dir
print(json.dumps({"dir": str(resources.resources_dir()), "missing": resources.missing_kinds(),
    "message": resources.missing_message(), "shipped": str(shipped_dir()),
    "blocks": sorted(e.name for e in list_library("/nonexistent")[0])}))
"""


def _installed_copy(site: Path, with_resources: bool) -> dict:
    """Lay nodeml out as a wheel installs it (resources inside the package) and ask it."""
    import json

    shutil.copytree(ROOT / "nodeml", site / "nodeml", ignore=shutil.ignore_patterns("__pycache__"))
    if with_resources:
        shutil.copytree(ROOT / "resources", site / "nodeml" / "resources")
    proc = subprocess.run(
        [sys.executable, "-c", _WHERE],
        capture_output=True,
        text=True,
        cwd=site,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.splitlines()[-1])


def test_an_install_finds_its_resources_inside_the_package(tmp_path):
    found = _installed_copy(tmp_path, with_resources=True)
    assert found["dir"] == str(tmp_path / "nodeml" / "resources")
    assert found["shipped"] == str(tmp_path / "nodeml" / "resources" / "blocks")
    assert found["missing"] == [] and found["message"] is None
    assert found["blocks"] == [
        "Bottleneck",
        "InceptionBranch",
        "ResidualBlock",
        "TransformerEncoderBlock",
    ]


def test_an_install_without_resources_knows_and_says_where_it_looked(tmp_path):
    found = _installed_copy(tmp_path, with_resources=False)
    assert found["missing"] == ["icons", "blocks", "i18n"]
    assert found["blocks"] == []
    assert "icons, shipped blocks and translations are missing" in found["message"]
    assert str(tmp_path / "nodeml" / "resources") in found["message"]
