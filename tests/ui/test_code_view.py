"""The Code panel shows the live generated module; its text runs as a real nn.Module."""

from __future__ import annotations

import torch
from app_fixtures import LENET
from PySide6.QtGui import QGuiApplication
from torch import nn

from nodeml import export_code, load_graph
from nodeml.core.graph import Edge


def _module_from(text: str) -> nn.Module:
    namespace: dict = {"__name__": "shown_code"}
    exec(compile(text, "<code panel>", "exec"), namespace)  # noqa: S102 - the app's own output
    classes = [v for v in namespace.values() if isinstance(v, type) and issubclass(v, nn.Module)]
    assert len(classes) == 1
    return classes[0]()


def test_code_panel_text_compiles_to_a_working_module(lenet_window):
    code = lenet_window.code
    text = code.text.toPlainText()
    assert text == export_code(load_graph(LENET))
    model = _module_from(text)
    assert model(torch.zeros(2, 1, 32, 32)).shape == (2, 10)
    assert code.text.isReadOnly()


def test_code_follows_edits_and_the_style_toggle(qtbot, lenet_window):
    w, code = lenet_window, lenet_window.code
    w.document.set_param("fc3", "out_features", 4)
    qtbot.waitUntil(lambda: "nn.Linear(84, 4)" in code.text.toPlainText())
    code.style_box.setCurrentIndex(code.style_box.findData("functional"))
    assert "F.relu(" in code.text.toPlainText()
    assert _module_from(code.text.toPlainText())(torch.zeros(1, 1, 32, 32)).shape == (1, 4)


def test_problems_grey_out_the_last_good_code_with_a_note(qtbot, lenet_window):
    w, code = lenet_window, lenet_window.code
    good = code.text.toPlainText()
    w.document.disconnect(Edge("pool2", "flatten"))
    qtbot.waitUntil(lambda: code.stale)
    assert code.text.toPlainText() == good
    assert "1 problem" in code.note.text() and "last working code" in code.note.text()
    w.undo_action.trigger()
    qtbot.waitUntil(lambda: not code.stale)
    assert code.note.text() == ""


def test_copy_button_puts_the_code_on_the_clipboard(qtbot, lenet_window):
    code = lenet_window.code
    code.copy_button.click()
    assert QGuiApplication.clipboard().text() == code.text.toPlainText()


def test_highlighter_colours_python_keywords(qtbot, lenet_window):
    code = lenet_window.code

    def class_line_formats():
        doc = code.text.document()
        return doc.findBlock(code.text.toPlainText().index("\nclass ") + 1).layout().formats()

    # a refresh gives the highlighter its document again, and Qt colours it on the next turn of
    # the event loop: read the colours once they are there (a busy machine showed none yet)
    qtbot.waitUntil(lambda: bool(class_line_formats()))
    assert class_line_formats()[0].start == 0  # `class` is coloured
