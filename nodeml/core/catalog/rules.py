"""Inference rules for input-size params: each reads the incoming tensor(s) of a node."""

from __future__ import annotations

from collections.abc import Sequence

from .spec import InferRule, TensorInfo


def last_dim(inputs: Sequence[TensorInfo]) -> int:
    """Features are the last dim (Linear.in_features, LSTM.input_size, attention embed_dim)."""
    return inputs[0].shape[-1]


def channels(inputs: Sequence[TensorInfo]) -> int:
    """Channels are dim 1 with the batch, dim 0 without it (Conv, BatchNorm, GroupNorm)."""
    return inputs[0].shape[0]


def last_dim_list(inputs: Sequence[TensorInfo]) -> list[int]:
    """LayerNorm normalises over the last dim unless told otherwise."""
    return [inputs[0].shape[-1]]


def second_input_last_dim(inputs: Sequence[TensorInfo]) -> int:
    """The features of the second input (Bilinear.in2_features)."""
    return inputs[1].shape[-1]


# what a rule's number counts, for the message when a given value disagrees with the input
RULE_NOUNS: dict[InferRule, str] = {
    last_dim: "features",
    channels: "channels",
    last_dim_list: "features in its last dim",
}
