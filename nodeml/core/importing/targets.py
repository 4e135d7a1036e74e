"""Turn an import target (``file.py:ClassName``, ``torchvision:resnet18``, ``package.module:Name``)
into a live nn.Module, running the user's own code only for a file they named."""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from torch import nn

from .errors import ModelImportError

# torchvision's classification models are built for ImageNet-sized images
TORCHVISION_INPUT = (3, 224, 224)


@dataclass
class LoadedTarget:
    """The module to import and, where the source implies one, a sample input shape."""

    module: nn.Module
    name: str
    input_shape: tuple[int, ...] | None = None


def load_target(target: str) -> LoadedTarget:
    """Build the module a target names.

    ``path/to/model.py:Net`` executes that file (the user's own code, named on their command
    line) and calls ``Net()``; ``torchvision:resnet18`` builds the torchvision model with random
    weights (no download); ``package.module:factory`` imports an installed module.
    """
    where, sep, attr = target.rpartition(":")
    if not sep or not where or not attr:
        raise ModelImportError(
            [f"cannot read import target {target!r}; write FILE.py:ClassName or torchvision:MODEL"]
        )
    if where == "torchvision":
        return LoadedTarget(_torchvision_model(attr), attr, TORCHVISION_INPUT)
    if where.endswith(".py") or Path(where).is_file():
        namespace = _run_file(Path(where))
        source = where
    else:
        try:
            namespace = vars(importlib.import_module(where))
        except ImportError as exc:
            raise ModelImportError([f"cannot import module {where!r}: {exc}"]) from None
        source = where
    if attr not in namespace:
        close = difflib.get_close_matches(
            attr, [k for k in namespace if not k.startswith("_")], n=1
        )
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ModelImportError([f"{source} defines no {attr!r}{hint}"])
    return LoadedTarget(_instantiate(namespace[attr], f"{source}:{attr}"), attr)


def _torchvision_model(name: str) -> nn.Module:
    try:
        import torchvision
    except ImportError:
        raise ModelImportError(["torchvision is not installed (pip install torchvision)"]) from None
    names = torchvision.models.list_models(module=torchvision.models)
    if name not in names:
        close = difflib.get_close_matches(name, names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ModelImportError([f"torchvision has no classification model {name!r}{hint}"])
    # weights=None: random init, so importing never needs the network
    return torchvision.models.get_model(name, weights=None)


def _run_file(path: Path) -> dict[str, object]:
    if not path.is_file():
        raise ModelImportError([f"{path} does not exist"])
    module_name = f"nodeml_import_{path.stem}_{uuid.uuid4().hex[:8]}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ModelImportError([f"{path} is not a Python file"])
    module = importlib.util.module_from_spec(spec)
    # the file may import its neighbours, as it would when run from its own folder
    folder = str(path.resolve().parent)
    sys.path.insert(0, folder)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as exc:
        raise ModelImportError([f"running {path} failed: {type(exc).__name__}: {exc}"]) from None
    finally:
        sys.modules.pop(module_name, None)
        if sys.path and sys.path[0] == folder:
            sys.path.pop(0)
    return vars(module)


def _instantiate(obj: object, where: str) -> nn.Module:
    if isinstance(obj, nn.Module):
        return obj
    if not callable(obj):
        raise ModelImportError([f"{where} is not an nn.Module class or a function returning one"])
    try:
        module = obj()
    except TypeError as exc:
        raise ModelImportError(
            [
                f"{where}() cannot be called without arguments ({exc}); give its arguments defaults "
                "or point at a function that builds the model"
            ]
        ) from None
    if not isinstance(module, nn.Module):
        raise ModelImportError([f"{where}() returned {type(module).__name__}, not an nn.Module"])
    return module
