"""Hand-written PyTorch twins of the sample graphs: attribute names equal node ids, so a compiled
sample's state_dict loads into its twin. Shared by the sample and export tests and by
benchmarks/compiled_vs_handwritten.py, so each reference model is written once.

A sample trained on standardised data (the image sets) standardises its input itself, with
``image_mean`` / ``image_std`` buffers; a classifier keeps its class names as extra state. The
twins do the same by hand, so they stay exactly interchangeable with the compiled models.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
import torchvision
from torch import nn


class Classifier(nn.Module):
    """What nodeml adds to a classifier: ``classes`` (output index -> name) in its state_dict."""

    def __init__(self):
        super().__init__()
        self.classes = []

    def get_extra_state(self):
        return {"classes": self.classes}

    def set_extra_state(self, state):
        self.classes = list(state["classes"])


class ImageClassifier(Classifier):
    """A classifier that standardises its images per channel, as nodeml compiles one."""

    def __init__(self, channels: int):
        super().__init__()
        self.register_buffer("image_mean", torch.zeros(channels, 1, 1))
        self.register_buffer("image_std", torch.ones(channels, 1, 1))

    def standardize(self, image):
        return (image - self.image_mean) / self.image_std


class LinearRegression(nn.Module):
    def __init__(self, n_in: int):
        super().__init__()
        self.linear = nn.Linear(n_in, 1)

    def forward(self, x):
        return self.linear(x)


class QuickstartMLP(ImageClassifier):
    """The PyTorch quickstart tutorial's NeuralNetwork."""

    def __init__(self):
        super().__init__(1)
        self.fc1 = nn.Linear(28 * 28, 512)
        self.fc2 = nn.Linear(512, 512)
        self.fc3 = nn.Linear(512, 10)

    def forward(self, x):
        x = torch.flatten(self.standardize(x), 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class LeNet(ImageClassifier):
    """The 60-minute blitz Net."""

    def __init__(self):
        super().__init__(1)
        self.conv1 = nn.Conv2d(1, 6, 3)
        self.conv2 = nn.Conv2d(6, 16, 3)
        self.fc1 = nn.Linear(16 * 6 * 6, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(self.standardize(x))), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class ResidualNet(ImageClassifier):
    def __init__(self):
        super().__init__(1)
        self.stem = nn.Conv2d(1, 16, 3, padding=1)
        self.conv_a = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.bn_a = nn.BatchNorm2d(16)
        self.conv_b = nn.Conv2d(16, 16, 3, padding=1, bias=False)
        self.bn_b = nn.BatchNorm2d(16)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        skip = F.relu(self.stem(self.standardize(x)))
        x = self.bn_b(self.conv_b(F.relu(self.bn_a(self.conv_a(skip)))))
        x = F.relu(x + skip)
        x = F.adaptive_avg_pool2d(x, 1)
        return self.fc(torch.flatten(x, 1))


class TwoBranch(Classifier):
    def __init__(self):
        super().__init__()
        self.wide = nn.Linear(2, 32)
        self.smooth = nn.Linear(2, 32)
        self.hidden = nn.Linear(64, 32)
        self.classifier = nn.Linear(32, 2)

    def forward(self, x):
        x = torch.cat([F.relu(self.wide(x)), torch.tanh(self.smooth(x))], dim=1)
        return self.classifier(F.relu(self.hidden(x)))


class LSTMClassifier(Classifier):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(32, 16)
        self.lstm = nn.LSTM(16, 32, batch_first=True)
        self.classifier = nn.Linear(32, 4)

    def forward(self, tokens):
        seq, _ = self.lstm(self.embedding(tokens))
        return self.classifier(seq[:, -1])


class ConvAutoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1 = nn.Conv2d(1, 16, 3, padding=1)
        self.enc2 = nn.Conv2d(16, 8, 3, padding=1)
        self.dec1 = nn.ConvTranspose2d(8, 16, 2, stride=2)
        self.dec2 = nn.Conv2d(16, 1, 3, padding=1)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.enc1(x)), 2)
        x = F.max_pool2d(F.relu(self.enc2(x)), 2)
        x = F.interpolate(F.relu(self.dec1(x)), scale_factor=2.0, mode="nearest")
        return torch.sigmoid(self.dec2(x))


class BasicBlock(nn.Module):
    """The ResidualBlock of resnet_blocks.json, written by hand."""

    def __init__(self, channels: int):
        super().__init__()
        self.conv_a = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn_a = nn.BatchNorm2d(channels)
        self.conv_b = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn_b = nn.BatchNorm2d(channels)

    def forward(self, x):
        y = self.bn_b(self.conv_b(F.relu(self.bn_a(self.conv_a(x)))))
        return F.relu(y + x)


class ResNetBlocks(ImageClassifier):
    def __init__(self):
        super().__init__(3)
        self.stem = nn.Conv2d(3, 16, 3, padding=1, bias=False)
        self.stem_bn = nn.BatchNorm2d(16)
        self.block1 = BasicBlock(16)
        self.block2 = BasicBlock(16)
        self.down = nn.Conv2d(16, 32, 3, stride=2, padding=1, bias=False)
        self.down_bn = nn.BatchNorm2d(32)
        self.block3 = BasicBlock(32)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        x = self.block2(self.block1(F.relu(self.stem_bn(self.stem(self.standardize(x))))))
        x = self.block3(F.relu(self.down_bn(self.down(x))))
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class TransferResNet18(ImageClassifier):
    """A frozen torchvision ResNet-18 without its classifier, then a new 10-class head."""

    def __init__(self):
        super().__init__(3)
        self.backbone = torchvision.models.resnet18(weights=None)
        self.backbone.fc = nn.Identity()
        self.backbone.requires_grad_(False)
        self.head = nn.Linear(512, 10)

    def forward(self, x):
        return self.head(self.backbone(self.standardize(x)))
