"""torchvision classification models as backbone nodes, with optional ImageNet weights and head."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from torch import nn

from .spec import CodeArgs, LayerSpec, ModuleCode, ParamSpec, TensorInfo

WEIGHT_CHOICES = ("none", "DEFAULT")


@dataclass(frozen=True)
class Backbone:
    """One torchvision model: its builder name, its classifier and what is left without it.

    ``head`` is the attribute path of the classifier that ``features_only`` replaces by
    ``nn.Identity`` (``"classifier[2]"`` for ConvNeXt, whose classifier also holds the final
    LayerNorm and Flatten); ``features`` is the width of the feature vector that remains.
    """

    name: str
    title: str
    head: str
    features: int
    params: int  # with the ImageNet head, as torchvision reports it

    @property
    def weights_enum(self) -> str:
        """``ResNet18_Weights``: the torchvision enum whose DEFAULT member the code names."""
        from torchvision.models import get_model_weights

        return get_model_weights(self.name).__name__

    def module_code(self, args: CodeArgs) -> ModuleCode:
        weights = args.values["weights"]
        arg = "None" if weights == "none" else f"torchvision.models.{self.weights_enum}.{weights}"
        head = ((self.head, "nn.Identity()"),) if args.values["features_only"] else ()
        return ModuleCode(f"torchvision.models.{self.name}(weights={arg})", head)

    def check_inputs(self, inputs: Sequence[TensorInfo]) -> str | None:
        shape = inputs[0].shape
        if len(shape) == 3 and shape[0] == 3:
            return None
        return (
            f"{self.name} takes RGB images (N, 3, H, W) but its input is {inputs[0].describe()}; "
            "give the Input node the shape [3, H, W], or put a Conv2d with 3 out_channels before it"
        )

    def build(self, values: dict[str, Any]) -> nn.Module:
        """The architecture without weights: inference needs shapes, never the 100 MB download."""
        from torchvision.models import get_model

        model = get_model(self.name, weights=None)
        if values["features_only"]:
            drop_head(model, self.head)
        return model


def drop_head(model: nn.Module, head: str) -> None:
    """``model.<head> = nn.Identity()`` for a path like ``fc`` or ``classifier[2]``."""
    name, _, index = head.partition("[")
    if not index:
        setattr(model, name, nn.Identity())
    else:
        getattr(model, name)[int(index.rstrip("]"))] = nn.Identity()


BACKBONES: dict[str, Backbone] = {
    b.name: b
    for b in (
        Backbone("resnet18", "ResNet-18", "fc", 512, 11_689_512),
        Backbone("resnet34", "ResNet-34", "fc", 512, 21_797_672),
        Backbone("resnet50", "ResNet-50", "fc", 2048, 25_557_032),
        Backbone("mobilenet_v2", "MobileNetV2", "classifier", 1280, 3_504_872),
        Backbone("mobilenet_v3_small", "MobileNetV3-Small", "classifier", 576, 2_542_856),
        Backbone("efficientnet_b0", "EfficientNet-B0", "classifier", 1280, 5_288_548),
        Backbone("vgg11_bn", "VGG-11 with batch norm", "classifier", 25088, 132_868_840),
        Backbone("convnext_tiny", "ConvNeXt-Tiny", "classifier[2]", 768, 28_589_128),
    )
}


def _spec(b: Backbone) -> LayerSpec:
    millions = f"{b.params / 1e6:.1f}M"
    return LayerSpec(
        type=b.name,
        category="backbone",
        description=(
            f"{b.title} from torchvision ({millions} params), ImageNet weights optional; "
            f"features only gives the pooled {b.features}-wide feature vector."
        ),
        params=(
            ParamSpec(
                "weights",
                "str",
                default="none",
                choices=WEIGHT_CHOICES,
                doc="DEFAULT: torchvision's best ImageNet weights, downloaded once into the torch "
                "cache; none: random initialisation",
            ),
            ParamSpec(
                "features_only",
                "bool",
                default=False,
                doc=f"drop the ImageNet classifier ({b.head}) so a head of your classes follows",
            ),
        ),
        parametric=True,
        init=b.module_code,
        init_imports=("torchvision",),
        build=b.build,
        check_inputs=b.check_inputs,
        extra={"backbone": b},
    )


SPECS = [_spec(b) for b in BACKBONES.values()]
