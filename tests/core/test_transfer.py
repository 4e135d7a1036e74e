"""Transfer learning: frozen nodes, the optimizer's parameters, the head, the four presets, and
pretrained weights from torch's cache (offline: a clear error; cached: really loaded)."""

from __future__ import annotations

import copy
import pickle
from pathlib import Path
from urllib.error import URLError

import pytest
import torch
import torchvision

import nodeml
from nodeml.core import transfer
from nodeml.core.compile import compile_result
from nodeml.core.errors import PretrainedWeightsError
from nodeml.core.pretrained import weights_file
from nodeml.core.shapes import Inference
from nodeml.core.training.config import TrainingConfig
from nodeml.core.training.trainer import Trainer
from nodeml.core.transfer import Edit

SAMPLES = Path(__file__).resolve().parents[2] / "sample_graphs"
BACKBONE_PARAMS = 11_176_512  # resnet18 without fc
HEAD_PARAMS = 512 * 10 + 10


def sample() -> nodeml.Graph:
    return nodeml.load_graph(SAMPLES / "transfer_resnet18.json")


def unfrozen() -> nodeml.Graph:
    graph = sample()
    graph.set_extra("backbone", "trainable", None)
    return graph


# ---- frozen nodes ------------------------------------------------------------------------------
def test_frozen_backbone_counts_as_frozen():
    counts = transfer.param_counts(sample())
    assert (counts.trainable, counts.frozen) == (HEAD_PARAMS, BACKBONE_PARAMS)
    assert counts.total == BACKBONE_PARAMS + HEAD_PARAMS
    assert transfer.param_counts(unfrozen()).frozen == 0


def test_compile_freezes_the_node_and_keeps_the_state_dict():
    result = compile_result(sample())
    assert "        self.backbone.requires_grad_(False)\n" in result.source
    model = result.model_class()
    assert all(not p.requires_grad for p in model.backbone.parameters())
    assert all(p.requires_grad for p in model.head.parameters())
    assert list(model.state_dict()) == list(nodeml.compile_graph(unfrozen()).state_dict())
    assert "requires_grad_" not in compile_result(unfrozen()).source


def test_a_frozen_block_use_gets_the_same_line():
    graph = nodeml.load_graph(SAMPLES / "resnet_blocks.json")
    graph.set_extra("block1", "trainable", False)
    result = compile_result(graph)
    assert "        self.block1.requires_grad_(False)\n" in result.source
    model = result.model_class()
    assert all(not p.requires_grad for p in model.block1.parameters())
    assert all(p.requires_grad for p in model.block2.parameters())
    frozen = sum(p.numel() for p in model.block1.parameters())
    assert transfer.param_counts(graph).frozen == frozen > 0


def _shapes_config(**changes) -> TrainingConfig:
    config = TrainingConfig.from_dict(sample().extras["training"])
    options = {**config.dataset_options, "n": 96}
    return config.replace(dataset_options=options, epochs=1, batch_size=32, seed=0, **changes)


def test_optimizer_holds_only_trainable_parameters_and_the_checkpoint_everything():
    model = nodeml.compile_graph(sample())
    trainer = Trainer(model, _shapes_config())
    held = {id(p) for group in trainer.optimizer.param_groups for p in group["params"]}
    assert held == {id(p) for p in model.head.parameters()}
    assert set(trainer.state_dict()["model"]) == set(model.state_dict())


def test_training_changes_the_head_and_leaves_the_frozen_backbone_alone():
    torch.manual_seed(0)
    model = nodeml.compile_graph(sample())
    backbone = copy.deepcopy(dict(model.backbone.named_parameters()))
    head = copy.deepcopy(dict(model.head.named_parameters()))
    Trainer(model, _shapes_config()).run()
    for name, before in backbone.items():
        assert torch.equal(dict(model.backbone.named_parameters())[name], before), name
    # (batch norm running statistics still follow the data in train mode, as with any
    # requires_grad_(False): they are buffers, not parameters)
    assert not torch.equal(model.head.weight, head["weight"])


