"""The training settings a graph without a ``training`` section starts from: a built-in dataset that
fits its Input (LeNet's 1x32x32 gets 32 px ``shapes``, an (N, 2) input a 2-D point set).

Which dataset fits is read from the registry itself -- each built-in set is built with a handful
of samples and its DatasetInfo compared with the Input node -- so a dataset added there is
offered here with no second list to keep.
"""

from __future__ import annotations

import functools
from typing import Any

from ..graph import Graph
from ..shapes import Inference
from .config import TrainingConfig
from .datasets import DatasetError, DatasetInfo, dataset_names, dataset_spec, resolve_options

PROBE_SAMPLES = 10  # enough to read a dataset's sample shape, cheap to draw


def training_config(graph: Graph, inference: Inference | None = None) -> TrainingConfig:
    """The graph's own ``training`` section when it has one (a bad one raises ConfigError, as
    TrainingConfig.from_dict does), else defaults with a dataset that fits the graph."""
    section = graph.extras.get("training")
    if section is not None:
        return TrainingConfig.from_dict(section)
    name, options = default_dataset(graph, inference)
    return TrainingConfig(dataset=name, dataset_options=options)


def default_dataset(graph: Graph, inference: Inference | None = None) -> tuple[str, dict[str, Any]]:
    """``(dataset, options)``: the first built-in dataset whose samples fit the graph's one Input
    node, preferring one whose targets also fit its output; TrainingConfig's default when none
    does (the training panel then says what does not fit)."""
    fallback = (TrainingConfig.dataset, {})
    inputs = [n for n in graph.nodes if n.type == "Input"]
    if len(inputs) != 1:
        return fallback
    shape = inputs[0].params.get("shape")
    if not isinstance(shape, list) or not all(isinstance(d, int) for d in shape):
        return fallback
    dtype = inputs[0].params.get("dtype", "float32")
    name, options = _first_fitting(tuple(shape), dtype, _output_shape(graph, inference))
    return name, dict(options)


@functools.lru_cache(maxsize=64)
def _first_fitting(
    shape: tuple[int, ...], dtype: str, out: tuple[int, ...] | None
) -> tuple[str, dict[str, Any]]:
    """default_dataset's choice for an Input and Output of these shapes; cached, since probing
    builds every built-in dataset (~0.1 s) and the compiler asks on every edit."""
    fallback = (TrainingConfig.dataset, {})
    fitting: list[tuple[str, dict[str, Any], DatasetInfo]] = []
    for name in dataset_names():
        spec = dataset_spec(name)
        if not spec.builtin or "n" not in spec.options:
            continue  # downloads and user files are chosen by the user
        for options in _option_variants(spec, tuple(shape), out):
            info = _probe(name, options)
            if info is not None and _fits_input(info, tuple(shape), dtype):
                fitting.append((name, options, info))
    if not fitting:
        return fallback
    name, options, _ = next(
        (f for f in fitting if out is not None and _fits_output(f[2], out)), fitting[0]
    )
    defaults = dataset_spec(name).options
    return name, {k: v for k, v in options.items() if defaults.get(k) != v}


def _output_shape(graph: Graph, inference: Inference | None) -> tuple[int, ...] | None:
    outputs = [n.id for n in graph.nodes if n.type == "Output"]
    if len(outputs) != 1:
        return None
    own = inference is None
    inference = inference or Inference(graph)
    try:
        tensor = inference.info(outputs[0]).shape
    finally:
        if own:
            inference.close()
    return None if tensor is None else tensor.shape


def _option_variants(spec, shape: tuple[int, ...], out: tuple[int, ...] | None):
    """The dataset's defaults, the options its registry entry gives for this shape, and, for a
    dataset with a ``classes`` option, as many classes as the output has units."""
    variants: list[dict[str, Any]] = [{}]
    if spec.options_for_shape is not None:
        shaped = spec.options_for_shape(shape)
        if shaped:
            variants.append(dict(shaped))
    if out is not None and len(out) == 1 and "classes" in spec.options:
        variants += [{**v, "classes": out[0]} for v in list(variants)]
    return variants


def _probe(name: str, options: dict[str, Any]) -> DatasetInfo | None:
    spec = dataset_spec(name)
    try:
        return spec.build(resolve_options(spec, {**options, "n": PROBE_SAMPLES})).info
    except DatasetError:
        return None  # options this dataset refuses (e.g. more classes than it draws)


def _family(dtype: str) -> str:
    return "float" if dtype.startswith(("float", "bfloat")) else "int"


def _fits_input(info: DatasetInfo, shape: tuple[int, ...], dtype: str) -> bool:
    return info.sample_shape == shape and _family(info.dtype) == _family(dtype)


def _fits_output(info: DatasetInfo, out: tuple[int, ...]) -> bool:
    if info.task == "regression":
        return out == info.target_shape
    return info.num_classes is not None and out == (info.num_classes,)


__all__ = ["default_dataset", "training_config"]
