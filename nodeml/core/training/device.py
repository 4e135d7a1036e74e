"""Where training runs (auto / cpu / cuda / mps) and seeding every RNG for a reproducible run."""

from __future__ import annotations

import platform
import random

import numpy as np
import torch

from .config import ConfigError


def resolve_device(name: str) -> torch.device:
    """``auto`` picks CUDA, then Apple's MPS, then the CPU; an absent requested device is an error."""
    cuda = torch.cuda.is_available()
    mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if name == "auto":
        return torch.device("cuda" if cuda else "mps" if mps else "cpu")
    if name == "cuda" and not cuda:
        raise ConfigError(
            "device",
            "CUDA is not available here (no NVIDIA GPU or a CPU-only torch); use auto or cpu",
        )
    if name == "mps" and not mps:
        raise ConfigError("device", "Apple's MPS is not available on this machine; use auto or cpu")
    return torch.device(name)


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type == "mps":
        return "Apple GPU (MPS)"
    return platform.processor() or platform.machine() or "CPU"


def seed_everything(seed: int) -> None:
    """Seed torch (CPU and every GPU), numpy and Python's random."""
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)
