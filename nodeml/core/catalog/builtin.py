"""Built-in node types that are not torch.nn classes: Input/Output, merges and tensor reshapes."""

from __future__ import annotations

from . import labels
from .spec import CodeArgs, LayerSpec, ParamSpec, PortSpec, TensorInfo

DTYPES = ("float32", "float64", "float16", "bfloat16", "long", "int32", "bool")


def _add(a: CodeArgs) -> str:
    return " + ".join(a.inputs)


def _mul(a: CodeArgs) -> str:
    return " * ".join(a.inputs)


def _cat(a: CodeArgs) -> str:
    return f"torch.cat([{', '.join(a.inputs)}], dim={a.r('dim')})"


def _reshape(a: CodeArgs) -> str:
    dims = ", ".join(str(d) for d in a.values["shape"])
    return f"{a.x}.reshape({a.x}.size(0), {dims})"


def _squeeze(a: CodeArgs) -> str:
    return f"{a.x}.squeeze({a.r('dim')})"


def _unsqueeze(a: CodeArgs) -> str:
    return f"{a.x}.unsqueeze({a.r('dim')})"


def _permute(a: CodeArgs) -> str:
    return f"{a.x}.permute({', '.join(str(d) for d in a.values['dims'])})"


def _transpose(a: CodeArgs) -> str:
    return f"{a.x}.transpose({a.r('dim0')}, {a.r('dim1')})"


def _select(a: CodeArgs) -> str:
    dim, index = a.values["dim"], a.values["index"]
    if 0 <= dim <= 3:  # x[:, -1] reads better than x.select(1, -1)
        return f"{a.x}[{':, ' * dim}{index}]"
    return f"{a.x}.select({dim}, {index})"


_DIM = "a tensor dim counted with the batch dim (0 is the batch)"

SPECS = [
    LayerSpec(
        "Input",
        "io",
        "A model input: one sample's shape (without the batch dim) and its dtype.",
        params=(
            ParamSpec("shape", "ints", suggested=[1, 28, 28], minimum=1, doc="shape without batch"),
            ParamSpec("dtype", "str", default="float32", choices=DTYPES, doc="long for token ids"),
        ),
        inputs=(),
        input_dtype="any",
        direct_outputs=lambda values, inputs: [TensorInfo(tuple(values["shape"]), values["dtype"])],
        label=lambda v: "" if v("dtype") in (None, "float32") else str(v("dtype")),
    ),
    LayerSpec(
        "Output",
        "io",
        "A model output: forward returns it (several Output nodes return a tuple).",
        outputs=(),
        input_dtype="any",
        direct_outputs=lambda values, inputs: list(inputs),
    ),
    LayerSpec(
        "Add",
        "merge",
        "Element-wise sum of its inputs (a residual connection).",
        inputs=(PortSpec("input"),),
        expr=_add,
        variadic=True,
        min_inputs=2,
        input_dtype="any",
    ),
    LayerSpec(
        "Multiply",
        "merge",
        "Element-wise product of its inputs (gating).",
        inputs=(PortSpec("input"),),
        expr=_mul,
        variadic=True,
        min_inputs=2,
        input_dtype="any",
    ),
    LayerSpec(
        "Concat",
        "merge",
        "Concatenates its inputs along a dim (1 = channels / features).",
        params=(ParamSpec("dim", "int", default=1, doc=_DIM),),
        inputs=(PortSpec("input"),),
        expr=_cat,
        label=labels.param("dim"),
        variadic=True,
        min_inputs=2,
        input_dtype="any",
    ),
    LayerSpec(
        "Reshape",
        "shape",
        "Reshapes each sample to a new shape (batch dim kept); -1 infers one dim.",
        params=(ParamSpec("shape", "ints", suggested=[-1], minimum=-1),),
        expr=_reshape,
        label=lambda v: f"→{labels.listed(v('shape'))}",
        input_dtype="any",
    ),
    LayerSpec(
        "Squeeze",
        "shape",
        "Removes a dim of size 1.",
        params=(ParamSpec("dim", "int", suggested=1, doc=_DIM),),
        expr=_squeeze,
        label=labels.param("dim"),
        input_dtype="any",
    ),
    LayerSpec(
        "Unsqueeze",
        "shape",
        "Inserts a dim of size 1.",
        params=(ParamSpec("dim", "int", suggested=1, doc=_DIM),),
        expr=_unsqueeze,
        label=labels.param("dim"),
        input_dtype="any",
    ),
    LayerSpec(
        "Permute",
        "shape",
        "Reorders the dims (include 0, the batch dim, e.g. [0, 2, 1]).",
        params=(ParamSpec("dims", "ints", suggested=[0, 2, 1], minimum=-8, maximum=8),),
        expr=_permute,
        label=lambda v: labels.listed(v("dims")),
        input_dtype="any",
    ),
    LayerSpec(
        "Transpose",
        "shape",
        "Swaps two dims.",
        params=(
            ParamSpec("dim0", "int", default=1, doc=_DIM),
            ParamSpec("dim1", "int", default=2, doc=_DIM),
        ),
        expr=_transpose,
        label=lambda v: f"{v('dim0')} ↔ {v('dim1')}",
        input_dtype="any",
    ),
    LayerSpec(
        "Select",
        "shape",
        "Picks one index along a dim, dropping it (e.g. the last time step: dim 1, index -1).",
        params=(
            ParamSpec("dim", "int", default=1, doc=_DIM),
            ParamSpec("index", "int", default=-1),
        ),
        expr=_select,
        label=lambda v: f"dim {v('dim')}, index {v('index')}",
        input_dtype="any",
    ),
]
