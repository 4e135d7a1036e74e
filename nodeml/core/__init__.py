"""Qt-free engine of nodeml: graph model, layer catalog, inference, compiler, training."""
