"""Exported code runs without nodeml and matches the compiled model; print(model) reads like PyTorch."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import traceback

import pytest
import torch
from reference_models import LeNet  # tests/core is on sys.path under pytest

from nodeml.core.compile import compile_graph, compile_result, export_code

# Runs exported modules in one fresh interpreter: -I drops PYTHONPATH, the user site and the
# script/cwd entries, and nodeml is poisoned in sys.modules so even an installed copy cannot load.
_RUNNER = textwrap.dedent(
    """
    import contextlib, io, runpy, sys
    sys.modules["nodeml"] = None
    try:
        import nodeml
    except ImportError:
        pass
    else:
        raise SystemExit("nodeml was importable")
    folder = sys.argv[1]
    sys.path.insert(0, folder)
    import torch
    for case in sys.argv[2:]:
        name, cls = case.split(":")
        module = __import__(name)
        model = getattr(module, cls)()
        model.load_state_dict(torch.load(f"{folder}/{name}.state.pt", weights_only=True))
        model.eval()
        inputs = torch.load(f"{folder}/{name}.inputs.pt", weights_only=True)
        with torch.no_grad():
            out = model(*inputs)
        torch.save(out if isinstance(out, tuple) else (out,), f"{folder}/{name}.outputs.pt")
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            runpy.run_path(f"{folder}/{name}.py", run_name="__main__")
        print(name, printed.getvalue().split())
    loaded = sorted(m for m, v in sys.modules.items() if v and m.split(".")[0] in ("nodeml", "torchvision"))
    print("loaded", loaded)
    """
)


def _graphs(kit, lenet):
    return {"lenet": lenet, "text": _text_classifier(kit), "residual": _residual(kit)}


@pytest.fixture(scope="module")
def exported_run(tmp_path_factory, kit):
    """Every sample graph in both styles, run in one subprocess (torch imports are slow)."""
    folder = tmp_path_factory.mktemp("exported")
    lenet = kit.chain_graph(kit.LENET)
    cases, expected = [], {}
    for which, graph in _graphs(kit, lenet).items():
        for style in ("modules", "functional"):
            name = f"{which}_{style}"
            result = compile_result(graph, style)
            torch.manual_seed(0)
            model = result.model_class().eval()
            (folder / f"{name}.py").write_text(export_code(graph, style))
            torch.save(model.state_dict(), folder / f"{name}.state.pt")
            inputs = kit.example_inputs(graph, batch=3, seed=1)
            torch.save(inputs, folder / f"{name}.inputs.pt")
            with torch.no_grad():
                expected[name] = kit.as_tuple(model(*inputs))
            cases.append(f"{name}:{result.model_class.__name__}")
    proc = subprocess.run(
        [sys.executable, "-I", "-c", _RUNNER, str(folder), *cases],
        capture_output=True,
        text=True,
        cwd=folder,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    printed = dict(line.split(" ", 1) for line in proc.stdout.splitlines())
    got = {name: torch.load(folder / f"{name}.outputs.pt", weights_only=True) for name in expected}
    return expected, got, printed


def _text_classifier(kit):
    return kit.build_graph(
        [
            ("tokens", "Input", {"shape": [12], "dtype": "long"}),
            ("embed", "Embedding", {"num_embeddings": 50, "embedding_dim": 8}),
            ("lstm", "LSTM", {"hidden_size": 16}),
            ("last", "Select", {"dim": 1, "index": -1}),
            ("drop", "Dropout", {"p": 0.2}),
            ("fc", "Linear", {"out_features": 3}),
            ("logits", "Output", {}),
            ("state", "Output", {}),
        ],
        [
            ("tokens", "embed"),
            ("embed", "lstm"),
            ("lstm", "last"),
            ("last", "drop"),
            ("drop", "fc"),
            ("fc", "logits"),
            ("lstm", "state", 1, 0),
        ],
        name="text classifier",
    )


def _residual(kit):
    return kit.build_graph(
        [
            ("x", "Input", {"shape": [4, 8, 8]}),
            ("conv", "Conv2d", {"out_channels": 4, "kernel_size": 3, "padding": 1}),
            ("bn", "BatchNorm2d", {}),
            ("act", "ReLU", {}),
            ("skip", "Add", {}),
            ("pool", "AdaptiveAvgPool2d", {"output_size": 1}),
            ("flat", "Flatten", {}),
            ("both", "Concat", {"dim": 1}),
            ("y", "Output", {}),
        ],
        [
            ("x", "conv"),
            ("conv", "bn"),
            ("bn", "act"),
            ("act", "skip"),
            ("x", "skip", 0, 1),
            ("skip", "pool"),
            ("pool", "flat"),
            ("flat", "both"),
            ("flat", "both", 0, 1),
            ("both", "y"),
        ],
        name="residual",
    )


@pytest.mark.parametrize("style", ["modules", "functional"])
@pytest.mark.parametrize("which", ["lenet", "text", "residual"])
def test_exported_code_runs_without_nodeml_and_matches(which, style, exported_run):
    expected, got, _ = exported_run
    name = f"{which}_{style}"
    assert len(expected[name]) == len(got[name])
    for a, b in zip(expected[name], got[name], strict=True):
        torch.testing.assert_close(a, b, rtol=0, atol=0)


def test_exported_code_imports_only_torch(exported_run):
    assert exported_run[2]["loaded"] == "[]"


def test_exported_main_block_prints_the_output_shapes(exported_run):
    printed = exported_run[2]
    assert printed["lenet_modules"] == "['(2,', '10)']"
    assert printed["text_functional"] == "['(2,', '3)', '(1,', '2,', '16)']"


def test_exported_source_is_the_compiled_source(lenet):
    result = compile_result(lenet)
    assert export_code(lenet) == result.source
    assert result.source.startswith(
        '"""LeNet: a PyTorch model exported from the nodeml graph "LeNet".'
    )
    assert "\nimport torch\nfrom torch import nn\n" in result.source
    assert "nodeml" not in result.source.split('"""')[2].replace("as drawn in nodeml", "")


