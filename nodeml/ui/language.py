"""The app's language: chosen by --lang, the View → Language setting or the system locale; Qt's
translators for it; and the check that some installed font can draw Hangul."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTranslator,
)
from PySide6.QtGui import QAction, QActionGroup, QFontDatabase
from PySide6.QtWidgets import QMenu, QWidget

from ..core.resources import resource_path

# code -> the language's own name (a menu lists each in its own language, never translated)
LANGUAGES = {"en": "English", "ko": "한국어"}
SOURCE_LANGUAGE = "en"  # the language the sources are written in: it needs no translator
SETTING = "language"  # QSettings key: "" follows the system, else a code of LANGUAGES
FONT_PACKAGES = "fonts-noto-cjk or fonts-nanum"
# the translations Qt ships for its own dialogs (Save / Discard / Cancel buttons, file dialogs)
QT_CATALOGS = ("qtbase",)
# Qt's own texts nodeml words better: Qt's Korean says 무시 ("ignore") for Discard, which reads
# wrong under "save the changes?"; nodeml's translator is asked first (installed last)
QT_OVERRIDES = (QT_TRANSLATE_NOOP("QPlatformTheme", "Discard"),)

_installed: list[QTranslator] = []  # kept alive: Qt holds only a pointer to an installed one
_warned_fonts = False


def system_language(locale: QLocale | None = None) -> str:
    """The code of LANGUAGES the system's UI languages ask for first, else English."""
    locale = locale or QLocale.system()
    for name in [*locale.uiLanguages(), locale.name()]:
        code = name.replace("-", "_").split("_")[0].lower()
        if code in LANGUAGES:
            return code
    return SOURCE_LANGUAGE


def saved_language(settings: QSettings | None = None) -> str:
    """The View → Language choice: a code of LANGUAGES, or "" to follow the system."""
    value = (settings or QSettings()).value(SETTING, "")
    return value if isinstance(value, str) and value in LANGUAGES else ""


def save_language(code: str, settings: QSettings | None = None) -> None:
    """Remember ``code`` ("" follows the system) for the next start."""
    if code and code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; one of {', '.join(LANGUAGES)}")
    (settings or QSettings()).setValue(SETTING, code)


def chosen_language(flag: str | None = None, settings: QSettings | None = None) -> str:
    """--lang first, then the saved choice, then the system locale."""
    return flag or saved_language(settings) or system_language()


def qm_path(code: str):
    """nodeml's compiled translation for ``code`` (it may be missing in a broken install)."""
    return resource_path("i18n", f"nodeml_{code}.qm")


def install_language(code: str) -> list[str]:
    """Install the translators for ``code`` into the running app, replacing any installed before;
    returns what could not be loaded (said on stderr by the caller). English needs none."""
    app = QCoreApplication.instance()
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if code == SOURCE_LANGUAGE:
        return []
    missing = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for catalog in QT_CATALOGS:
        qt = QTranslator(app)
        if qt.load(QLocale(code), catalog, "_", qt_dir):  # absent from a trimmed Qt: no loss
            _installed.append(qt)
    ours = QTranslator(app)
    if ours.load(str(qm_path(code))):
        _installed.append(ours)  # last: Qt asks the last installed first (QT_OVERRIDES)
    else:
        missing.append(str(qm_path(code)))
    for translator in _installed:
        app.installTranslator(translator)
    return missing


def installed_language() -> str:
    """The code whose translation is installed now (English when none is)."""
    for code in LANGUAGES:
        if any(t.filePath() == str(qm_path(code)) for t in _installed):
            return code
    return SOURCE_LANGUAGE


# ---- fonts ------------------------------------------------------------------------------------
def hangul_families() -> list[str]:
    """Installed font families that can draw Korean (Qt asks fontconfig on Linux)."""
    return QFontDatabase.families(QFontDatabase.WritingSystem.Korean)


def font_warning(code: str, families: Callable[[], list[str]] = hangul_families) -> str | None:
    """What to tell a user whose language needs glyphs no installed font has, else None.

    In English on purpose: the user cannot read Korean drawn without a Hangul font."""
    if code != "ko" or families():
        return None
    return (
        "No installed font can show Hangul, so Korean text shows as empty boxes: install "
        f"{FONT_PACKAGES} (e.g. sudo apt install fonts-noto-cjk) and restart nodeml."
    )


def warn_once_about_fonts(
    show: Callable[[str], None], families: Callable[[], list[str]] = hangul_families
) -> str | None:
    """Say ``font_warning`` once per process, through ``show`` and on stderr; returns it."""
    global _warned_fonts
    if _warned_fonts:
        return None
    message = font_warning(installed_language(), families)
    if message is not None:
        _warned_fonts = True
        print(f"nodeml: {message}", file=sys.stderr)
        show(message)
    return message


def counted(text: str, count: int, **values: object) -> str:
    """A translated ``text`` with ``{count}`` (and ``values``) filled in, English's "(s)" made
    "s" or nothing by ``count``: ``"{count} problem(s)"`` -> "1 problem", "2 problems" (a
    translation needs no "(s)": Korean has one form)."""
    return text.format(count=count, **values).replace("(s)", "" if count == 1 else "s")


# ---- the View → Language menu ------------------------------------------------------------------
def plain_action_text(text: str) -> str:
    """A menu text without its mnemonic: ``&File`` -> ``File``, ``파일(&F)`` -> ``파일``."""
    return re.sub(r"\(&\w\)", "", text).replace("&&", "\0").replace("&", "").replace("\0", "&")


class LanguageMenu(QMenu):
    """Follow the system, or one language; saved and applied the next time nodeml starts (the
    open windows keep their language: their texts are set once, when they are built)."""

    def __init__(self, parent: QWidget, notify: Callable[[str], None]):
        super().__init__(self.tr("&Language"), parent)
        self._notify = notify
        self.group = QActionGroup(self)
        self.choices: dict[str, QAction] = {}
        system = LANGUAGES[system_language()]
        options = [("", self.tr("System Default ({language})").format(language=system))]
        options += list(LANGUAGES.items())
        for code, label in options:
            action = QAction(label, self, checkable=True)
            action.triggered.connect(lambda _c=False, c=code: self.choose(c))
            self.group.addAction(action)
            self.addAction(action)
            self.choices[code] = action
        self.choices[saved_language()].setChecked(True)
        self.addSeparator()
        note = self.addAction(self.tr("Takes effect when nodeml restarts"))
        note.setEnabled(False)

    def choose(self, code: str) -> None:
        save_language(code)
        self.choices[code].setChecked(True)
        after = LANGUAGES[code or system_language()]
        self._notify(self.tr("{language} from the next start of nodeml").format(language=after))


__all__ = [
    "FONT_PACKAGES",
    "LANGUAGES",
    "LanguageMenu",
    "chosen_language",
    "counted",
    "font_warning",
    "hangul_families",
    "install_language",
    "installed_language",
    "plain_action_text",
    "save_language",
    "saved_language",
    "system_language",
    "warn_once_about_fonts",
]
