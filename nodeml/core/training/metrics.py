"""Per-epoch metrics: accuracy (and top-5 above 5 classes) for classification, MAE for regression."""

from __future__ import annotations

import torch

PRIMARY = {"classification": "accuracy", "binary": "accuracy", "regression": "mae"}
HIGHER_IS_BETTER = {"accuracy": True, "top5": True, "mae": False}


class MetricTotals:
    """Sums kept as device tensors, so adding a batch never waits for the GPU; read once per epoch.

    ``binary_from_logits`` says whether binary outputs are logits (BCEWithLogits: > 0 is class 1)
    or probabilities (BCE: > 0.5).
    """

    def __init__(
        self,
        task: str,
        num_classes: int | None = None,
        binary_from_logits: bool = True,
        top5: bool = True,
    ):
        self.task = task
        self.top5 = top5 and task == "classification" and (num_classes or 0) > 5
        self.threshold = 0.0 if binary_from_logits else 0.5
        self.reset()

    def reset(self) -> None:
        self.loss_sum: torch.Tensor | float = 0.0
        self.correct: torch.Tensor | float = 0.0
        self.correct5: torch.Tensor | float = 0.0
        self.abs_err: torch.Tensor | float = 0.0
        self.count = 0
        self.elements = 0

    def add(self, output: torch.Tensor, target: torch.Tensor, loss: torch.Tensor | float) -> None:
        """``loss`` is the batch's mean loss (a float when the caller already read it)."""
        n = target.shape[0]
        self.count += n
        self.loss_sum = self.loss_sum + (loss.detach() if torch.is_tensor(loss) else loss) * n
        output = output.detach()
        if self.task == "classification":
            if self.top5:  # one topk gives top-1 too: fewer small ops per batch
                hits = output.topk(5, dim=1).indices == target.unsqueeze(1)
                self.correct = self.correct + hits[:, 0].sum()
                self.correct5 = self.correct5 + hits.any(dim=1).sum()
            else:
                self.correct = self.correct + (output.argmax(dim=1) == target).sum()
        elif self.task == "binary":
            self.correct = self.correct + ((output > self.threshold) == (target > 0.5)).sum()
            self.elements += target.numel()
        else:
            self.abs_err = self.abs_err + (output.float() - target.float()).abs().sum()
            self.elements += target.numel()

    def state_dict(self) -> dict[str, float]:
        """Plain numbers, so a checkpoint taken mid-epoch keeps the epoch's running totals."""
        return {
            "loss_sum": float(self.loss_sum),
            "correct": float(self.correct),
            "correct5": float(self.correct5),
            "abs_err": float(self.abs_err),
            "count": self.count,
            "elements": self.elements,
        }

    def load_state_dict(self, state: dict[str, float]) -> None:
        self.loss_sum, self.correct = state["loss_sum"], state["correct"]
        self.correct5, self.abs_err = state["correct5"], state["abs_err"]
        self.count, self.elements = int(state["count"]), int(state["elements"])

    def compute(self) -> dict[str, float]:
        """Mean loss and the task's metrics; an empty epoch gives NaN rather than dividing by 0."""
        if self.count == 0:
            return {"loss": float("nan")}
        out = {"loss": float(self.loss_sum) / self.count}
        if self.task == "classification":
            out["accuracy"] = float(self.correct) / self.count
            if self.top5:
                out["top5"] = float(self.correct5) / self.count
        elif self.task == "binary":
            out["accuracy"] = float(self.correct) / max(1, self.elements)
        else:
            out["mae"] = float(self.abs_err) / max(1, self.elements)
        return out


def confusion_matrix(
    predicted: torch.Tensor, target: torch.Tensor, num_classes: int
) -> torch.Tensor:
    """Rows are true classes, columns predicted classes."""
    index = target.long() * num_classes + predicted.long()
    return torch.bincount(index, minlength=num_classes * num_classes).reshape(
        num_classes, num_classes
    )