# ---- the head ----------------------------------------------------------------------------------
def test_head_is_what_follows_the_last_backbone(kit):
    graph = kit.build_graph(
        [
            ("image", "Input", {"shape": [1, 32, 32]}),
            ("to_rgb", "Conv2d", {"out_channels": 3, "kernel_size": 1}),
            ("backbone", "mobilenet_v3_small", {"features_only": True}),
            ("hidden", "Linear", {"out_features": 32}),
            ("act", "ReLU", {}),
            ("classes", "Linear", {"out_features": 5}),
            ("out", "Output", {}),
        ],
        [
            ("image", "to_rgb"),
            ("to_rgb", "backbone"),
            ("backbone", "hidden"),
            ("hidden", "act"),
            ("act", "classes"),
            ("classes", "out"),
        ],
    )
    assert transfer.head(graph) == ["hidden", "classes"]
    assert transfer.freeze_all_but_head(graph) == {
        "to_rgb": False,
        "backbone": False,
        "hidden": True,
        "classes": True,
    }


def test_without_a_backbone_the_head_is_the_last_layer_with_weights(lenet):
    assert transfer.head(lenet) == ["fc3"]
    wanted = transfer.freeze_all_but_head(lenet)
    assert [nid for nid, on in wanted.items() if on] == ["fc3"]
    assert sorted(nid for nid, on in wanted.items() if not on) == ["conv1", "conv2", "fc1", "fc2"]
    edits = transfer.trainable_edits(lenet, wanted)
    transfer.apply_edits(lenet, edits)
    assert transfer.param_counts(lenet).trainable == 84 * 10 + 10
    assert transfer.trainable_edits(lenet, wanted) == []  # nothing left to change


# ---- presets -----------------------------------------------------------------------------------
def test_the_four_situations_each_have_one_preset_with_one_sentence():
    cells = {(p.data, p.task) for p in transfer.PRESETS}
    assert cells == {("little", "similar"), ("much", "similar"), ("much", "different"),
                     ("little", "different")}  # fmt: skip
    for p in transfer.PRESETS:
        assert p.advice.endswith(".") and p.advice.count(". ") == 0
    assert [p.key for p in transfer.PRESETS if p.warning] == ["not_advised"]
    assert transfer.preset_for("little", "different").warning
    assert "smaller model" in transfer.preset("not_advised").advice
    with pytest.raises(KeyError, match="no transfer preset 'bogus'"):
        transfer.preset("bogus")


@pytest.mark.parametrize(
    ("key", "edits"),
    [
        (
            "feature_extractor",
            [Edit("backbone", "weights", "DEFAULT"), Edit("backbone", "trainable", False)],
        ),
        ("fine_tune", [Edit("backbone", "weights", "DEFAULT")]),
        ("from_scratch", []),  # the graph already has random weights, all trainable
        ("not_advised", []),
    ],
)
def test_presets_on_a_trainable_graph(key, edits):
    assert transfer.preset_edits(unfrozen(), key) == edits


def test_presets_on_the_frozen_sample_and_applied():
    graph = sample()
    assert transfer.preset_edits(graph, "feature_extractor") == [
        Edit("backbone", "weights", "DEFAULT")
    ]
    fine_tune = transfer.preset_edits(graph, "fine_tune")
    assert fine_tune == [
        Edit("backbone", "weights", "DEFAULT"),
        Edit("backbone", "trainable", None),
    ]
    transfer.apply_edits(graph, fine_tune)
    assert graph.node("backbone").params["weights"] == "DEFAULT"
    assert "trainable" not in graph.node("backbone").extra
    assert transfer.preset_edits(graph, "from_scratch") == [Edit("backbone", "weights", "none")]
    assert transfer.param_counts(graph).frozen == 0


# ---- pretrained weights ------------------------------------------------------------------------
def pretrained_sample() -> nodeml.Graph:
    graph = sample()
    graph.set_param("backbone", "weights", "DEFAULT")
    return graph


