"""Per-node statistics made up for LeNet's nodes, one verdict of the health rules each (no tests)."""

from __future__ import annotations

from nodeml.core.training.node_health import NodeStats, NodeStatsSampled

# LeNet's nodes, each with a different verdict from the health rules over three samples
HEALTHY = {"grad_norm": 0.1, "weight_norm": 2.0, "update_ratio": 1e-3}
VERDICTS = {
    "conv1": ("health_vanishing", {"grad_norm": 1e-9, "weight_norm": 1.0, "update_ratio": 1e-3}),
    "relu1": ("health_dead", {"act_zero_frac": 0.97, "act_mean": 0.01, "act_std": 0.1}),
    "fc1": ("health_exploding", None),  # its gradient grows 10,000-fold: see lenet_samples
    "fc2": ("health_healthy", HEALTHY),
    "fc3": ("health_update", {"grad_norm": 0.1, "weight_norm": 2.0, "update_ratio": 0.5}),
    "pool1": ("health_healthy", {"act_zero_frac": 0.3, "act_mean": 0.2, "act_std": 0.4}),
    "logits": ("health_none", None),  # an Output node: never in the statistics
}


def lenet_samples(count: int = 3) -> list[NodeStatsSampled]:
    out = []
    for i in range(count):
        nodes = {
            name: NodeStats(**values)
            for name, (_, values) in VERDICTS.items()
            if values is not None
        }
        nodes["fc1"] = NodeStats(grad_norm=1e-3 * 100**i, weight_norm=3.0, update_ratio=1e-3)
        out.append(NodeStatsSampled(0, 1 + 10 * i, nodes))
    return out
