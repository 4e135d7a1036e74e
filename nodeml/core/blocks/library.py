"""The block library: blocks saved as small ``nodeml.block`` files, listed, and inserted into graphs."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GraphEditError, GraphFormatError, NodemlError
from ..fileio import atomic_write_text
from ..graph import Block, Graph
from ..identifiers import block_name_problem
from ..resources import resource_path
from ..serialize import block_to_dict, blocks_json, parse_json, read_blocks

FORMAT = "nodeml.block"
VERSION = 1
LIBRARY_ENV = "NODEML_BLOCK_LIBRARY"


@dataclass
class LibraryBlock:
    """One library file: its main block ``name`` (last in ``blocks``, after the blocks it uses)."""

    name: str
    path: Path
    blocks: list[Block] = field(default_factory=list)
    shipped: bool = False

    @property
    def block(self) -> Block:
        return self.blocks[-1]

    @property
    def doc(self) -> str:
        return self.block.doc


@dataclass
class Inserted:
    """What insert_block did: the main block's name in the graph and the definitions it added
    (remove them with remove_block to undo)."""

    name: str
    added: list[str]
    renamed: dict[str, str]  # library name -> name in the graph, where they differ


def library_dir() -> Path:
    """The user's block folder: $NODEML_BLOCK_LIBRARY, else the platform's data folder
    (platformdirs when installed, else $XDG_DATA_HOME or ~/.local/share) / nodeml / blocks."""
    override = os.environ.get(LIBRARY_ENV)
    if override:
        return Path(override)
    try:
        import platformdirs
    except ImportError:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
        return base / "nodeml" / "blocks"
    return Path(platformdirs.user_data_dir("nodeml", appauthor=False)) / "blocks"


def shipped_dir() -> Path:
    """The blocks that come with nodeml (residual, bottleneck, inception branch, transformer)."""
    return resource_path("blocks")


def block_file_text(graph: Graph, name: str) -> str:
    """The library file of block ``name`` with every block it uses, used ones first."""
    table = graph.blocks
    order = table.dependency_order({name})
    blocks = [block_to_dict(table[b]) for b in order if b != name] + [block_to_dict(table[name])]
    return (
        "{\n"
        f'  "format": "{FORMAT}",\n'
        f'  "version": {VERSION},\n'
        f'  "name": {json.dumps(name)},\n'
        f'  "blocks": {blocks_json(blocks)}\n'
        "}\n"
    )


def save_block(graph: Graph, name: str, folder: str | os.PathLike[str] | None = None) -> Path:
    """Write block ``name`` (and the blocks it uses) to ``folder/<name>.json`` atomically."""
    if name not in graph.blocks:
        raise GraphEditError(f"no block named {name!r}")
    cycle = graph.blocks.cycle_through(name)
    if cycle:
        raise GraphEditError(f"block {name} contains itself ({' -> '.join(cycle)})")
    path = Path(folder) if folder is not None else library_dir()
    target = path / f"{name}.json"  # a validated class name: no separators, no dots
    try:
        atomic_write_text(target, block_file_text(graph, name))
    except OSError as exc:
        raise NodemlError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def load_library_block(path: str | os.PathLike[str], shipped: bool = False) -> LibraryBlock:
    """Read one library file; GraphFormatError says what is wrong with it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise GraphFormatError(f"cannot read block file {path}: {exc}") from None
    try:
        data = parse_json(text, "block file")
    except ValueError as exc:
        raise GraphFormatError(f"cannot read block file {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise GraphFormatError(f'{path} is not a nodeml block file ("format": "{FORMAT}")')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= VERSION:
        raise GraphFormatError(
            f"{path}: block file version {version!r} is not one this nodeml reads"
        )
    blocks = read_blocks(data.get("blocks"), str(path))
    name = data.get("name")
    names = [b.name for b in blocks]
    if name not in names:
        raise GraphFormatError(
            f"{path}: name {name!r} is not one of its blocks ({', '.join(names)})"
        )
    blocks.sort(key=lambda b: b.name == name)  # the main block last, the blocks it uses before
    return LibraryBlock(name, path, blocks, shipped)


def list_library(
    folder: str | os.PathLike[str] | None = None, include_shipped: bool = True
) -> tuple[list[LibraryBlock], list[str]]:
    """The library's blocks (the shipped ones first, then the user's, each sorted by name) and
    one message per file that could not be read."""
    found: list[LibraryBlock] = []
    errors: list[str] = []
    places = [(shipped_dir(), True)] if include_shipped else []
    places.append((Path(folder) if folder is not None else library_dir(), False))
    for place, shipped in places:
        if not place.is_dir():
            continue
        for path in sorted(place.glob("*.json")):
            try:
                found.append(load_library_block(path, shipped))
            except GraphFormatError as exc:
                errors.append(str(exc))
    return found, errors


def insert_block(graph: Graph, entry: LibraryBlock) -> Inserted:
    """Define ``entry``'s block and the blocks it uses in ``graph``. A name already defined
    identically is reused; one defined differently gets a free name (ResidualBlock2) and the
    inserted blocks refer to it by that name."""
    renamed: dict[str, str] = {}
    added: list[str] = []
    for block in entry.blocks:
        mine = block.copy()
        for node in mine.graph.nodes:
            node.type = renamed.get(node.type, node.type)
        existing = graph.blocks.get(mine.name)
        if existing is not None and _same_definition(existing, mine):
            continue
        if existing is not None:
            new = _free_name(graph, mine.name)
            renamed[mine.name] = new
            mine.name = new
            mine.graph.name = new
        graph.blocks.add(mine)
        added.append(mine.name)
    return Inserted(renamed.get(entry.name, entry.name), added, renamed)


def _same_definition(a: Block, b: Block) -> bool:
    return block_to_dict(a) == block_to_dict(b)


def _free_name(graph: Graph, name: str) -> str:
    stem = name.rstrip("0123456789") or name
    i = 2
    while f"{stem}{i}" in graph.blocks or block_name_problem(f"{stem}{i}"):
        i += 1
    return f"{stem}{i}"
