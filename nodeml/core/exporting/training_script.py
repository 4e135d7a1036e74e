"""A standalone train.py for a graph: the generated model class, the graph's dataset read as nodeml
reads it, and plain PyTorch train/evaluate loops that run in one process or under torchrun with
DistributedDataParallel, on one machine or several."""

from __future__ import annotations

import shlex
from pathlib import Path

from ..catalog.spec import literal
from ..compile import generate_source
from ..compile.codegen import display_name
from ..compile.model_interface import ModelInterface
from ..graph import Graph
from ..shapes import Inference
from ..training.defaults import training_config
from ..training.losses import resolve_loss
from .report import ExportError
from .script_data import script_data

# the loss line each canonical loss name becomes (settings filled in from the config)
_LOSSES = {
    "mse": "nn.MSELoss()",
    "l1": "nn.L1Loss()",
    "smooth_l1": "nn.SmoothL1Loss(beta={huber_delta})",
    "huber": "nn.HuberLoss(delta={huber_delta})",
    "cross_entropy": "nn.CrossEntropyLoss(label_smoothing={label_smoothing})",
    "nll": "nn.NLLLoss()",
    "bce": "nn.BCELoss()",
    "bce_with_logits": "nn.BCEWithLogitsLoss()",
}


def training_script(
    graph: Graph,
    style: str = "modules",
    filename: str = "train.py",
    *,
    graph_dir: Path | None = None,
    script_dir: Path | None = None,
) -> str:
    """The script's source. Settings come from the graph's ``training`` section (as nodeml
    trains it: without one, the built-in dataset that fits the Input) and become the argparse
    defaults and constants; every value is written with ``repr``. ``filename`` is what the
    docstring's run commands call the file (its name as written). ``graph_dir``: the folder the
    graph's relative data paths are read from (the graph file's); ``script_dir``: where the
    script goes, so they are written relative to it."""
    config = training_config(graph)
    inference = Inference(graph)
    try:
        _, gen, _ = generate_source(graph, style, inference)
        infos = inference.all()
    finally:
        inference.close()
    if len(gen.inputs) != 1 or len(gen.outputs) != 1:
        raise ExportError(
            f"the training script needs exactly one Input and one Output node; this graph has "
            f"{len(gen.inputs)} and {len(gen.outputs)}"
        )
    out = infos[gen.outputs[0]].shape
    width = out.shape[0] if out is not None and len(out.shape) == 1 else None
    data = script_data(config, graph, width, graph_dir=graph_dir, script_dir=script_dir)
    loss = resolve_loss(config, data.task)
    loss_code = _LOSSES[loss].format(
        huber_delta=literal(config.huber_delta), label_smoothing=literal(config.label_smoothing)
    )
    title = display_name(graph.name)
    uses_f = "import torch.nn.functional as F\n" if gen.uses_functional else ""
    constants = {**data.constants, "THRESHOLD": literal(0.5 if loss == "bce" else 0.0)}
    replacements = {
        "@TITLE@": title,
        "@DATA_SAY@": data.describe,
        "@IMPORTS@": data.imports,
        "@FUNCTIONAL@": uses_f,
        "@TORCHVISION@": "import torchvision\n" if gen.uses_torchvision else "",
        "@MODEL@": "\n".join(gen.lines),
        "@CLASS@": gen.class_name,
        "@CONSTANTS@": "\n".join(f"{name} = {value}" for name, value in constants.items()),
        "@DATA_FLAGS@": data.flags,
        "@DATA_CODE@": data.code.strip("\n"),
        "@LOSS@": loss_code,
        "@EPOCHS@": literal(config.epochs),
        "@BATCH_SIZE@": literal(config.batch_size),
        "@LR@": literal(config.lr),
        "@OPTIMIZER@": literal(config.optimizer),
        "@MOMENTUM@": literal(config.momentum),
        "@NESTEROV@": literal(config.nesterov),
        "@WEIGHT_DECAY@": literal(config.weight_decay),
        "@BETAS@": literal(list(config.betas)),
        "@EPS@": literal(config.eps),
        "@ALPHA@": literal(config.alpha),
        "@VAL_SPLIT@": literal(config.val_split),
        "@SEED@": literal(config.seed if config.seed is not None else 0),
        "@GRAD_CLIP@": literal(config.grad_clip),
        "@NUM_WORKERS@": literal(config.num_workers),
        "@USAGE@": _usage(filename, data.flags),
        "@FIT@": _fit_code(gen.interface),
    }
    text = _TEMPLATE
    for token, value in replacements.items():
        text = text.replace(token, value)
    return text


