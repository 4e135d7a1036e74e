"""A standalone train.py for a graph: the generated model class plus plain PyTorch train/evaluate
loops that run in one process or under torchrun with DistributedDataParallel."""

from __future__ import annotations

import shlex

from ..catalog.spec import literal
from ..compile import generate_source
from ..compile.codegen import _vocab_after, display_name
from ..compile.model_interface import ModelInterface
from ..graph import Graph
from ..shapes import Inference
from ..training.config import TrainingConfig
from ..training.losses import LOSS_TASK
from .report import ExportError

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
_DEFAULT_LOSS = {
    "classification": "cross_entropy",
    "binary": "bce_with_logits",
    "regression": "mse",
}
_TORCH_DTYPES = {
    "float32": "torch.float32",
    "float64": "torch.float64",
    "long": "torch.long",
    "int32": "torch.int32",
}


def training_script(graph: Graph, style: str = "modules", filename: str = "train.py") -> str:
    """The script's source. Settings come from the graph's ``training`` section (validated by
    TrainingConfig) and become the argparse defaults; every value is written with ``repr``.
    ``filename`` is what the docstring's run commands call the file (its name as written)."""
    config = TrainingConfig.from_dict(graph.extras.get("training"))
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
    sample = infos[gen.inputs[0]].shape
    out = infos[gen.outputs[0]].shape
    if sample.dtype not in _TORCH_DTYPES:
        raise ExportError(f"the training script cannot make synthetic {sample.dtype} inputs")
    task = config.task or (LOSS_TASK[config.loss] if config.loss else None)
    if task is None:  # the dataset decides in nodeml; here the output's width does
        task = "regression" if out.shape[-1:] == (1,) else "classification"
    loss = config.loss or _DEFAULT_LOSS[task]
    loss_code = _LOSSES[loss].format(
        huber_delta=literal(config.huber_delta), label_smoothing=literal(config.label_smoothing)
    )
    title = display_name(graph.name)
    uses_f = "import torch.nn.functional as F\n" if gen.uses_functional else ""
    replacements = {
        "@TITLE@": title,
        "@FUNCTIONAL@": uses_f,
        "@TORCHVISION@": "import torchvision\n" if gen.uses_torchvision else "",
        "@MODEL@": "\n".join(gen.lines),
        "@CLASS@": gen.class_name,
        "@INPUT_SHAPE@": literal(list(sample.shape)),
        "@INPUT_DTYPE@": _TORCH_DTYPES[sample.dtype],
        "@VOCAB@": literal(_vocab_after(graph, gen.inputs[0])),
        "@OUTPUT_SHAPE@": literal(list(out.shape)),
        "@TASK@": literal(task),
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
        "@USAGE@": _usage(filename),
        "@FIT@": _fit_code(gen.interface),
    }
    text = _TEMPLATE
    for token, value in replacements.items():
        text = text.replace(token, value)
    return text


def _usage(filename: str) -> str:
    """The docstring's run commands for a script saved as ``filename``, comments aligned."""
    # as a shell would need it, then escaped for the docstring it sits in
    name = shlex.quote(filename).replace("\\", "\\\\").replace('"', '\\"')
    lines = [
        (f"python {name}", "one process (GPU when there is one)"),
        (f"torchrun --nproc_per_node=N {name}", "N processes, DistributedDataParallel"),
        (f"python {name} --data data.pt", 'your data: torch.save({"x": inputs, "y": targets})'),
        (f"python {name} --resume", "carry on from --checkpoint"),
    ]
    width = max(len(command) for command, _ in lines) + 2
    return "\n".join(f"    {command:<{width}}# {why}" for command, why in lines)


def _fit_code(interface: ModelInterface) -> str:
    """Statements of ``main`` that fit what nodeml's Trainer fits at a fresh start: the input
    standardisation (on this script's training split) and the class names (from --data)."""
    lines = []
    s = interface.standardization
    if s is not None:
        lines += [
            "    if not args.resume:  # the input's mean and std, as nodeml fits them",
            f"        fit_standardization(model.{s.mean}, model.{s.std}, train_set)",
        ]
    if interface.classes is not None:
        lines += [
            "    if not args.resume and classes:",
            f"        model.{interface.classes} = classes",
        ]
    return "\n".join(lines) + "\n" if lines else ""


