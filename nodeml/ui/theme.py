"""The app's look: dark and light themes (palette, stylesheet, fonts) and the category colours."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from ..core.resources import resource_path

if TYPE_CHECKING:  # the app applies its theme to the start-up splash before torch is imported
    from ..core.catalog import LayerSpec

# One hue per catalog category; the canvas, palette and summary all read them from here.
CATEGORY_COLORS: dict[str, QColor] = {
    "io": QColor("#f59e0b"),
    "linear": QColor("#3b82f6"),
    "conv": QColor("#8b5cf6"),
    "norm": QColor("#14b8a6"),
    "recurrent": QColor("#ec4899"),
    "attention": QColor("#f97316"),
    "activation": QColor("#22c55e"),
    "pooling": QColor("#06b6d4"),
    "shape": QColor("#94a3b8"),
    "merge": QColor("#84cc16"),
    "dropout": QColor("#a8a29e"),
    "backbone": QColor("#6366f1"),
    "block": QColor("#d946ef"),  # block uses (model in model): not a catalog category
}
UNKNOWN_COLOR = QColor("#ef4444")

CATEGORY_LABELS: dict[str, str] = {
    "io": "Input / Output",
    "linear": "Linear & Embedding",
    "conv": "Convolution",
    "norm": "Normalization",
    "recurrent": "Recurrent",
    "attention": "Attention",
    "activation": "Activation",
    "pooling": "Pooling & Resize",
    "shape": "Shape",
    "merge": "Merge",
    "dropout": "Dropout",
    "backbone": "Pretrained backbones",
    "block": "Blocks",
}


@dataclass(frozen=True)
class Theme:
    """Every colour the app paints with, named for its role."""

    name: str
    window: QColor
    panel: QColor
    base: QColor  # text fields, lists
    canvas: QColor
    grid_minor: QColor
    grid_major: QColor
    card: QColor  # node body
    card_header: QColor
    text: QColor
    muted: QColor
    border: QColor
    accent: QColor
    selection: QColor
    error: QColor
    warning: QColor  # said, but it compiles (an unused node)
    wire: QColor
    shadow: QColor
    dark: bool
    # node health while training (View → Node Health): one hue per verdict, strong enough to
    # read as a ring and a wash on the node cards of this theme
    health_healthy: QColor
    health_vanishing: QColor
    health_exploding: QColor
    health_dead: QColor
    health_update: QColor
    health_none: QColor


DARK = Theme(
    name="dark",
    window=QColor("#1b1d21"),
    panel=QColor("#23262b"),
    base=QColor("#16181b"),
    canvas=QColor("#17191c"),
    grid_minor=QColor("#1f2226"),
    grid_major=QColor("#272b30"),
    card=QColor("#2a2d33"),
    card_header=QColor("#30343b"),
    text=QColor("#e7e9ec"),
    muted=QColor("#9aa1ab"),
    border=QColor("#3a3f47"),
    accent=QColor("#4f8cff"),
    selection=QColor("#ffffff"),
    error=QColor("#ff5c5c"),
    warning=QColor("#e5a50a"),
    wire=QColor("#7d8592"),
    shadow=QColor(0, 0, 0, 110),
    dark=True,
    health_healthy=QColor("#34d399"),
    health_vanishing=QColor("#60a5fa"),
    health_exploding=QColor("#ff6b4a"),
    health_dead=QColor("#c084fc"),
    health_update=QColor("#fbbf24"),
    health_none=QColor("#6b7280"),
)

LIGHT = Theme(
    name="light",
    window=QColor("#f3f4f6"),
    panel=QColor("#ffffff"),
    base=QColor("#ffffff"),
    canvas=QColor("#f7f8fa"),
    grid_minor=QColor("#eceef2"),
    grid_major=QColor("#dfe2e7"),
    card=QColor("#ffffff"),
    card_header=QColor("#f3f4f6"),
    text=QColor("#1f2328"),
    muted=QColor("#5f6873"),
    border=QColor("#cdd2d9"),
    accent=QColor("#2563eb"),
    selection=QColor("#111827"),
    error=QColor("#dc2626"),
    warning=QColor("#b26a00"),
    wire=QColor("#8a93a0"),
    shadow=QColor(15, 23, 42, 40),
    dark=False,
    health_healthy=QColor("#059669"),
    health_vanishing=QColor("#2563eb"),
    health_exploding=QColor("#e03e1a"),
    health_dead=QColor("#7c3aed"),
    health_update=QColor("#c27803"),
    health_none=QColor("#9ca3af"),
)

THEMES = {"dark": DARK, "light": LIGHT}
THEME_LABELS = {
    "dark": QT_TRANSLATE_NOOP("Theme", "Dark"),
    "light": QT_TRANSLATE_NOOP("Theme", "Light"),
}


def theme_label(name: str) -> str:
    """A theme's name in the View → Theme menu, in the user's language."""
    return QCoreApplication.translate("Theme", THEME_LABELS[name])  # i18n: NOOPs above


_current = DARK


def current_theme() -> Theme:
    return _current


def category_color(category: str | None) -> QColor:
    return QColor(CATEGORY_COLORS.get(category or "", UNKNOWN_COLOR))


def mix_colors(a: QColor, b: QColor, amount: float) -> QColor:
    """``amount`` of ``a`` over ``b`` (opaque)."""
    return QColor.fromRgbF(
        a.redF() * amount + b.redF() * (1 - amount),
        a.greenF() * amount + b.greenF() * (1 - amount),
        a.blueF() * amount + b.blueF() * (1 - amount),
    )


def parametric_badge(spec: LayerSpec | None) -> str:
    """The mark of a layer with weights (``W``), shared by the palette and the canvas."""
    return "W" if spec is not None and spec.parametric else ""


def icon(name: str) -> QIcon:
    """An icon from ``resources/icons`` by name: nodeml (the app), layout, fit, add_node,
    parametric, frozen. Empty when the file is missing (the palette says resources are missing)."""
    path = resource_path("icons", f"{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


def ui_font(point_size: float = 9.5, bold: bool = False) -> QFont:
    font = QFont(QApplication.font() if QApplication.instance() else QFont())
    font.setPointSizeF(point_size)
    font.setBold(bold)
    return font


def mono_font(point_size: float = 8.5) -> QFont:
    """Numbers and shapes: fixed-width so columns of digits line up."""
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setPointSizeF(point_size)
    return font


def _palette(t: Theme) -> QPalette:
    p = QPalette()
    roles = QPalette.ColorRole
    p.setColor(roles.Window, t.window)
    p.setColor(roles.WindowText, t.text)
    p.setColor(roles.Base, t.base)
    p.setColor(roles.AlternateBase, t.panel)
    p.setColor(roles.ToolTipBase, t.panel)
    p.setColor(roles.ToolTipText, t.text)
    p.setColor(roles.PlaceholderText, t.muted)
    p.setColor(roles.Text, t.text)
    p.setColor(roles.Button, t.panel)
    p.setColor(roles.ButtonText, t.text)
    p.setColor(roles.BrightText, t.error)
    p.setColor(roles.Highlight, t.accent)
    p.setColor(roles.HighlightedText, QColor("#ffffff"))
    p.setColor(roles.Link, t.accent)
    p.setColor(roles.Mid, t.border)
    p.setColor(roles.Dark, t.base)
    disabled = QPalette.ColorGroup.Disabled
    for role in (roles.Text, roles.WindowText, roles.ButtonText):
        p.setColor(disabled, role, t.muted)
    return p


def stylesheet(t: Theme) -> str:
    """Flat, rounded widgets in the theme's colours (Qt's default frames look dated)."""
    hover = t.card_header.name()
    return (
        f"""
