"""The nodeml command line: check / summary / export, app hand-over, and errors without tracebacks."""

from __future__ import annotations

import importlib.machinery
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
import torch

import nodeml
from nodeml import cli
from nodeml.core import shapes

ROOT = Path(__file__).resolve().parents[2]
LENET = ROOT / "sample_graphs" / "lenet.json"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def write_graph(tmp_path: Path, nodes: list, edges: list, **top) -> Path:
    data = {"format": "nodeml.graph", "version": 1, "name": "T", "nodes": nodes, "edges": edges}
    data.update(top)
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def mismatched(tmp_path):
    """Input of 4 features into a Linear that insists on 3."""
    return write_graph(
        tmp_path,
        [
            {"id": "x", "type": "Input", "params": {"shape": [4]}},
            {"id": "fc", "type": "Linear", "params": {"in_features": 3, "out_features": 2}},
            {"id": "y", "type": "Output"},
        ],
        [{"source": "x", "target": "fc"}, {"source": "fc", "target": "y"}],
    )


MISMATCH = "node fc: Linear expects in_features=3 but its input has 4 features; remove the value to infer it"


# ---- check --------------------------------------------------------------------------------------
def test_check_valid_graph_prints_one_ok_line(capsys):
    code, out, err = run(capsys, "check", LENET)
    assert code == 0
    assert out.splitlines() == [f"OK {LENET}: 'LeNet', 14 nodes, 81,194 parameters"]
    assert err == ""


def test_check_lists_each_problem_on_its_own_line(capsys, mismatched):
    code, out, _ = run(capsys, "check", mismatched)
    assert code == 1
    assert out.splitlines() == [MISMATCH]


def test_check_reports_every_problem_of_a_graph_with_several(capsys, tmp_path):
    path = write_graph(
        tmp_path,
        [{"id": "x", "type": "Input", "params": {"shape": [4]}}, {"id": "fc", "type": "Linaer"}],
        [{"source": "x", "target": "fc"}],
    )
    code, out, _ = run(capsys, "check", path)
    assert code == 1
    lines = out.splitlines()
    assert len(lines) == 2
    assert "graph: the graph has no Output node" in lines[0]
    assert lines[1].startswith("node fc: unknown node type 'Linaer'; did you mean Linear?")


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "No such file"),
        ("{not json", "is not valid JSON"),
        ('{"format": "other"}', "is not a nodeml graph"),
        ('{"format": "nodeml.graph", "version": 99}', "newer than this nodeml reads"),
        (
            '{"format": "nodeml.graph", "version": 1, "nodes": [{"id": "1x", "type": "ReLU"}]}',
            "is not a Python identifier",
        ),
    ],
)
def test_check_refuses_unreadable_files_in_one_line_without_traceback(
    capsys, tmp_path, content, expected
):
    path = tmp_path / "g.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    code, out, _ = run(capsys, "check", path)
    assert code == 1
    assert len(out.splitlines()) == 1
    assert expected in out


def test_check_of_a_directory_is_a_clear_error(capsys, tmp_path):
    code, out, _ = run(capsys, "check", tmp_path)
    assert code == 1
    assert "cannot read" in out


def test_internal_errors_still_print_one_line(capsys, monkeypatch):
    def broken(graph):
        raise RuntimeError("boom")

    monkeypatch.delenv("NODEML_DEBUG", raising=False)
    monkeypatch.setattr(shapes, "Inference", broken)  # the CLI imports it when a command runs
    code, out, err = run(capsys, "check", LENET)
    assert code == 1
    assert err.splitlines() == [
        "nodeml check: internal error: RuntimeError: boom "
        "(set NODEML_DEBUG=1 for a traceback, and please report it)"
    ]


# ---- summary ------------------------------------------------------------------------------------
def test_summary_table_has_a_row_per_node_and_the_totals(capsys):
    code, out, _ = run(capsys, "summary", LENET)
    assert code == 0
    rows = {line.split()[0]: line.split() for line in out.splitlines() if line.split()}
    assert rows["conv1"][:2] == ["conv1", "Conv2d"]
    assert "(N, 6, 30, 30)" in out
    assert rows["conv1"][-4:] == ["60", "60", "yes", "48,600"]
    assert rows["relu1"][-4:] == ["0", "0", "no", "0"]
    assert rows["fc1"][-4:] == ["69,240", "69,240", "yes", "69,120"]
    assert "Total params: 81,194" in out
    assert "Trainable params: 81,194" in out
    assert "Model size (fp32): 0.32 MB" in out
    assert "Total MACs (one sample): 274,656" in out


