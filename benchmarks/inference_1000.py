"""Times live inference on a 1,000-node graph: a full pass and one param edit (goals 200 / 20 ms).

The graph is a residual CNN stack followed by an MLP stack, every layer with its own params so
the per-node result cache cannot make the work trivial. Full passes and edits are interleaved
and repeated; the best and median of each are printed with the goal ratio (below 1 = met).

    python benchmarks/inference_1000.py [--repeats N] [--uniform]
"""

from __future__ import annotations

import argparse
import statistics
import time

from nodeml.core.graph import Edge, Graph, Node
from nodeml.core.shapes import Inference

FULL_GOAL_MS = 200.0
EDIT_GOAL_MS = 20.0
_ACTS = ("ReLU", "GELU", "SiLU", "LeakyReLU", "ELU", "Hardswish", "Mish", "Tanh")


class _Builder:
    def __init__(self, graph: Graph):
        self.graph = graph

    def add(self, type_name: str, src: str | list[str], **params: object) -> str:
        nid = self.graph.unique_id(type_name)
        self.graph.add_node(Node(nid, type_name, dict(params)))
        for port, s in enumerate([src] if isinstance(src, str) else src):
            self.graph.connect(Edge(s, nid, 0, port))
        return nid


def build_graph(n_nodes: int = 1000, uniform: bool = False) -> tuple[Graph, list[str]]:
    """The benchmark graph and the ids of the convs whose width an edit may change.

    ``uniform`` repeats one block configuration per stage (as ResNets do), which the per-node
    cache answers; the default varies every block so the cache cannot help."""
    g = Graph("Inference benchmark")
    b = _Builder(g)
    x = "image"
    g.add_node(Node(x, "Input", {"shape": [32, 64, 64]}))
    editable: list[str] = []
    channels, i = 32, 0
    # residual conv blocks: conv(k, mid) -> BN -> act -> dropout -> conv(1, back) -> BN -> add
    while len(g) < n_nodes * 0.7:
        i += 1
        k = 3 if uniform else (1, 3, 5, 7)[i % 4]
        mid = 32 if uniform else 16 + (i * 7) % 48
        a = b.add("Conv2d", x, out_channels=mid, kernel_size=k, padding=k // 2, bias=i % 2 == 0)
        editable.append(a)
        h = (
            b.add("BatchNorm2d", a)
            if uniform
            else b.add("BatchNorm2d", a, eps=1e-5 * (1 + i % 9), momentum=0.05 + (i % 5) / 20)
        )
        act = "ReLU" if uniform else _ACTS[i % len(_ACTS)]
        h = (
            b.add(act, h, negative_slope=0.01 * (i % 7 + 1))
            if act == "LeakyReLU"
            else b.add(act, h)
        )
        h = b.add("Dropout", h, p=0.1 if uniform else round(0.05 * (i % 10), 2))
        h = b.add("Conv2d", h, out_channels=channels, kernel_size=1)
        h = b.add("BatchNorm2d", h)
        x = b.add("Add", [h, x])
        if i % 12 == 0 and channels < 128:  # downsample and widen, as a real stack does
            x = b.add("MaxPool2d", x, kernel_size=2)
            channels += 16
            x = b.add("Conv2d", x, out_channels=channels, kernel_size=3, padding=1)
    x = b.add("AdaptiveAvgPool2d", x, output_size=4)
    x = b.add("Flatten", x)
    width = 256
    x = b.add("Linear", x, out_features=width)
    # MLP blocks: Linear(width) -> LayerNorm -> act -> Linear(back) -> add
    j = 0
    while len(g) < n_nodes - 2:
        j += 1
        hidden = 128 if uniform else 64 + (j * 13) % 200
        h = b.add("Linear", x, out_features=hidden)
        h = b.add("LayerNorm", h) if uniform else b.add("LayerNorm", h, eps=1e-6 * (1 + j % 7))
        h = b.add("GELU" if uniform else _ACTS[j % len(_ACTS)], h)
        h = b.add("Linear", h, out_features=width)
        x = b.add("Add", [h, x])
    x = b.add("Linear", x, out_features=10)
    g.add_node(Node("logits", "Output"))
    g.connect(Edge(x, "logits"))
    return g, editable


def _ms(seconds: float) -> float:
    return seconds * 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument(
        "--uniform", action="store_true", help="repeat identical blocks (the cache then helps)"
    )
    args = parser.parse_args()

    graph, editable = build_graph(uniform=args.uniform)
    warm = Inference(graph)
    problems = warm.problems()
    if problems:
        raise SystemExit(f"benchmark graph is invalid: {problems[:3]}")
    warm.close()
    target = editable[len(editable) // 2]

    full_times: list[float] = []
    edit_times: list[float] = []
    recomputed: list[int] = []
    live = Inference(graph)
    live.all()
    for rep in range(args.repeats):
        start = time.perf_counter()
        fresh = Inference(graph)
        fresh.all()
        full_times.append(time.perf_counter() - start)
        fresh.close()

        # a width never used before, so the edit is not answered from the cache
        before = dict(live._info)
        start = time.perf_counter()
        graph.set_param(target, "out_channels", 100 + rep)
        live.all()
        edit_times.append(time.perf_counter() - start)
        recomputed.append(sum(1 for k, v in live._info.items() if before.get(k) is not v))
    live.close()

    full_best, full_med = _ms(min(full_times)), _ms(statistics.median(full_times))
    edit_best, edit_med = _ms(min(edit_times)), _ms(statistics.median(edit_times))
    kind = "uniform blocks" if args.uniform else "every block different"
    print(f"graph: {len(graph)} nodes, {len(graph.edges)} edges ({kind}); {args.repeats} repeats")
    print(
        f"full inference: best {full_best:7.1f} ms  median {full_med:7.1f} ms  "
        f"goal {FULL_GOAL_MS:.0f} ms  median/goal {full_med / FULL_GOAL_MS:.2f}"
    )
    print(
        f"one param edit: best {edit_best:7.2f} ms  median {edit_med:7.2f} ms  "
        f"goal {EDIT_GOAL_MS:.0f} ms  median/goal {edit_med / EDIT_GOAL_MS:.2f}  "
        f"({statistics.median(recomputed):.0f} nodes recomputed)"
    )


if __name__ == "__main__":
    main()