def test_print_model_looks_like_hand_written_pytorch(lenet):
    printed = str(compile_graph(lenet)).splitlines()
    assert "  (conv1): Conv2d(1, 6, kernel_size=(3, 3), stride=(1, 1))" in printed
    assert "  (fc1): Linear(in_features=576, out_features=120, bias=True)" in printed
    assert printed[0] == "LeNet("


def test_functional_style_prints_only_the_parametric_layers_like_the_blitz(lenet):
    # trained on standardised images, as the hand-written twin expects
    lenet.extras["training"] = {"dataset": "shapes", "dataset_options": {"image_size": 32}}
    model = compile_graph(lenet, "functional")
    hand = LeNet()  # the blitz network, written by hand
    assert [name for name, _ in model.named_children()] == ["conv1", "conv2", "fc1", "fc2", "fc3"]
    assert str(model).splitlines()[1:] == str(hand).splitlines()[1:]
    assert sum(p.numel() for p in model.parameters()) == 81_194
    assert len(list(model.parameters())) == 10
    hand.image_mean.fill_(0.3)
    hand.image_std.fill_(0.2)
    model.load_state_dict(hand.state_dict())
    x = torch.randn(4, 1, 32, 32)
    torch.testing.assert_close(model(x), hand(x), rtol=0, atol=0)


def test_both_styles_share_state_dict_keys(lenet):
    assert list(compile_graph(lenet).state_dict()) == list(
        compile_graph(lenet, "functional").state_dict()
    )


def test_forward_is_one_line_per_node_in_topological_order(lenet):
    source = compile_result(lenet).source
    start = source.index("    def forward")
    forward = source[start : source.index("\n\n", start)]  # then the class-name methods
    lines = forward.splitlines()[1:]
    assert [line.split(" = ")[0].strip() for line in lines[:-1]] == [
        "image",  # trained on (32 px) shapes, so it standardises its input first
        "conv1",
        "act1",
        "pool1",
        "conv2",
        "act2",
        "pool2",
        "flat",
        "fc1",
        "act3",
        "fc2",
        "act4",
        "fc3",
    ]
    assert lines[-1].strip() == "return fc3"
    assert not any(word in forward for word in ("for ", "while ", "graph", "getattr"))


def test_an_error_in_forward_shows_the_generated_line_and_its_node(lenet):
    result = compile_result(lenet)
    model = result.model_class()
    with pytest.raises(RuntimeError) as info:
        model(torch.randn(2, 1, 28, 28))  # 28x28 leaves 400 features where fc1 wants 576
    text = "".join(traceback.format_exception(info.value))
    assert "fc1 = self.fc1(flat)" in text
    frame = [
        f for f in traceback.extract_tb(info.value.__traceback__) if f.filename == result.filename
    ]
    assert frame and frame[-1].line == "fc1 = self.fc1(flat)"
    assert result.node_at_line(frame[-1].lineno) == "fc1"
    assert type(model).nodeml_node_at_line(result.filename, frame[-1].lineno) == "fc1"
    assert type(model).nodeml_node_at_line("<other>", frame[-1].lineno) is None


def test_node_at_line_covers_init_and_return_lines(lenet):
    result = compile_result(lenet)
    lines = result.source.splitlines()
    init = lines.index("        self.conv2 = nn.Conv2d(6, 16, 3)") + 1
    ret = lines.index("        return fc3") + 1
    assert result.node_at_line(init) == "conv2"
    assert result.node_at_line(ret) == "logits"
    assert result.node_at_line(1) is None


def test_several_outputs_return_a_tuple_in_output_node_order(kit):
    model = compile_graph(_text_classifier(kit)).eval()
    logits, state = model(torch.randint(0, 50, (5, 12)))
    assert logits.shape == (5, 3) and state.shape == (1, 5, 16)


def test_class_is_named_after_the_graph(kit):
    assert compile_result(_text_classifier(kit)).model_class.__name__ == "TextClassifier"
