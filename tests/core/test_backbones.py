"""torchvision backbone nodes: inferred shapes and counts are torchvision's, the generated code
calls torchvision, and the exported file runs without nodeml."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import torch
import torchvision

from nodeml.core.catalog import CATALOG
from nodeml.core.catalog.backbones import BACKBONES
from nodeml.core.compile import compile_graph, compile_result, export_code
from nodeml.core.shapes import Inference

LIGHT = ["resnet18", "mobilenet_v3_small", "efficientnet_b0"]


def backbone_graph(kit, model: str, size: int = 64, channels: int = 3, **params):
    return kit.single_node_graph(model, ([((channels, size, size), "float32")], params), "backbone")


def test_every_backbone_the_issue_lists_is_a_node():
    listed = {
        "resnet18",
        "resnet34",
        "resnet50",
        "mobilenet_v2",
        "mobilenet_v3_small",
        "efficientnet_b0",
        "vgg11_bn",
        "convnext_tiny",
    }
    assert {t for t, s in CATALOG.items() if s.category == "backbone"} == listed
    for name in listed:
        assert CATALOG[name].param("weights").choices == ("none", "DEFAULT")
        assert CATALOG[name].param("weights").default == "none"
        assert CATALOG[name].parametric


@pytest.mark.parametrize("features_only", [False, True])
@pytest.mark.parametrize("model", LIGHT)
def test_inferred_shape_and_params_equal_a_real_forward(model, features_only, kit):
    graph = backbone_graph(kit, model, features_only=features_only)
    inference = Inference(graph)
    assert inference.problems() == []
    info = inference.info("backbone")
    torch.manual_seed(0)
    compiled = compile_graph(graph).eval()
    with torch.no_grad():
        out = compiled(torch.randn(2, 3, 64, 64))
    assert tuple(out.shape) == info.shape.full_shape(2)
    assert info.shape.shape == ((BACKBONES[model].features,) if features_only else (1000,))
    assert sum(p.numel() for p in compiled.parameters()) == info.params


@pytest.mark.parametrize("model", sorted(BACKBONES))
def test_meta_inference_gives_torchvision_sizes_for_every_backbone(model, kit):
    """The heavy ones too, on meta only: ImageNet head -> 1000, features only -> the known width,
    and the parameter count torchvision publishes (less the head when it is dropped)."""
    full = Inference(backbone_graph(kit, model, size=64)).info("backbone")
    bare = Inference(backbone_graph(kit, model, size=64, features_only=True)).info("backbone")
    assert full.problems == [] and bare.problems == []
    assert full.shape.shape == (1000,)
    assert bare.shape.shape == (BACKBONES[model].features,)
    assert full.params == BACKBONES[model].params
    published = torchvision.models.get_model_weights(model).DEFAULT.meta["num_params"]
    assert full.params == published
    head = {"resnet18": 513_000, "resnet50": 2_049_000, "convnext_tiny": 769_000}
    if model in head:
        assert full.params - bare.params == head[model]


def test_backbone_macs_are_torchvisions_published_operations(kit):
    info = Inference(backbone_graph(kit, "resnet18", size=224)).info("backbone")
    gflops = torchvision.models.ResNet18_Weights.DEFAULT.meta["_ops"]  # 1.814 (MACs, in G)
    assert info.macs / 1e9 == pytest.approx(gflops, rel=0.01)


def test_meta_inference_never_loads_pretrained_weights(kit, tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))

    def no_download(*args, **kwargs):
        raise AssertionError("inference tried to download weights")

    monkeypatch.setattr(torch.hub, "download_url_to_file", no_download)
    monkeypatch.setattr(torch.hub, "load_state_dict_from_url", no_download)
    graph = backbone_graph(kit, "resnet50", weights="DEFAULT", features_only=True)
    info = Inference(graph).info("backbone")
    assert info.problems == [] and info.shape.shape == (2048,)
    assert not any(tmp_path.rglob("*.pth"))


def test_generated_code_calls_torchvision(kit):
    source = compile_result(backbone_graph(kit, "resnet18")).source
    assert "import torchvision\n" in source
    assert "        self.backbone = torchvision.models.resnet18(weights=None)\n" in source
    assert "nn.Identity()" not in source

    source = export_code(backbone_graph(kit, "resnet18", weights="DEFAULT", features_only=True))
    assert (  # too long for one line: split as ruff format splits it
        "        self.backbone = torchvision.models.resnet18(\n"
        "            weights=torchvision.models.ResNet18_Weights.DEFAULT\n"
        "        )\n"
        "        self.backbone.fc = nn.Identity()\n"
    ) in source
    source = export_code(backbone_graph(kit, "convnext_tiny", features_only=True))
    assert "        self.backbone.classifier[2] = nn.Identity()\n" in source
    source = export_code(backbone_graph(kit, "mobilenet_v2", features_only=True))
    assert "        self.backbone.classifier = nn.Identity()\n" in source


def test_torchvision_is_imported_only_when_a_backbone_is_used(lenet):
    assert "torchvision" not in export_code(lenet)


def test_state_dict_is_torchvisions_without_the_dropped_head(kit):
    model = compile_graph(backbone_graph(kit, "resnet18", features_only=True))
    reference = torchvision.models.resnet18()
    keys = [k for k in reference.state_dict() if not k.startswith("fc.")]
    assert list(model.state_dict()) == [f"backbone.{k}" for k in keys]
    # torchvision's own weights (here random) load into the node, minus the classifier
    state = {k: v for k, v in reference.state_dict().items() if not k.startswith("fc.")}
    model.backbone.load_state_dict(state)


def test_grey_images_are_reported_on_the_backbone_node(kit):
    graph = backbone_graph(kit, "resnet18", channels=1)
    (problem,) = Inference(graph).problems()
    assert problem.node == "backbone" and problem.kind == "shape"
    assert problem.message == (
        "resnet18 takes RGB images (N, 3, H, W) but its input is (N, 1, 64, 64); give the Input "
        "node the shape [3, H, W], or put a Conv2d with 3 out_channels before it"
    )


def test_exported_backbone_code_runs_without_nodeml(kit, tmp_path):
    graph = backbone_graph(kit, "mobilenet_v3_small", features_only=True)
    graph.add_node(kit.Node("head", "Linear", {"out_features": 7}))
    graph.disconnect(kit.Edge("backbone", "out0"))
    graph.connect(kit.Edge("backbone", "head"))
    graph.connect(kit.Edge("head", "out0"))
    (tmp_path / "model.py").write_text(export_code(graph))
    runner = textwrap.dedent(
        """
        import runpy, sys
        sys.modules["nodeml"] = None
        runpy.run_path("model.py", run_name="__main__")
        """
    )
    proc = subprocess.run(
        [sys.executable, "-I", "-c", runner], capture_output=True, text=True, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["(2,", "7)"]
