"""Check boxes and spin-box arrows stand out from their background in both themes (Fusion drew
them near-black on the dark theme's near-black)."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QSpinBox,
    QStyle,
    QStyleOptionButton,
    QStyleOptionSpinBox,
    QVBoxLayout,
    QWidget,
)

from nodeml.ui import theme

CONTRAST = 90  # of 255: a mark one sees at a glance, not a faint outline


@pytest.fixture(params=["dark", "light"])
def themed(request, qapp):
    before = theme.current_theme().name
    chosen = theme.apply_theme(QApplication.instance(), request.param)
    yield chosen
    theme.apply_theme(QApplication.instance(), before)


def _lightness(c: QColor) -> int:
    return round(0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue())


def _most_contrast(image: QImage, rect, against: QColor) -> int:
    base = _lightness(against)
    return max(
        abs(_lightness(image.pixelColor(x, y)) - base)
        for x in range(max(rect.left(), 0), min(rect.right() + 1, image.width()))
        for y in range(max(rect.top(), 0), min(rect.bottom() + 1, image.height()))
    )


def test_an_unticked_check_box_and_spin_arrows_are_visible(qtbot, themed):
    page = QWidget()
    box = QVBoxLayout(page)
    check, spin = QCheckBox("bias"), QSpinBox()
    spin.setRange(0, 10)
    spin.setValue(5)  # both arrows enabled
    box.addWidget(check)
    box.addWidget(spin)
    qtbot.addWidget(page)
    page.resize(240, 90)
    page.show()
    qtbot.waitExposed(page)
    image = page.grab().toImage()

    option = QStyleOptionButton()
    option.initFrom(check)
    indicator = check.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, check)
    indicator.translate(check.pos())
    assert _most_contrast(image, indicator, themed.window) >= CONTRAST

    spin_option = QStyleOptionSpinBox()
    spin_option.initFrom(spin)
    for arrow in (QStyle.SubControl.SC_SpinBoxUp, QStyle.SubControl.SC_SpinBoxDown):
        rect = spin.style().subControlRect(
            QStyle.ComplexControl.CC_SpinBox, spin_option, arrow, spin
        )
        rect.translate(spin.pos())
        assert _most_contrast(image, rect.adjusted(2, 2, -2, -2), themed.base) >= CONTRAST