QToolTip {{ background: {t.panel.name()}; color: {t.text.name()};
  border: 1px solid {t.border.name()}; border-radius: 4px; padding: 4px 6px; }}
QMainWindow::separator {{ background: {t.window.name()}; width: 4px; height: 4px; }}
QDockWidget {{ titlebar-close-icon: none; }}
QDockWidget::title {{ background: {t.window.name()}; padding: 6px 8px; text-align: left; }}
QLineEdit, QSpinBox, QDoubleSpinBox, QComboBox, QPlainTextEdit, QTextEdit, QListView,
QTreeView, QTableView {{
  background: {t.base.name()}; color: {t.text.name()}; border: 1px solid {t.border.name()};
  border-radius: 5px; selection-background-color: {t.accent.name()}; }}
QLineEdit, QSpinBox, QDoubleSpinBox, QComboBox {{ padding: 3px 6px; min-height: 18px; }}
QLineEdit:focus, QSpinBox:focus, QDoubleSpinBox:focus, QComboBox:focus {{
  border: 1px solid {t.accent.name()}; }}
QPushButton, QToolButton {{ background: {t.panel.name()}; color: {t.text.name()};
  border: 1px solid {t.border.name()}; border-radius: 5px; padding: 4px 10px; }}
QPushButton:hover, QToolButton:hover {{ background: {hover}; }}
QPushButton:pressed, QToolButton:pressed, QToolButton:checked {{
  background: {t.accent.name()}; color: #ffffff; }}
QToolBar {{ background: {t.window.name()}; border: none; spacing: 4px; padding: 3px; }}
QToolBar QToolButton {{ border: none; background: transparent; padding: 4px; }}
QToolBar QToolButton:hover {{ background: {hover}; }}
QMenuBar {{ background: {t.window.name()}; color: {t.text.name()}; }}
QMenuBar::item:selected {{ background: {hover}; border-radius: 4px; }}
QMenu {{ background: {t.panel.name()}; color: {t.text.name()}; border: 1px solid {t.border.name()};
  padding: 4px; }}
QMenu::item {{ padding: 5px 24px 5px 12px; border-radius: 4px; }}
QMenu::item:selected {{ background: {t.accent.name()}; color: #ffffff; }}
QMenu::separator {{ height: 1px; background: {t.border.name()}; margin: 4px 8px; }}
QHeaderView::section {{ background: {t.panel.name()}; color: {t.muted.name()}; border: none;
  border-bottom: 1px solid {t.border.name()}; padding: 4px 6px; }}
QTabBar::tab {{ background: transparent; color: {t.muted.name()}; padding: 6px 12px;
  border-bottom: 2px solid transparent; }}
QTabBar::tab:selected {{ color: {t.text.name()}; border-bottom: 2px solid {t.accent.name()}; }}
QTabWidget::pane {{ border: none; }}
QStatusBar {{ background: {t.window.name()}; color: {t.muted.name()}; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 0; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 0; }}
QScrollBar::handle {{ background: {t.border.name()}; border-radius: 4px; min-height: 24px;
  min-width: 24px; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
QFrame#QuickAdd {{ background: {t.panel.name()}; border: 1px solid {t.border.name()};
  border-radius: 8px; }}
QFrame#QuickAdd QListView {{ border: none; background: transparent; }}
QLineEdit[invalid="true"], QAbstractSpinBox[invalid="true"] {{ border: 1px solid {t.error.name()}; }}
"""
        + _roles(t)
        + _indicators(t)
    )


class TextRole(StrEnum):
    """What a label's text is, for its colour: set with set_role, painted by the theme."""

    MUTED = "muted"  # notes, counts, hints
    ERROR = "error"  # why something cannot be done
    WARNING = "warning"  # said, but it does not stop anything
    SECTION = "section"  # a small capitalised heading over a group of fields


def set_role(widget: QWidget, role: TextRole) -> QWidget:
    """Colour ``widget``'s text as ``role`` in the current theme and in any theme switched to
    later (a colour in the widget's own stylesheet would stay put); returns the widget."""
    widget.setProperty("role", role.value)
    widget.style().unpolish(widget)  # a property changed after styling takes effect on polish
    widget.style().polish(widget)
    return widget


def _roles(t: Theme) -> str:
    return f"""
*[role="muted"] {{ color: {t.muted.name()}; }}
*[role="error"] {{ color: {t.error.name()}; }}
*[role="warning"] {{ color: {t.warning.name()}; }}
*[role="section"] {{ color: {t.muted.name()}; font-size: 10px; font-weight: 600;
  letter-spacing: 1px; }}
"""


def _indicators(t: Theme) -> str:
    """Spin-box arrows and check boxes drawn in the theme's colours: Fusion's own are near
    black on the dark theme. Their marks are icons; without them Fusion's stay."""
    icons = {n: resource_path("icons", f"{n}.svg") for n in ("arrow_up", "arrow_down", "check")}
    if not all(p.exists() for p in icons.values()):
        return ""
    url = {n: p.as_posix() for n, p in icons.items()}
    return f"""
QAbstractSpinBox {{ padding-right: 20px; }}
QAbstractSpinBox::up-button, QAbstractSpinBox::down-button {{ subcontrol-origin: border;
  width: 18px; border: none; border-left: 1px solid {t.border.name()}; background: transparent; }}
QAbstractSpinBox::up-button {{ subcontrol-position: top right; }}
QAbstractSpinBox::down-button {{ subcontrol-position: bottom right; }}
QAbstractSpinBox::up-button:hover, QAbstractSpinBox::down-button:hover {{
  background: {t.card_header.name()}; }}
QAbstractSpinBox::up-arrow {{ image: url("{url["arrow_up"]}"); width: 10px; height: 10px; }}
QAbstractSpinBox::down-arrow {{ image: url("{url["arrow_down"]}"); width: 10px; height: 10px; }}
QAbstractSpinBox::up-arrow:disabled, QAbstractSpinBox::down-arrow:disabled,
QAbstractSpinBox::up-arrow:off, QAbstractSpinBox::down-arrow:off {{ image: none; }}
QCheckBox::indicator {{ width: 14px; height: 14px; border: 1px solid {t.muted.name()};
  border-radius: 3px; background: {t.base.name()}; }}
QCheckBox::indicator:hover {{ border-color: {t.accent.name()}; }}
QCheckBox::indicator:checked {{ background: {t.accent.name()}; border-color: {t.accent.name()};
  image: url("{url["check"]}"); }}
QCheckBox::indicator:disabled {{ border-color: {t.border.name()}; background: transparent; }}
QCheckBox::indicator:checked:disabled {{ background: {t.muted.name()}; }}
"""


def apply_theme(app: QApplication, name: str = "dark") -> Theme:
    """Switch the whole app to the ``dark`` or ``light`` theme; returns it."""
    global _current
    theme = THEMES[name]
    _current = theme
    app.setStyle("Fusion")
    app.setPalette(_palette(theme))
    app.setStyleSheet(stylesheet(theme))
    return theme


__all__ = [
    "CATEGORY_COLORS",
    "CATEGORY_LABELS",
    "DARK",
    "LIGHT",
    "THEMES",
    "TextRole",
    "Theme",
    "apply_theme",
    "category_color",
    "current_theme",
    "icon",
    "mix_colors",
    "mono_font",
    "parametric_badge",
    "set_role",
    "theme_label",
    "ui_font",
]
