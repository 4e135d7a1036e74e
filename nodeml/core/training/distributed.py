"""``nodeml train --nproc N``: the exported training script, run by torchrun in the run folder.

The run folder gets ``train.py`` (exactly what ``nodeml export --with-training`` writes),
``data.pt`` (the graph's dataset as ``{"x", "y"}`` tensors, so every process trains on the same
samples the one-process trainer would) and, from rank 0, ``checkpoint.pt`` after every epoch.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
from pathlib import Path
from typing import TextIO

import torch
from torch.utils.data import ConcatDataset, DataLoader, Dataset

from ..errors import TrainingError
from ..exporting.training_script import training_script
from ..fileio import atomic_write_bytes, atomic_write_text
from ..serialize import load_graph
from .config import TrainingConfig
from .data_paths import resolve_data_paths
from .datasets import check_input, load_dataset
from .run_folder import check_new_run_folder, new_run_dir, run_stem, runs_root
from .task_hint import task_hint

# nodeml's flag -> the script's flag; the values were already checked by argparse's types
_PASSED_ON = {
    "epochs": "--epochs",
    "batch_size": "--batch-size",
    "lr": "--lr",
    "optimizer": "--optimizer",
    "seed": "--seed",
}


def torchrun_command(script: Path, nproc: int, script_args: list[str]) -> list[str]:
    """``python -m torch.distributed.run --standalone --nproc_per_node=N train.py ...``."""
    return [
        sys.executable,
        "-m",
        "torch.distributed.run",
        "--standalone",
        f"--nproc_per_node={nproc}",
        str(script),
        *script_args,
    ]


def prepare_run(args: argparse.Namespace) -> tuple[Path, list[str]]:
    """Write train.py and data.pt into the run folder; return it and the script's arguments."""
    if args.nproc < 1:
        raise TrainingError(f"--nproc must be at least 1, got {args.nproc}")
    if args.resume:
        raise TrainingError(
            "--resume continues a one-process run; a --nproc run resumes from its own folder: "
            "python -m torch.distributed.run --standalone --nproc_per_node=N train.py --resume"
        )
    if args.out:
        check_new_run_folder(args.out, "")
    graph = load_graph(args.graph)
    config = TrainingConfig.from_dict(graph.extras.get("training"))
    if args.dataset and args.dataset != config.dataset:
        config = config.replace(dataset=args.dataset, dataset_options={})
    config = resolve_data_paths(config, Path(args.graph).resolve().parent)
    data = load_dataset(config, task_hint(graph, config))
    problems = check_input(data.info, graph)
    if problems:
        raise TrainingError("; ".join(str(p) for p in problems))
    script = training_script(graph)
    if args.out:
        run_dir = check_new_run_folder(args.out, "")
        run_dir.mkdir(parents=True, exist_ok=True)
    else:
        run_dir = new_run_dir(runs_root(args.graph), run_stem(args.graph, graph.name))
    atomic_write_text(run_dir / "train.py", script)
    parts = [d for d in (data.train, data.val) if d is not None]
    classes = list(data.info.classes)  # the script gives them to the model (output index -> name)
    atomic_write_bytes(run_dir / "data.pt", _tensors_file(ConcatDataset(parts), classes))
    script_args = ["--data", "data.pt", "--checkpoint", "checkpoint.pt"]
    for name, flag in _PASSED_ON.items():
        value = getattr(args, name, None)
        if value is not None:
            script_args += [flag, str(value)]
    return run_dir, script_args


def run_torchrun(args: argparse.Namespace, out: TextIO) -> int:
    """Launch the run and relay its output; the exit status is torchrun's (0 when all ranks end)."""
    run_dir, script_args = prepare_run(args)
    command = torchrun_command(Path("train.py"), args.nproc, script_args)
    print(f"torchrun: {args.nproc} processes in {run_dir}", file=out, flush=True)
    proc = subprocess.Popen(
        command,
        cwd=run_dir,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            out.write(line)
            out.flush()
        code = proc.wait()
    except KeyboardInterrupt:  # torchrun got the same Ctrl-C and stops its workers
        code = proc.wait()
    if code != 0:
        raise TrainingError(f"torchrun exited with status {code}; its output is above")
    print(f"run folder: {run_dir}", file=out)
    return 0


def _tensors_file(dataset: Dataset, classes: list[str]) -> bytes:
    """The raw samples (the model standardises them itself) and the class names."""
    xs, ys = [], []
    for x, y in DataLoader(dataset, batch_size=1024):
        xs.append(x)
        ys.append(y)
    buffer = io.BytesIO()
    torch.save({"x": torch.cat(xs), "y": torch.cat(ys), "classes": classes}, buffer)
    return buffer.getvalue()
