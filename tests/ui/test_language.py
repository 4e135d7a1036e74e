"""The app's language: --lang, View → Language (saved, applied at the next start), the system
locale; the Korean window; the one warning when no font can draw Hangul."""

from __future__ import annotations

import pytest
from app_fixtures import LENET
from PySide6.QtCore import QCoreApplication, QLocale, QSettings
from PySide6.QtGui import QImage

from nodeml.ui import app, language


@pytest.fixture
def korean():
    """Korean installed for one test; English again afterwards, whatever the test did."""
    assert language.install_language("ko") == []
    yield
    language.install_language("en")


@pytest.fixture(autouse=True)
def _english_afterwards():
    yield
    language.install_language("en")


def test_the_system_locale_decides_when_nothing_else_does():
    assert language.system_language(QLocale("ko_KR")) == "ko"
    assert language.system_language(QLocale("en_US")) == "en"
    assert language.system_language(QLocale("fr_FR")) == "en"  # no French yet: English
    assert language.system_language(QLocale("C")) == "en"


def test_the_flag_beats_the_saved_choice_which_beats_the_system(monkeypatch):
    monkeypatch.setattr(language, "system_language", lambda locale=None: "ko")
    assert language.chosen_language() == "ko"
    language.save_language("en")
    assert language.chosen_language() == "en"
    assert language.chosen_language("ko") == "ko"
    language.save_language("")  # back to following the system
    assert language.chosen_language() == "ko"
    QSettings().setValue(language.SETTING, "xx")  # a hand-edited settings file
    assert language.chosen_language() == "ko"


def test_the_command_line_takes_ko_and_en_only(capsys):
    assert app.build_parser().parse_args(["--lang", "ko"]).lang == "ko"
    with pytest.raises(SystemExit):
        app.build_parser().parse_args(["--lang", "fr"])
    assert "invalid choice" in capsys.readouterr().err


def test_korean_is_installed_with_qts_own_dialog_texts_and_removed_again():
    assert language.install_language("ko") == []
    assert language.installed_language() == "ko"
    assert QCoreApplication.translate("TrainingDock", "Train") == "학습"
    assert QCoreApplication.translate("Catalog", "Convolution") == "합성곱"
    # Qt's translation of its standard buttons (Save / Discard / Cancel in a QMessageBox)
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "취소"
    # except where nodeml words it better: Qt's own Korean says 무시 ("ignore") for Discard
    assert QCoreApplication.translate("QPlatformTheme", "Discard") == "버리기"
    assert language.install_language("en") == []
    assert language.installed_language() == "en"
    assert QCoreApplication.translate("TrainingDock", "Train") == "Train"


def test_the_korean_window_speaks_korean_and_keeps_pytorchs_names(qtbot, korean):
    from nodeml.ui.main_window import MainWindow

    window = MainWindow(restore_layout=False, recovery=False)
    qtbot.addWidget(window)
    window.document.open(LENET)
    window.summary.refresh()
    assert window.training.dock.windowTitle() == "학습"
    headers = [window.summary.horizontalHeaderItem(c).text() for c in range(3)]
    assert headers == ["노드", "유형", "출력 모양"]
    assert "파라미터" in window.totals_label.text()
    palette = window.palette_panel
    conv = palette.item_for("Conv2d")
    assert conv.text(0) == "Conv2d"  # the layer's name is PyTorch's
    assert conv.parent().text(0) == "합성곱"
    assert "2D 합성곱" in conv.toolTip(0)
    palette.search.setText("합성곱")  # Korean words find layers too
    assert "Conv2d" in palette.visible_types()
    palette.search.setText("conv")
    assert "Conv2d" in palette.visible_types()
    assert window.language_menu.title() == "언어(&L)"
    window.document.undo_stack.setClean()


def test_view_language_is_saved_and_says_it_applies_at_the_next_start(window):
    menu = window.language_menu
    assert [a.text() for a in menu.actions() if a.isCheckable()][1:] == ["English", "한국어"]
    assert menu.choices[""].isChecked()  # nothing chosen yet: the system's language
    menu.choices["ko"].trigger()
    assert QSettings().value(language.SETTING) == "ko"
    assert menu.choices["ko"].isChecked()
    assert "next start" in window.statusBar().currentMessage()
    assert language.installed_language() == "en"  # this window keeps its language
    notes = [a.text() for a in menu.actions() if not a.isCheckable() and a.text()]
    assert notes == ["Takes effect when nodeml restarts"]
    assert language.chosen_language() == "ko"


def test_lang_ko_screenshot_renders_the_korean_window(tmp_path):
    out = tmp_path / "ko.png"
    assert app.main(["--lang", "ko", "--screenshot", str(out), str(LENET)]) == 0
    assert language.installed_language() == "ko"
    assert QImage(str(out)).width() >= 1200


def test_without_a_hangul_font_the_app_warns_once_in_the_status_bar(window, korean, capsys):
    language._warned_fonts = False
    said = language.warn_once_about_fonts(window.statusBar().showMessage, families=lambda: [])
    assert "fonts-noto-cjk" in said and "fonts-nanum" in said
    assert window.statusBar().currentMessage() == said
    assert "Hangul" in capsys.readouterr().err
    window.statusBar().clearMessage()
    assert language.warn_once_about_fonts(window.statusBar().showMessage, lambda: []) is None
    assert window.statusBar().currentMessage() == ""  # once per run, not on every window


def test_no_warning_with_a_hangul_font_or_in_english(korean):
    language._warned_fonts = False
    shown = []
    assert (
        language.warn_once_about_fonts(shown.append, families=lambda: ["Noto Sans CJK KR"]) is None
    )
    language.install_language("en")
    assert language.warn_once_about_fonts(shown.append, families=lambda: []) is None
    assert shown == []


def test_mnemonics_come_off_korean_menu_texts_too():
    assert language.plain_action_text("&File") == "File"
    assert language.plain_action_text("파일(&F)") == "파일"
    assert language.plain_action_text("Save &As…") == "Save As…"
    assert language.plain_action_text("R&&D") == "R&D"
