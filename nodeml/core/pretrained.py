"""Pretrained backbone weights: found in torch's hub cache, or downloaded into it, before a build.

The generated code loads weights through torchvision's own builders (``resnet18(weights=...)``),
which read ``<torch hub dir>/checkpoints/<file>`` and download it when it is missing. nodeml
looks first, so that offline and uncached is a clear error naming the node and the way out
instead of a urllib traceback from inside the model's ``__init__``.
"""

from __future__ import annotations

import http.client
import os
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import torch

from .catalog import get_spec
from .errors import PretrainedWeightsError
from .graph import Graph


def cache_dir() -> Path:
    """Where torch keeps downloaded weights (``$TORCH_HOME/hub/checkpoints``)."""
    return Path(torch.hub.get_dir()) / "checkpoints"


def weights_url(model: str) -> str:
    from torchvision.models import get_model_weights

    return get_model_weights(model).DEFAULT.url


def weights_file(model: str) -> Path:
    """The file torchvision reads the model's DEFAULT weights from (named after the URL)."""
    return cache_dir() / os.path.basename(urlparse(weights_url(model)).path)


def pretrained_nodes(graph: Graph) -> list[tuple[str, str]]:
    """(node id, torchvision model) for every backbone node asking for pretrained weights,
    also inside the blocks the graph uses (named ``Block.node``)."""
    out = [(nid, model) for nid, model in _asking(graph)]
    used = {n.type for n in graph.nodes if n.type in graph.blocks}
    for name in graph.blocks.dependency_order(used):
        out.extend((f"{name}.{nid}", model) for nid, model in _asking(graph.blocks[name].graph))
    return out


def _asking(graph: Graph) -> list[tuple[str, str]]:
    out = []
    for node in graph.nodes:
        spec = get_spec(node.type)
        if spec is not None and spec.category == "backbone":
            if node.params.get("weights") == "DEFAULT":
                out.append((node.id, node.type))
    return out


def ensure_pretrained(graph: Graph, download: bool = True) -> None:
    """Make sure every pretrained backbone's weights are in the cache, downloading them once.

    Raises PretrainedWeightsError naming the nodes whose weights are missing and cannot be
    fetched, or whose cached file is not plain tensors (torchvision unpickles it in full)."""
    missing: list[tuple[str, str]] = []
    for nid, model in pretrained_nodes(graph):
        path = weights_file(model)
        if not path.exists() and download:
            try:
                _download(model, path)
            except (OSError, http.client.HTTPException, RuntimeError, ValueError):
                pass  # reported below with the way out; the reason is almost always offline
        if not path.exists():
            missing.append((nid, model))
            continue
        _check_plain_tensors(nid, model, path)
    if missing:
        shown = _home_relative(cache_dir())
        lines = [
            f"node {nid}: pretrained weights for {model} are not in the torch cache ({shown}) and "
            "cannot be downloaded: connect to the internet once, or set weights to none to "
            "continue with random weights"
            for nid, model in missing
        ]
        raise PretrainedWeightsError("\n".join(lines), [nid for nid, _ in missing])


def _download(model: str, path: Path) -> None:
    # torchvision downloads with check_hash=True: the file name carries a sha256 prefix
    match = torch.hub.HASH_REGEX.search(path.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.hub.download_url_to_file(
        weights_url(model), str(path), match.group(1) if match else None, progress=True
    )


def _check_plain_tensors(nid: str, model: str, path: Path) -> None:
    """torchvision loads cached weights with weights_only=False; refuse a file that needs it."""
    try:
        torch.load(path, map_location="cpu", weights_only=True, mmap=zipfile.is_zipfile(path))
    except Exception as exc:  # noqa: BLE001 - any failure means torchvision must not load it
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PretrainedWeightsError(
            f"node {nid}: the cached weights for {model} ({path}) are not a plain tensor file "
            f"({reason[:200]}); delete the file to download it again",
            [nid],
        ) from exc


def _home_relative(path: Path) -> str:
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)
