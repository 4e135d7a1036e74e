"""Per-node training statistics in the app: the history, the canvas tint, the Inspector's curves."""

from .feature import NodeStatsFeature, install

__all__ = ["NodeStatsFeature", "install"]
