"""nodeml: build PyTorch models visually; the graph compiles to clean nn.Module code."""

from __future__ import annotations

__version__ = "0.1.0"
