"""Carry an imported model's original weights into the compiled graph, key by key."""

from __future__ import annotations

from collections.abc import Mapping

import torch
from torch import nn

from ..compile.model_interface import initial_state
from ..errors import CheckpointError


def rename_state_dict(
    original_state_dict: Mapping[str, torch.Tensor], name_map: Mapping[str, str]
) -> dict[str, torch.Tensor]:
    """``layer1.0.conv1.weight`` -> ``layer1_0_conv1.weight``: the original's weights, graph-named."""
    unknown = [k for k in original_state_dict if k not in name_map]
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise CheckpointError(
            f"{len(unknown)} weight(s) are not part of the imported graph: {shown}; "
            "pass the state_dict of the module that was imported"
        )
    return {name_map[k]: v for k, v in original_state_dict.items()}


def load_original_weights(
    compiled_model: nn.Module,
    original_state_dict: Mapping[str, torch.Tensor],
    name_map: Mapping[str, str],
) -> None:
    """Load the imported module's ``state_dict`` into the model compiled from its graph (strict;
    what nodeml adds -- input standardisation, class names -- starts as __init__ leaves it)."""
    interface = getattr(compiled_model, "nodeml_interface", None)
    added = initial_state(interface) if interface is not None else {}
    renamed = {**added, **rename_state_dict(original_state_dict, name_map)}
    try:
        compiled_model.load_state_dict(renamed, strict=True)
    except RuntimeError as exc:
        raise CheckpointError(f"the weights do not fit the compiled graph: {exc}") from None
