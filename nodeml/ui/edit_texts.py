"""What Edit → Undo calls each edit, and why an edit is refused, in the user's language."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

# an undo step's name by what it does; ``{...}`` are filled in when the step is made
UNDO = {
    "add_after": QT_TRANSLATE_NOOP("Undo", "Add {type} after {id}"),
    "delete": QT_TRANSLATE_NOOP("Undo", "Delete {what}"),
    "reconnect": QT_TRANSLATE_NOOP("Undo", "Reconnect {id}"),
    "rewire": QT_TRANSLATE_NOOP("Undo", "Reconnect {source} → {target}"),
    "set": QT_TRANSLATE_NOOP("Undo", "Set {id}.{param}"),
    "reset": QT_TRANSLATE_NOOP("Undo", "Reset {id}.{param}"),
    "freeze": QT_TRANSLATE_NOOP("Undo", "Freeze {ids}"),
    "unfreeze": QT_TRANSLATE_NOOP("Undo", "Unfreeze {ids}"),
    "trainable": QT_TRANSLATE_NOOP("Undo", "Trainable"),
    "insert": QT_TRANSLATE_NOOP("Undo", "Insert {type}"),
    "group": QT_TRANSLATE_NOOP("Undo", "Group {count} node(s) into {name}"),
    "ungroup": QT_TRANSLATE_NOOP("Undo", "Ungroup {id}"),
    "add_block": QT_TRANSLATE_NOOP("Undo", "Add block {name}"),
    "bind": QT_TRANSLATE_NOOP("Undo", "Bind {id}.{param} to {block_param}"),
    "remove_block_param": QT_TRANSLATE_NOOP("Undo", "Remove block param {param}"),
    "freeze_head": QT_TRANSLATE_NOOP("Undo", "Freeze all but the head"),
    "random_weights": QT_TRANSLATE_NOOP("Undo", "Continue with random weights"),
    "paste": QT_TRANSLATE_NOOP("Undo", "Paste {count} node(s)"),
    "paste_one": QT_TRANSLATE_NOOP("Undo", "Paste {id}"),
    "layout": QT_TRANSLATE_NOOP("Undo", "Auto-layout"),
    "nodes": QT_TRANSLATE_NOOP("Undo", "{count} node(s)"),
    "wires": QT_TRANSLATE_NOOP("Undo", "{count} wire(s)"),
    "nodes_and_wires": QT_TRANSLATE_NOOP("Undo", "{nodes} and {wires}"),
}
# why the Document refuses an edit (a GraphEditError the Inspector or status bar shows)
REFUSED = {
    "unknown_type": QT_TRANSLATE_NOOP("Document", "unknown node type {type!r}"),
    "connected": QT_TRANSLATE_NOOP("Document", "input {port} of {id} is already connected"),
    "id_taken": QT_TRANSLATE_NOOP("Document", "id {id!r} is already used by another node"),
    "training": QT_TRANSLATE_NOOP("Document", "the model cannot change while it is training"),
    "not_in_block": QT_TRANSLATE_NOOP(
        "Document", "only a node inside a block can take a block parameter"
    ),
    "not_a_block": QT_TRANSLATE_NOOP("Document", "only a block has block parameters"),
    "no_file": QT_TRANSLATE_NOOP("Document", "no file name yet; use Save As"),
}


def undo_text(key: str, **values: object) -> str:
    """``undo_text("delete", what="fc1")`` -> "Delete fc1" (삭제 fc1 ...)."""
    return QCoreApplication.translate("Undo", UNDO[key]).format(**values)  # i18n: UNDO's NOOPs


def refused(key: str, **values: object) -> str:
    """Why an edit is refused, for a GraphEditError."""
    return QCoreApplication.translate("Document", REFUSED[key]).format(**values)  # i18n: NOOPs


__all__ = ["REFUSED", "UNDO", "refused", "undo_text"]