def test_offline_and_uncached_says_how_to_continue(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    calls = []

    def offline(url, dst, *args, **kwargs):
        calls.append(url)
        raise URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(torch.hub, "download_url_to_file", offline)
    with pytest.raises(PretrainedWeightsError) as err:
        nodeml.compile_graph(pretrained_sample())
    assert str(err.value) == (
        f"node backbone: pretrained weights for resnet18 are not in the torch cache "
        f"({tmp_path}/hub/checkpoints) and cannot be downloaded: connect to the internet once, "
        "or set weights to none to continue with random weights"
    )
    assert err.value.nodes == ["backbone"]
    assert calls == [torchvision.models.ResNet18_Weights.DEFAULT.url]
    # the way out the message names works
    graph = pretrained_sample()
    transfer.apply_edits(graph, [Edit(n, "weights", "none") for n in err.value.nodes])
    nodeml.compile_graph(graph)


def test_the_default_cache_is_shown_from_home(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("TORCH_HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)

    def offline(*args, **kwargs):
        raise URLError("offline")

    monkeypatch.setattr(torch.hub, "download_url_to_file", offline)
    with pytest.raises(PretrainedWeightsError, match=r"\(~/\.cache/torch/hub/checkpoints\)"):
        nodeml.compile_graph(pretrained_sample())


def _never_download(*args, **kwargs):
    raise AssertionError("the cached file should have been used")


def test_cached_weights_load_through_torchvision(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(torch.hub, "download_url_to_file", _never_download)
    torch.manual_seed(1)
    state = torchvision.models.resnet18().state_dict()
    path = weights_file("resnet18")
    assert path == tmp_path / "hub" / "checkpoints" / "resnet18-f37072fd.pth"
    path.parent.mkdir(parents=True)
    torch.save(state, path)

    model = nodeml.compile_graph(pretrained_sample())
    assert torch.equal(model.backbone.conv1.weight, state["conv1.weight"])
    assert torch.equal(model.backbone.layer4[1].bn2.running_var, state["layer4.1.bn2.running_var"])
    assert not hasattr(model.backbone.fc, "weight")  # features only: the ImageNet head is gone


class _Payload:
    def __reduce__(self):
        return (print, ("this ran while loading",))


def test_a_cached_file_that_is_not_plain_tensors_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(torch.hub, "download_url_to_file", _never_download)
    path = weights_file("resnet18")
    path.parent.mkdir(parents=True)
    torch.save({"conv1.weight": torch.zeros(1), "x": _Payload()}, path, pickle_module=pickle)
    with pytest.raises(PretrainedWeightsError, match="are not a plain tensor file") as err:
        nodeml.compile_graph(pretrained_sample())
    assert "delete the file to download it again" in str(err.value)
    assert "this ran while loading" not in capsys.readouterr().out


def test_inference_reports_nothing_for_uncached_weights(tmp_path, monkeypatch):
    """Only a build needs the weights: the canvas stays quiet and offline-friendly."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(torch.hub, "download_url_to_file", _never_download)
    assert Inference(pretrained_sample()).problems() == []


def test_a_block_holding_a_backbone_is_a_feature_extractor(tmp_path, monkeypatch):
    from nodeml.core.blocks import group_into_block

    graph = unfrozen()
    graph.add_node(nodeml.Node("extra", "Linear", {"out_features": 10}))
    graph.disconnect(nodeml.Edge("head", "logits"))
    graph.connect(nodeml.Edge("head", "extra"))
    graph.connect(nodeml.Edge("extra", "logits"))
    use = group_into_block(graph, ["backbone"], "Features")
    assert transfer.backbones(graph) == [use]
    assert transfer.head(graph) == ["head", "extra"]  # both follow it, not only the last layer
    assert transfer.preset_edits(graph, "feature_extractor") == [Edit(use, "trainable", False)]

    graph.blocks["Features"].graph.set_param("backbone", "weights", "DEFAULT")
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.setattr(torch.hub, "download_url_to_file", _offline)
    with pytest.raises(PretrainedWeightsError, match="^node Features.backbone: pretrained") as err:
        nodeml.compile_graph(graph)
    assert err.value.nodes == ["Features.backbone"]


def _offline(*args, **kwargs):
    raise URLError("offline")
