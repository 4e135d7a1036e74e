"""Meeting a compiled model at the start of a run: the Output it trains, whether its training
state fits the device, its input standardisation (fitted on the training split) and class names."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from .. import capacity
from ..errors import TrainingError
from .config import ConfigError, TrainingConfig
from .datasets import LoadedData, standardizes_inputs
from .standardization import fit_standardization, is_identity, standardization_buffers


def model_outputs(model: nn.Module) -> tuple[str, ...]:
    """The Output node ids of a nodeml model, in the order forward returns them (else ())."""
    return tuple(getattr(getattr(model, "nodeml_interface", None), "outputs", ()))


def trained_output(model: nn.Module, config: TrainingConfig) -> int | None:
    """Which of forward's results the loss trains: ``training.output``'s index, or None when
    forward returns one tensor. A graph with several Outputs must name one."""
    outputs = model_outputs(model)
    listed = ", ".join(outputs)
    if config.output is not None:
        if config.output not in outputs:
            where = f"its Output nodes are {listed}" if outputs else "the model is not a graph"
            raise ConfigError("output", f"the graph has no Output node {config.output!r}; {where}")
        return outputs.index(config.output) if len(outputs) > 1 else None
    if len(outputs) > 1:
        raise ConfigError(
            "output",
            f"the graph has {len(outputs)} Output nodes ({listed}); name the one to train, "
            f'e.g. "output": "{outputs[0]}" in its training section',
        )
    return None


def pick_output(output: Any, index: int | None) -> torch.Tensor:
    """The trained result of a forward pass (see trained_output)."""
    if isinstance(output, tuple | list):
        if index is None:
            raise TrainingError(
                f"the model returns {len(output)} results; set training.output to the one to train"
            )
        return output[index]
    return output


def device_memory(device: torch.device) -> int | None:
    """Memory training may use on ``device``: a GPU's own, else the machine's."""
    if device.type == "cuda":
        return torch.cuda.get_device_properties(device).total_memory
    return capacity.machine_memory()


def check_memory(model: nn.Module, config: TrainingConfig, device: torch.device) -> None:
    """Refuse, before any gradient or optimizer state exists, a run that cannot fit."""
    params = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    problem = capacity.training_memory_problem(
        params, trainable, config.optimizer, config.momentum, device_memory(device)
    )
    if problem is not None:
        raise TrainingError(problem)


def standardization_note(model: nn.Module, config: TrainingConfig, data: LoadedData) -> str | None:
    """What to tell the user when the settings ask for standardised inputs but the model,
    compiled for other settings, has no buffers to hold it."""
    if standardization_buffers(model) is not None or not data.info.dtype.startswith("float"):
        return None
    if getattr(model, "nodeml_interface", None) is None or not standardizes_inputs(config):
        return None
    return (
        "the model was compiled without input standardisation (its graph's training section "
        "says otherwise), so it trains on raw inputs; set training.normalize in the graph"
    )


@torch.no_grad()
def prepare_model(
    model: nn.Module, data: LoadedData, task: str, fresh: bool, fit: bool = True
) -> None:
    """At the start of a run: the input standardisation is fitted on the training split while
    its buffers hold their initial mean 0, std 1 (values loaded from a checkpoint are kept); a
    fresh run records the class names, a continued one is refused when the data's classes are
    not the ones it was trained on. ``fit`` False leaves the buffers to the caller (under
    torchrun the main process fits them and gives them to the others)."""
    buffers = standardization_buffers(model)
    if fit and buffers is not None and is_identity(*buffers):
        fit_standardization(model, data.train)
    attribute = getattr(getattr(model, "nodeml_interface", None), "classes", None)
    if attribute is None:
        return
    if fresh or not getattr(model, attribute):
        setattr(model, attribute, list(class_names(data, task)))
    else:
        check_classes(model, data, task)


def check_classes(model: nn.Module, data: LoadedData, task: str) -> None:
    """Refuse a model whose class names (from its checkpoint) are not the data's: its output
    indices would be read as other classes."""
    attribute = getattr(getattr(model, "nodeml_interface", None), "classes", None)
    held = list(getattr(model, attribute, None) or []) if attribute else []
    names = list(class_names(data, task))
    if held and held != names:
        raise TrainingError(
            f"the model was trained on the classes {', '.join(held)} but dataset "
            f"{data.info.name} has {', '.join(names) or 'none'}; train it on this data first"
        )


def class_names(data: LoadedData, task: str) -> tuple[str, ...]:
    """Output index -> class name: the dataset's names, else the indices; none for regression."""
    if task not in ("classification", "binary"):
        return ()
    info = data.info
    return info.classes or tuple(str(i) for i in range(info.num_classes or 2))
