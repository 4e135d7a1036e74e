"""Graph -> generated Python source -> nn.Module class or exported file."""

from .codegen import STYLES, class_name
from .program import CompileResult, compile_graph, compile_result, export_code, generate_source

__all__ = [
    "STYLES",
    "CompileResult",
    "class_name",
    "compile_graph",
    "compile_result",
    "export_code",
    "generate_source",
]
