"""UI test setup: Qt draws offscreen, and every test gets its own settings and recovery folders."""

from __future__ import annotations

import os

# before any Qt import: the tests run without a display
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402

TEST_ORG = "nodeml-tests"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch, qapp):
    """QSettings, recent files and the recovery copy live in this test's tmp dir, never ~."""
    config, data = tmp_path / "config", tmp_path / "data"
    config.mkdir()
    data.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    monkeypatch.setenv("XDG_DATA_HOME", str(data))
    QCoreApplication.setOrganizationName(TEST_ORG)
    QCoreApplication.setApplicationName("nodeml-test")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(config))
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(config))
    yield tmp_path
