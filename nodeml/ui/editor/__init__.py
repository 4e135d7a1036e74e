"""The node-editor canvas: scene, items and the view that turns gestures into document edits."""

from __future__ import annotations

from .view import LAYER_MIME, EditorView

__all__ = ["LAYER_MIME", "EditorView"]