def test_summary_json_is_the_documented_document(capsys):
    code, out, _ = run(capsys, "summary", LENET, "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"nodes", "total_params", "trainable_params", "total_macs"}
    assert data["total_params"] == data["trainable_params"] == 81_194
    assert data["total_macs"] == 274_656
    assert [n["id"] for n in data["nodes"]] == [n.id for n in nodeml.load_graph(LENET).nodes]
    conv1 = data["nodes"][1]
    assert conv1 == {
        "id": "conv1",
        "type": "Conv2d",
        "output_shape": [6, 30, 30],
        "params": 60,
        "trainable": 60,
        "parametric": True,
        "macs": 48_600,
    }
    assert data["nodes"][-1]["output_shape"] == [10]  # Output: what forward returns


def test_summary_of_a_graph_with_problems_shows_what_is_known_and_exits_1(capsys, mismatched):
    code, out, err = run(capsys, "summary", mismatched)
    assert code == 1
    assert "(N, 4)" in out
    assert err.splitlines() == [MISMATCH]


def test_summary_of_a_missing_file_is_one_line_on_stderr(capsys, tmp_path):
    code, out, err = run(capsys, "summary", tmp_path / "missing.json")
    assert code == 1
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith("nodeml summary: graph: cannot read")


# ---- export -------------------------------------------------------------------------------------
@pytest.mark.parametrize("style", ["modules", "functional"])
def test_export_writes_code_whose_state_dict_matches_the_compiled_model(capsys, tmp_path, style):
    target = tmp_path / "lenet.py"
    code, out, _ = run(capsys, "export", LENET, "-o", target, "--style", style)
    assert code == 0
    assert out.splitlines() == [f"wrote {target} ({style} style)"]
    graph = nodeml.load_graph(LENET)
    assert target.read_text(encoding="utf-8") == nodeml.export_code(graph, style=style)
    namespace: dict = {"__name__": "exported"}
    exec(compile(target.read_text(encoding="utf-8"), str(target), "exec"), namespace)
    exported = namespace["LeNet"]()
    compiled = nodeml.compile_graph(graph)
    exported.load_state_dict(compiled.state_dict(), strict=True)
    x = torch.randn(2, 1, 32, 32)
    torch.testing.assert_close(exported(x), compiled(x))


def test_export_of_a_broken_graph_writes_nothing(capsys, tmp_path, mismatched):
    target = tmp_path / "out.py"
    code, out, err = run(capsys, "export", mismatched, "-o", target)
    assert code == 1
    assert not target.exists()
    assert err.splitlines() == [f"nodeml export: {MISMATCH}"]


@pytest.mark.parametrize("fmt", ["onnx", "torchscript"])
def test_export_formats_not_yet_supported_say_so(capsys, tmp_path, monkeypatch, fmt):
    # the CLI's own export, as it is when the interop package that adds these formats is absent
    monkeypatch.setattr(cli, "_EXTRA_COMMANDS", [])
    target = tmp_path / "out.bin"
    code, _, err = run(capsys, "export", LENET, "-o", target, "--format", fmt)
    assert code == 1
    assert err.splitlines() == [
        f"nodeml export: --format {fmt} is not yet supported; use --format python (the default)"
    ]
    assert not target.exists()


def test_export_formats_from_the_interop_package_are_mounted(capsys, tmp_path):
    target = tmp_path / "lenet.pt"
    code, out, _ = run(capsys, "export", LENET, "-o", target, "--format", "torchscript")
    assert code == 0
    assert out.startswith(f"wrote {target} (torchscript")
    assert target.stat().st_size > 0


def test_export_needs_an_output_file(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["export", str(LENET)])
    assert exc.value.code == 2
    assert "-o/--output" in capsys.readouterr().err


def test_unknown_command_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["chek", "g.json"])
    assert exc.value.code == 2
    assert "invalid choice: 'chek'" in capsys.readouterr().err


# ---- the app and the training commands ----------------------------------------------------------
def fake_module(monkeypatch, name: str, **attrs) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, None)
    for key, value in attrs.items():
        setattr(module, key, value)
    monkeypatch.setitem(sys.modules, name, module)
    return module


def test_no_command_without_the_app_prints_a_clear_message(capsys, monkeypatch):
    monkeypatch.setattr(cli, "_APP_MODULE", "nodeml.ui.no_such_app")
    code, out, _ = run(capsys)
    assert code == 0
    assert "desktop app is not part of this build" in out
    assert "nodeml check|summary|export GRAPH" in out