def _usage(filename: str, flags: str) -> str:
    """The docstring's run commands for a script saved as ``filename``, comments aligned."""
    # as a shell would need it, then escaped for the docstring it sits in
    name = shlex.quote(filename).replace("\\", "\\\\").replace('"', '\\"')
    lines = [
        (f"python {name}", "one process (a GPU when there is one)"),
        (f"torchrun --nproc_per_node=N {name}", "N processes on this machine (DDP)"),
        (f"python {name} --resume", "carry on from --checkpoint"),
    ]
    if "--root" in flags:
        lines.insert(2, (f"python {name} --root /data/elsewhere", "the data somewhere else"))
    elif "--path" in flags:
        lines.insert(2, (f"python {name} --path /data/other.csv", "the data somewhere else"))
    width = max(len(command) for command, _ in lines) + 2
    return "\n".join(f"    {command:<{width}}# {why}" for command, why in lines)


def _fit_code(interface: ModelInterface) -> str:
    """Statements of ``main`` that fit what nodeml's Trainer fits at a fresh start: the input
    standardisation (process 0, on the whole training split, given to the others) and the class
    names (from the data)."""
    lines = []
    s = interface.standardization
    if s is not None:
        lines += [
            "    if not args.resume:  # the input's mean and std, as nodeml fits them",
            "        if rank == 0:",
            f"            fit_standardization(model.{s.mean}, model.{s.std}, train_set)",
            "        if world > 1:  # every process standardises alike",
            f"            dist.broadcast(model.{s.mean}, 0)",
            f"            dist.broadcast(model.{s.std}, 0)",
        ]
    if interface.classes is not None:
        lines += [
            "    if not args.resume and classes:",
            f"        model.{interface.classes} = list(classes)",
        ]
    return "\n".join(lines) + "\n" if lines else ""


