"""Turn a graph into a live nn.Module or a standalone .py file -- from the same generated source."""

from __future__ import annotations

import itertools
import linecache
from dataclasses import dataclass

from torch import nn

from ..graph import Graph
from ..pretrained import ensure_pretrained
from ..shapes import Inference
from .codegen import (
    check_compilable,
    example_input_code,
    generate_class,
    module_header,
    render,
)
from .formatting import WIDTH
from .model_interface import plan_interface
from .plan import GeneratedModule, display_name

_counter = itertools.count(1)
# names the __main__ block uses; an Input id equal to one gets a trailing underscore there
_MAIN_NAMES = frozenset({"model", "output", "outputs", "torch", "nn", "F", "print", "tuple"})


@dataclass
class CompileResult:
    """The generated module source and the class it defines."""

    source: str
    filename: str
    model_class: type[nn.Module]
    generated: GeneratedModule
    first_class_line: int  # 1-based line of `class ...` in source

    def node_at_line(self, lineno: int) -> str | None:
        """The node whose generated line is ``lineno`` of ``source`` (for tracebacks)."""
        return self.generated.node_lines.get(lineno - self.first_class_line + 1)


def generate_source(
    graph: Graph,
    style: str = "modules",
    inference: Inference | None = None,
    sequential: bool = False,
) -> tuple[str, GeneratedModule, int]:
    """The standalone module text: docstring, imports, the class, and a __main__ smoke test;
    ``sequential`` writes a graph that is one straight chain as an nn.Sequential subclass."""
    own = inference is None
    inference = inference or Inference(graph)
    try:
        infos = check_compilable(graph, inference)
        interface = plan_interface(graph, inference)  # standardisation, class names
        gen = generate_class(graph, infos, style, sequential=sequential, interface=interface)
        lines = [
            *_module_docstring(display_name(graph.name), gen),
            "",
            *module_header(gen.imports),
            "",
            "",
        ]
        first = len(lines) + 1
        lines.extend(gen.lines)
        examples = example_input_code(graph, infos)
        names = [n if n not in _MAIN_NAMES else f"{n}_" for n in gen.inputs]
        call_args = ", ".join(names)
        lines += ["", "", 'if __name__ == "__main__":', f"    model = {gen.class_name}()"]
        lines += [f"    {name} = {code}" for name, code in zip(names, examples, strict=True)]
        if len(gen.outputs) == 1:
            lines += [f"    output = model({call_args})", "    print(tuple(output.shape))"]
        else:
            lines += [
                f"    outputs = model({call_args})",
                "    for output in outputs:",
                "        print(tuple(output.shape))",
            ]
        return render(lines), gen, first
    finally:
        if own:
            inference.close()


def _module_docstring(title: str, gen: GeneratedModule) -> list[str]:
    first = f'"""{title}: a PyTorch model exported from the nodeml graph "{title}".'
    if len(first) > WIDTH:
        first = f'"""{title}: a PyTorch model exported from nodeml.'
    if len(first) > WIDTH:
        first = f'"""{title}.'
    lines = [
        first,
        "",
        "Plain PyTorch; runs without nodeml. Weights trained in nodeml load with",
        f"    model = {gen.class_name}()",
        '    model.load_state_dict(torch.load("checkpoint.pt", weights_only=True)["model"])',
    ]
    interface = gen.interface
    if interface.standardization is not None:
        st = interface.standardization
        lines += [
            f"It takes raw inputs: forward standardises {st.input} with the mean and std of the",
            f"training split (the buffers {st.mean} and {st.std}, loaded with the weights).",
        ]
    if interface.classes is not None:
        lines.append(f"model.{interface.classes} holds the class names by output index.")
    return [*lines, '"""']


def export_code(
    graph: Graph,
    style: str = "modules",
    inference: Inference | None = None,
    sequential: bool = False,
) -> str:
    """Standalone PyTorch source for the graph (imports only torch); ``sequential`` writes a
    straight chain as ``nn.Sequential(OrderedDict(...))`` with the same state_dict keys."""
    return generate_source(graph, style, inference, sequential)[0]


def compile_result(
    graph: Graph, style: str = "modules", inference: Inference | None = None
) -> CompileResult:
    """Generate the source once, run it, and return the class with its line -> node map."""
    source, gen, first = generate_source(graph, style, inference)
    filename = f"<nodeml:{gen.class_name}:{next(_counter)}>"
    # registered so tracebacks and inspect.getsource show the generated lines
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    namespace: dict[str, object] = {"__name__": f"nodeml.generated.{gen.class_name}"}
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - our own generated source
    cls = namespace[gen.class_name]
    result = CompileResult(source, filename, cls, gen, first)

    def node_at_line(file: str, lineno: int) -> str | None:
        return result.node_at_line(lineno) if file == filename else None

    cls.nodeml_node_at_line = staticmethod(node_at_line)
    cls.nodeml_source = source
    cls.nodeml_interface = gen.interface  # inputs, outputs, standardisation, class names
    return result


def compile_graph(graph: Graph, style: str = "modules") -> nn.Module:
    """A fresh instance of the graph's nn.Module (raises InvalidGraphError listing problems, or
    PretrainedWeightsError when a backbone's weights are neither cached nor downloadable)."""
    result = compile_result(graph, style)
    ensure_pretrained(graph)
    return result.model_class()