@pytest.mark.parametrize(
    "argv",
    [[], [str(LENET)], ["--screenshot", "out.png"], ["--screenshot", "out.png", str(LENET)]],
)
def test_app_arguments_are_passed_to_the_app(capsys, monkeypatch, argv):
    seen = []
    fake_module(monkeypatch, "fake_nodeml_app", main=lambda a: seen.append(a) or 7)
    monkeypatch.setattr(cli, "_APP_MODULE", "fake_nodeml_app")
    assert cli.main(argv) == 7
    assert seen == [argv]


def test_commands_are_registered_when_a_package_provides_them(monkeypatch):
    def add_commands(subparsers):
        train = subparsers.add_parser("train")
        train.add_argument("graph")
        train.set_defaults(func=lambda args: 3 if args.graph == "g.json" else 0)

    fake_module(monkeypatch, "fake_training_commands", add_commands=add_commands)
    monkeypatch.setattr(cli, "_EXTRA_COMMANDS", ["fake_training_commands"])
    assert cli.main(["train", "g.json"]) == 3


def test_python_dash_m_nodeml_runs_the_same_cli():
    result = subprocess.run(
        [sys.executable, "-m", "nodeml", "check", str(LENET)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK ")


def test_the_package_and_its_command_line_load_without_torch():
    """The app's entry point can put a window up before torch (seconds) is imported; the public
    names still resolve, importing what they need on first use."""
    script = (
        "import sys, nodeml, nodeml.cli\n"
        "print('torch' in sys.modules)\n"
        "print(all(callable(getattr(nodeml, name)) for name in nodeml.__all__))\n"
        "print('torch' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True", "True"]


_COLLECTOR = """
import gc, importlib.machinery, sys, types
from nodeml import cli
seen = {}
def add_commands(sub):
    sub.add_parser("long").set_defaults(func=lambda args: seen.setdefault("long", gc.isenabled()))
fake = types.ModuleType("fake_long_command")
fake.__spec__ = importlib.machinery.ModuleSpec("fake_long_command", None)
fake.add_commands = add_commands
sys.modules["fake_long_command"] = fake
cli._EXTRA_COMMANDS = ["fake_long_command"]
sys.argv = ["nodeml", *sys.argv[1:]]
cli.main()
print(seen["long"])
"""


def test_a_long_command_runs_with_the_garbage_collector_on():
    """The program pauses collection while it starts (seconds of CPU otherwise); a command that
    may run for hours (train, evaluate) gets it back before it runs."""
    done = subprocess.run(
        [sys.executable, "-c", _COLLECTOR, "long"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True"]


_EXIT = """
import atexit, sys
from nodeml import cli
atexit.register(lambda: print("clean-up ran", flush=True))
sys.argv = ["nodeml", *sys.argv[1:]]
sys.exit(cli.main())
"""


def test_one_shot_commands_end_without_teardown_and_lose_no_output(tmp_path):
    """check / summary / --screenshot end the process once their output is flushed (the
    interpreter's teardown costs a few tenths of a second); their output and status are whole,
    even through a pipe, and a bad graph still exits 1."""
    summary = subprocess.run(
        [sys.executable, "-c", _EXIT, "summary", str(LENET), "--json"],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert summary.returncode == 0, summary.stderr
    assert "clean-up ran" not in summary.stdout  # no teardown, so no atexit either
    nodes = json.loads(summary.stdout)["nodes"]
    assert len(nodes) == 14 and nodes[-1]["id"] == "logits"

    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "nodeml.graph", "version": 1, "nodes": [], "edges": []}')
    check = subprocess.run(
        [sys.executable, "-c", _EXIT, "check", str(bad)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert check.returncode == 1 and "no Input node" in check.stdout
    assert "clean-up ran" not in check.stdout

    shot = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [sys.executable, "-c", _EXIT, "--screenshot", str(shot), str(LENET)],
        capture_output=True, text=True, cwd=ROOT, timeout=300, env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [f"wrote {shot}"]
    assert shot.read_bytes().startswith(b"\x89PNG") and shot.stat().st_size > 10_000


def test_commands_that_train_or_export_keep_the_interpreters_clean_exit(tmp_path):
    out = tmp_path / "lenet.py"
    done = subprocess.run(
        [sys.executable, "-c", _EXIT, "export", str(LENET), "-o", str(out)],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "clean-up ran" and out.is_file()