_TEMPLATE = '''"""@TITLE@: a training script exported from the nodeml graph "@TITLE@".

Plain PyTorch; runs without nodeml. Its data: @DATA_SAY@, read as nodeml reads it.
The graph's training settings are the defaults of its options (--help lists them).
@USAGE@
Several machines: on each of them, torchrun --nnodes=M --node-rank=R --nproc_per_node=N
--rdzv-backend=static --rdzv-endpoint=HOST:PORT and this file, HOST:PORT being machine 0 and a
free port there. Process 0 (on machine 0) prints the epochs and saves --checkpoint.
"""

import argparse
@IMPORTS@import os

import torch
import torch.distributed as dist
@FUNCTIONAL@from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, Dataset, Subset
from torch.utils.data.distributed import DistributedSampler
@TORCHVISION@

@MODEL@


@CONSTANTS@
BETAS = @BETAS@
EPS = @EPS@
ALPHA = @ALPHA@


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Train @CLASS@ (exported from nodeml).")
@DATA_FLAGS@    p.add_argument("--epochs", type=int, default=@EPOCHS@)
    p.add_argument("--batch-size", type=int, default=@BATCH_SIZE@, help="per process")
    p.add_argument("--lr", type=float, default=@LR@)
    p.add_argument("--optimizer", choices=("sgd", "adam", "adamw", "rmsprop", "adagrad"), default=@OPTIMIZER@)
    p.add_argument("--momentum", type=float, default=@MOMENTUM@)
    p.add_argument("--nesterov", action=argparse.BooleanOptionalAction, default=@NESTEROV@)
    p.add_argument("--weight-decay", type=float, default=@WEIGHT_DECAY@)
    p.add_argument("--grad-clip", type=float, default=@GRAD_CLIP@, help="max gradient norm")
    p.add_argument("--val-split", type=float, default=@VAL_SPLIT@)
    p.add_argument("--seed", type=int, default=@SEED@, help="initial weights, split, shuffling")
    p.add_argument("--checkpoint", default="checkpoint.pt", help="saved after every epoch")
    p.add_argument("--resume", action="store_true", help="start from --checkpoint")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:1 ...")
    p.add_argument("--num-workers", type=int, default=@NUM_WORKERS@, help="DataLoader workers per process")
    return p.parse_args(argv)


def setup(args):
    """(rank, world size, device); under torchrun this joins the other processes."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1:
        backend = "nccl" if torch.cuda.is_available() and args.device != "cpu" else "gloo"
        dist.init_process_group(backend)
        rank = dist.get_rank()
        if backend == "nccl":
            local = int(os.environ.get("LOCAL_RANK", "0"))
            torch.cuda.set_device(local)
            return rank, world, torch.device("cuda", local)
        return rank, world, torch.device("cpu")
    if args.device == "auto":
        return 0, 1, torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return 0, 1, torch.device(args.device)


def data_path(text):
    """A data path as nodeml reads one: ~ expanded; a relative path beside this script when the
    file is there, else from the working directory."""
    path = os.path.expanduser(text)
    beside = os.path.join(os.path.dirname(os.path.abspath(__file__)), path)
    return beside if not os.path.isabs(path) and os.path.exists(beside) else path


@DATA_CODE@


def split(data, val_split, seed):
    """(training, validation) subsets: the split nodeml makes, which depends on the seed alone."""
    n = len(data)
    n_val = int(round(n * val_split))
    if n_val >= n:
        raise SystemExit(f"--val-split {val_split} leaves no training samples; lower it")
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed)).tolist()
    return Subset(data, order[n_val:]), Subset(data, order[:n_val])


@torch.no_grad()
def fit_standardization(mean, std, train_set):
    """The training inputs' mean and std into the model's buffers ``mean`` and ``std``, as nodeml
    fits them: per feature (tables) or per channel (images), over every dim where the buffer has
    size 1, in float64; from every sample held in memory, from 1,000 evenly spaced ones of images
    read from disk. A constant feature gets std 1."""
    data, indices = train_set.dataset, list(train_set.indices)
    in_memory = hasattr(data, "inputs")  # Samples; an ImageFolder reads each image from disk
    if not in_memory and len(indices) > 1000:
        picks = torch.linspace(0, len(indices) - 1, 1000).round().long().tolist()
        indices = [indices[i] for i in picks]
    dims = [0] + [d + 1 for d, size in enumerate(mean.shape) if size == 1]

    def batches():
        for start in range(0, len(indices), 256):
            chunk = indices[start:start + 256]
            if in_memory:
                yield data.inputs(chunk).double()
            else:
                yield torch.stack([data[i][0] for i in chunk]).double()

    count, total = 0, 0.0
    for x in batches():
        total = total + x.sum(dim=dims, keepdim=True)[0]
        count += x.numel() // mean.numel()
    m = total / max(count, 1)
    squares = 0.0
    for x in batches():
        squares = squares + (x - m).square().sum(dim=dims, keepdim=True)[0]
    s = (squares / max(count - 1, 1)).sqrt()
    varies = (s > 1e-12 * m.abs().clamp_min(1.0)) & torch.isfinite(s)
    mean.copy_(m)
    std.copy_(torch.where(varies, s, torch.ones_like(s)))


def target(x, y, out):
    """What the loss compares the output with: the input itself for an autoencoder; float and
    shaped like the output for binary and regression losses."""
    if RECONSTRUCT:
        y = x
    if TASK == "classification":
        return y
    y = y.to(out.dtype)
    return y.reshape(out.shape) if y.numel() == out.numel() else y


def make_optimizer(args, params):
    if args.optimizer == "sgd":
        return torch.optim.SGD(params, lr=args.lr, momentum=args.momentum, nesterov=args.nesterov,
                               weight_decay=args.weight_decay)
    if args.optimizer == "adam":
        return torch.optim.Adam(params, lr=args.lr, betas=BETAS, eps=EPS, weight_decay=args.weight_decay)
    if args.optimizer == "adamw":
        return torch.optim.AdamW(params, lr=args.lr, betas=BETAS, eps=EPS, weight_decay=args.weight_decay)
    if args.optimizer == "rmsprop":
        return torch.optim.RMSprop(params, lr=args.lr, alpha=ALPHA, eps=EPS, momentum=args.momentum,
                                   weight_decay=args.weight_decay)
    return torch.optim.Adagrad(params, lr=args.lr, eps=EPS, weight_decay=args.weight_decay)


def run_epoch(model, loader, loss_fn, device, optimizer=None, grad_clip=None):
    """One pass over this process's batches, training when given an optimizer; returns the mean
    loss and the accuracy (or, for regression, the mean absolute error) over every process's."""
    model.train(optimizer is not None)
    sums = torch.zeros(4, dtype=torch.float64)  # loss * samples, samples, right (or |error|), values
    with torch.set_grad_enabled(optimizer is not None):
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            out = model(x)
            t = target(x, y, out)
            loss = loss_fn(out, t)
            if optimizer is not None:
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                if grad_clip is not None:
                    nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
                optimizer.step()
            sums[0] += loss.item() * len(x)
            sums[1] += len(x)
            if TASK == "classification":
                sums[2] += (out.argmax(1) == t).sum().item()
                sums[3] += len(x)
            elif TASK == "binary":
                sums[2] += ((out > THRESHOLD) == (t > 0.5)).sum().item()
                sums[3] += t.numel()
            else:
                sums[2] += (out - t).abs().sum().item()
                sums[3] += t.numel()
    if dist.is_initialized():
        sums = sums.to(device)
        dist.all_reduce(sums)
        sums = sums.cpu()
    return (sums[0] / sums[1].clamp_min(1)).item(), (sums[2] / sums[3].clamp_min(1)).item()


def save_checkpoint(path, model, optimizer, epoch):
    """Written whole or not at all: a temp file, then an atomic rename. The model's state holds
    its input standardisation and class names."""
    state = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}
    torch.save(state, f"{path}.tmp")
    os.replace(f"{path}.tmp", path)


def main(argv=None):
    args = parse_args(argv)
    rank, world, device = setup(args)
    torch.manual_seed(args.seed)  # the same initial weights in every process
    model = @CLASS@().to(device)
    torch.manual_seed(args.seed + rank)  # each process its own dropout draws
    optimizer = make_optimizer(args, [p for p in model.parameters() if p.requires_grad])
    start = 0
    if args.resume:
        state = torch.load(args.checkpoint, map_location=device, weights_only=True)
        model.load_state_dict(state["model"])
        if state.get("optimizer"):
            optimizer.load_state_dict(state["optimizer"])
        start = int(state.get("epoch", 0))
    data, classes = load_samples(args)
    train_set, val_set = split(data, args.val_split, args.seed)
@FIT@    ids = [device.index] if device.type == "cuda" else None
    net = DistributedDataParallel(model, device_ids=ids) if world > 1 else model
    loss_fn = @LOSS@
    # every process its share of each epoch (DistributedSampler pads it to equal shares);
    # validation shares are disjoint, so its numbers are the whole split's
    train_sampler = DistributedSampler(train_set, seed=args.seed) if world > 1 else None
    shuffle = torch.Generator().manual_seed(args.seed) if train_sampler is None else None
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=train_sampler is None,
                              sampler=train_sampler, generator=shuffle, num_workers=args.num_workers)
    val_loader = DataLoader(val_set, batch_size=args.batch_size, num_workers=args.num_workers,
                            sampler=list(range(rank, len(val_set), world)))
    metric = "mae" if TASK == "regression" else "accuracy"
    for epoch in range(start, args.epochs):
        if train_sampler is not None:
            train_sampler.set_epoch(epoch)
        loss, score = run_epoch(net, train_loader, loss_fn, device, optimizer, args.grad_clip)
        line = f"epoch {epoch + 1}/{args.epochs}  train loss {loss:.4f}  train {metric} {score:.4f}"
        if len(val_set):
            loss, score = run_epoch(model, val_loader, loss_fn, device)
            line += f"  val loss {loss:.4f}  val {metric} {score:.4f}"
        if rank == 0:
            print(line, flush=True)
            save_checkpoint(args.checkpoint, model, optimizer, epoch + 1)
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()
    return model


if __name__ == "__main__":
    main()
'''