_TEMPLATE = '''"""@TITLE@: a training script exported from the nodeml graph "@TITLE@".

Plain PyTorch; runs without nodeml.
@USAGE@
Without --data it trains on random samples shaped like the model's input, to check the setup.
"""

import argparse
import os

import torch
import torch.distributed as dist
@FUNCTIONAL@from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, TensorDataset, random_split
from torch.utils.data.distributed import DistributedSampler
@TORCHVISION@

@MODEL@


INPUT_SHAPE = @INPUT_SHAPE@  # one sample, without the batch dim
INPUT_DTYPE = @INPUT_DTYPE@
VOCAB = @VOCAB@  # synthetic token ids stay below this
OUTPUT_SHAPE = @OUTPUT_SHAPE@
TASK = @TASK@
BETAS = @BETAS@
EPS = @EPS@
ALPHA = @ALPHA@


def parse_args(argv=None):
    p = argparse.ArgumentParser(description="Train @CLASS@ (exported from nodeml).")
    p.add_argument("--epochs", type=int, default=@EPOCHS@)
    p.add_argument("--batch-size", type=int, default=@BATCH_SIZE@, help="per process")
    p.add_argument("--lr", type=float, default=@LR@)
    p.add_argument("--optimizer", choices=("sgd", "adam", "adamw", "rmsprop", "adagrad"), default=@OPTIMIZER@)
    p.add_argument("--momentum", type=float, default=@MOMENTUM@)
    p.add_argument("--nesterov", action=argparse.BooleanOptionalAction, default=@NESTEROV@)
    p.add_argument("--weight-decay", type=float, default=@WEIGHT_DECAY@)
    p.add_argument("--grad-clip", type=float, default=@GRAD_CLIP@, help="max gradient norm")
    p.add_argument("--val-split", type=float, default=@VAL_SPLIT@)
    p.add_argument("--seed", type=int, default=@SEED@)
    p.add_argument("--data", help='a torch.save({"x": inputs, "y": targets}) file')
    p.add_argument("--samples", type=int, default=512, help="synthetic samples when there is no --data")
    p.add_argument("--checkpoint", default="checkpoint.pt", help="saved after every epoch")
    p.add_argument("--resume", action="store_true", help="start from --checkpoint")
    p.add_argument("--device", default="auto", help="auto, cpu, cuda, cuda:1 ...")
    p.add_argument("--num-workers", type=int, default=0)
    return p.parse_args(argv)


def setup(args):
    """(rank, world size, device); under torchrun this joins the process group."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world > 1:
        backend = "nccl" if torch.cuda.is_available() else "gloo"
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


def synthetic_data(n, seed):
    """Random inputs and targets of the right shapes and types (the same on every process)."""
    g = torch.Generator().manual_seed(seed)
    if INPUT_DTYPE in (torch.long, torch.int32):
        x = torch.randint(0, VOCAB, (n, *INPUT_SHAPE), generator=g, dtype=INPUT_DTYPE)
    else:
        x = torch.randn(n, *INPUT_SHAPE, generator=g, dtype=INPUT_DTYPE)
    if TASK == "classification":
        y = torch.randint(0, OUTPUT_SHAPE[0], (n, *OUTPUT_SHAPE[1:]), generator=g)
    elif TASK == "binary":
        y = torch.randint(0, 2, (n, *OUTPUT_SHAPE), generator=g).float()
    else:
        y = torch.randn(n, *OUTPUT_SHAPE, generator=g)
    return TensorDataset(x, y)


def load_data(args):
    """(training split, validation split, class names or [])."""
    classes = []
    if args.data is None:
        data = synthetic_data(args.samples, args.seed)
    else:
        saved = torch.load(args.data, map_location="cpu", weights_only=True)
        data = TensorDataset(saved["x"], saved["y"])
        classes = list(saved.get("classes", []))
    n_val = int(round(len(data) * args.val_split))
    split = torch.Generator().manual_seed(args.seed)
    train_set, val_set = random_split(data, [len(data) - n_val, n_val], generator=split)
    return train_set, val_set, classes


@torch.no_grad()
def fit_standardization(mean, std, train_set):
    """Mean and std of the training inputs into the model's buffers ``mean`` and ``std``: per
    feature (tables) or per channel (images), over every dim where the buffer has size 1."""
    x = train_set.dataset.tensors[0][train_set.indices].double()
    dims = [0] + [d + 1 for d, size in enumerate(mean.shape) if size == 1]
    m = x.mean(dim=dims, keepdim=True)[0]
    s = x.std(dim=dims, keepdim=True)[0]
    s = torch.where(s > 1e-12 * m.abs().clamp_min(1.0), s, torch.ones_like(s))  # constant: 1
    mean.copy_(m)
    std.copy_(s)


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


def train(model, loader, loss_fn, optimizer, device, grad_clip=None):
    """One epoch; returns the mean loss over this process's batches."""
    model.train()
    total, count = 0.0, 0
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        if grad_clip is not None:
            nn.utils.clip_grad_norm_(model.parameters(), grad_clip)
        optimizer.step()
        total += loss.item() * len(x)
        count += len(x)
    return total / max(count, 1)


@torch.no_grad()
def evaluate(model, loader, loss_fn, device):
    """(mean loss, accuracy or None) over every process's share of the data."""
    model.eval()
    sums = torch.zeros(3, dtype=torch.float64, device=device)  # loss * n, correct, n
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        out = model(x)
        sums[0] += loss_fn(out, y).item() * len(x)
        if TASK == "classification":
            sums[1] += (out.argmax(1) == y).sum().item()
        elif TASK == "binary":
            sums[1] += ((out > 0).float() == y).sum().item() / max(y[0].numel(), 1)
        sums[2] += len(x)
    if dist.is_initialized():
        dist.all_reduce(sums)
    n = max(sums[2].item(), 1)
    accuracy = sums[1].item() / n if TASK != "regression" else None
    return sums[0].item() / n, accuracy


def save_checkpoint(path, model, optimizer, epoch):
    """Written whole or not at all: a temp file, then an atomic rename."""
    tmp = f"{path}.tmp"
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, tmp)
    os.replace(tmp, path)


def main(argv=None):
    args = parse_args(argv)
    rank, world, device = setup(args)
    torch.manual_seed(args.seed)
    model = @CLASS@().to(device)
    optimizer = make_optimizer(args, [p for p in model.parameters() if p.requires_grad])
    start = 0
    if args.resume:
        state = torch.load(args.checkpoint, map_location=device, weights_only=True)
        model.load_state_dict(state["model"])
        if state.get("optimizer"):
            optimizer.load_state_dict(state["optimizer"])
        start = int(state.get("epoch", 0))
    train_set, val_set, classes = load_data(args)
@FIT@    net = DistributedDataParallel(model) if world > 1 else model
    loss_fn = @LOSS@
    train_sampler = DistributedSampler(train_set, seed=args.seed) if world > 1 else None
    val_sampler = DistributedSampler(val_set, shuffle=False) if world > 1 else None
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=train_sampler is None,
                              sampler=train_sampler, num_workers=args.num_workers)
    val_loader = DataLoader(val_set, batch_size=args.batch_size, sampler=val_sampler,
                            num_workers=args.num_workers)
    for epoch in range(start, args.epochs):
        if train_sampler is not None:
            train_sampler.set_epoch(epoch)
        train_loss = train(net, train_loader, loss_fn, optimizer, device, args.grad_clip)
        line = f"epoch {epoch + 1}/{args.epochs}  train loss {train_loss:.4f}"
        if len(val_set):
            val_loss, accuracy = evaluate(net, val_loader, loss_fn, device)
            line += f"  val loss {val_loss:.4f}"
            if accuracy is not None:
                line += f"  val accuracy {accuracy:.3f}"
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
