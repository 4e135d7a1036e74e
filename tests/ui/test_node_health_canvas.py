"""Node health on the canvas (View → Node Health): tints that follow the health rules in both
themes, the legend, sparklines, throttled repaints, and the plain look back when it is off."""

from __future__ import annotations

import pytest
from node_stats_samples import VERDICTS, lenet_samples
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyleOptionGraphicsItem

from nodeml.ui import theme
from nodeml.ui.editor.health_paint import RING
from nodeml.ui.node_stats.looks import health_look


@pytest.fixture
def fed(lenet_window):
    """The LeNet window with three samples fed, as the session will feed them."""
    for event in lenet_samples():
        lenet_window.node_stats.feed(event)
    return lenet_window


def render(item) -> QImage:
    """The item as the canvas paints it, alone, on a transparent image."""
    rect = item.boundingRect()
    image = QImage(int(rect.width()) + 2, int(rect.height()) + 2, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.translate(-rect.left() + 1, -rect.top() + 1)
    item.paint(painter, _option(item), None)
    painter.end()
    return image


def _option(item) -> QStyleOptionGraphicsItem:
    option = QStyleOptionGraphicsItem()  # not selected, drawn at 100 %
    option.exposedRect = item.boundingRect()
    return option


def ring_pixel(item) -> QColor:
    """The colour at the middle of the top of the health ring."""
    rect = item.boundingRect()
    body = item.body_rect(item.look)
    x = body.center().x() - rect.left() + 1
    y = body.top() - RING - rect.top() + 1
    return render(item).pixelColor(int(x), int(y))


def turn_on(window, qtbot) -> None:
    window.node_stats_ui.toggle_action.setChecked(True)
    overlay = window.node_stats_ui.overlay
    qtbot.waitUntil(
        lambda: all(i.health is not None for i in overlay.view.editor_scene.nodes.values())
    )


@pytest.mark.parametrize("name", ["dark", "light"])
def test_tints_follow_the_health_rules_in_both_themes(fed, qtbot, qapp, name):
    window = fed
    window.set_theme(name)
    t = theme.current_theme()
    turn_on(window, qtbot)
    nodes = window.view.editor_scene.nodes
    for node, (role, _) in VERDICTS.items():
        assert nodes[node].health.role == role, node
        want, got = QColor(getattr(t, role)), ring_pixel(nodes[node])
        assert (
            abs(got.red() - want.red())
            + abs(got.green() - want.green())
            + abs(got.blue() - want.blue())
            < 60
        ), (node, got.name(), want.name())
    # each verdict's colour stands apart from the card it is drawn round, in this theme
    for role in ("health_healthy", "health_vanishing", "health_exploding", "health_dead"):
        assert _contrast(getattr(t, role), t.canvas) > 2.0, role
    window.set_theme("dark")


def _contrast(a: QColor, b: QColor) -> float:
    def lum(c: QColor) -> float:
        def ch(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF())

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_sparklines_draw_the_gradient_norm_or_the_zero_fraction(fed, qtbot):
    store = fed.node_stats
    fc1, relu1, conv1 = (health_look(store, n) for n in ("fc1", "relu1", "conv1"))
    assert fc1.points == (0.0, 0.5, 1.0)  # 1e-3, 1e-1, 1e1 on a log scale
    assert fc1.label == "exploding"  # the warning in a word, where a value would be
    assert relu1.points == (0.97, 0.97, 0.97) and relu1.label == "dead units"
    assert health_look(store, "fc2").label == "grad 1.0e-01"
    assert health_look(store, "pool1").label == "30% zero"
    assert conv1.label == "vanishing"
    assert health_look(store, "logits").dashed and not health_look(store, "logits").points


def test_the_legend_says_what_each_colour_means_while_health_is_shown(fed, qtbot):
    ui = fed.node_stats_ui
    legend = ui.overlay.legend
    assert not legend.isVisible()
    turn_on(fed, qtbot)
    assert legend.isVisible()
    lines = legend.lines()
    for words in (
        "healthy",
        "vanishing gradient: norm below 1e-07",
        "exploding gradient: norm grew 1,000-fold",
        "dead units: over 90% of outputs",
        "update ratio far from ~1e-3",
        "no statistics for this node",
        "Sparkline: gradient norm (log scale)",
        "This training run · step 21",
    ):
        assert any(words in line for line in lines), words
    viewport = fed.view.viewport().geometry()
    assert viewport.contains(legend.geometry())  # whole, in a corner of the canvas
    fed.view.horizontalScrollBar().setValue(fed.view.horizontalScrollBar().value() + 300)
    assert viewport.contains(legend.geometry())  # the canvas scrolls under it, it stays
    ui.toggle_action.setChecked(False)
    assert not legend.isVisible()


def test_off_gives_back_exactly_the_plain_look(lenet_window, qtbot):
    window = lenet_window
    nodes = window.view.editor_scene.nodes
    before = {n: (i.look, i.boundingRect(), render(i)) for n, i in nodes.items()}
    for event in lenet_samples():
        window.node_stats.feed(event)
    assert {n: render(i) for n, i in nodes.items()} == {n: b[2] for n, b in before.items()}
    turn_on(window, qtbot)
    assert render(nodes["fc1"]) != before["fc1"][2]
    window.node_stats_ui.toggle_action.setChecked(False)
    assert all(i.health is None for i in nodes.values())
    for n, item in nodes.items():
        look, rect, image = before[n]
        assert item.look == look and item.boundingRect() == rect
        assert render(item) == image, n
    window.node_stats.feed(lenet_samples(4)[-1])  # fed while off: the canvas does not change
    assert not window.node_stats_ui.overlay._timer.isActive()
    assert all(i.health is None for i in nodes.values())


def test_a_burst_of_samples_repaints_the_nodes_once(lenet_window, qtbot):
    window = lenet_window
    overlay = window.node_stats_ui.overlay
    turn_on(window, qtbot)
    before = overlay.applied
    for event in lenet_samples(30):  # faster than the eye: one repaint takes them all
        window.node_stats.feed(event)
    assert overlay.applied == before and window.view.editor_scene.nodes["fc2"].health.label == ""
    qtbot.waitUntil(lambda: overlay.applied == before + 1)
    assert window.view.editor_scene.nodes["fc2"].health.label == "grad 1.0e-01"
    assert not overlay._timer.isActive()  # nothing more is pending


def test_the_toggle_is_in_the_view_menu_with_a_shortcut_and_on_the_canvas(lenet_window, qtbot):
    ui = lenet_window.node_stats_ui
    assert ui.toggle_action.shortcut().toString() == "Ctrl+H"
    assert ui.menu.title() == "Node &Health"
    assert ui.menu in [a.menu() for a in lenet_window.view_menu.actions() if a.menu()]
    assert ui.toggle_action in ui.menu.actions() and ui.load_action in ui.menu.actions()
    button = ui.overlay.button
    assert button.isVisible() and lenet_window.view.viewport().geometry().contains(
        button.geometry()
    )
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert ui.toggle_action.isChecked()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not ui.toggle_action.isChecked()


def test_opening_another_graph_forgets_the_statistics(fed, tmp_path):
    assert not fed.node_stats.empty
    fed.document.new()
    assert fed.node_stats.empty


def test_a_sparkline_tab_is_drawn_below_the_node_and_inside_its_bounds(fed, qtbot):
    turn_on(fed, qtbot)
    item = fed.view.editor_scene.nodes["fc2"]
    body = item.body_rect(item.look)
    bounds = item.boundingRect()
    assert bounds.contains(QRectF(body).adjusted(-RING - 1, -RING - 1, RING + 1, RING + 20))
    image = render(item)
    below = QPointF(body.center().x() - bounds.left() + 1, body.bottom() + RING + 12 - bounds.top())
    assert image.pixelColor(below.toPoint()).alpha() > 0  # the tab is painted there
