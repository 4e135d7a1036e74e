"""TrainingConfig's field descriptions: every setting has one, and validate checks with its facts."""

from __future__ import annotations

import dataclasses

import pytest

from nodeml.core.training import ConfigError, TrainingConfig
from nodeml.core.training.config import OPTIMIZER_NAMES, SCHEDULER_NAMES
from nodeml.core.training.setting_spec import Group, Kind, setting_specs


def test_every_setting_is_described_with_a_label_help_and_group():
    specs = setting_specs(TrainingConfig)
    assert list(specs) == [f.name for f in dataclasses.fields(TrainingConfig)]
    for name, spec in specs.items():
        assert spec.label and spec.help and isinstance(spec.group, Group), name
        if spec.kind in (Kind.NUMBER, Kind.WHOLE, Kind.PAIR):
            assert spec.example and spec.range_text(), name
    assert [v for v, _ in specs["optimizer"].choices] == list(OPTIMIZER_NAMES)
    assert [v for v, _ in specs["scheduler"].choices] == list(SCHEDULER_NAMES)


@pytest.mark.parametrize(
    ("name", "good", "bad", "said"),
    [
        ("val_split", 0.99, 1.0, "must be a number >= 0 and < 1, e.g. 0.2; got 1.0"),
        ("factor", 0.5, 1.0, "must be a number > 0 and < 1"),
        ("gamma", 1.0, 0.0, "must be a number > 0 and <= 1"),
        ("grad_clip", None, 0.0, "must be a number > 0 (or null for none)"),
        ("seed", None, -1, "must be a whole number >= 0 (or null)"),
        ("betas", (0.5, 0.0), (0.9, 1.0), "must be two numbers in [0, 1)"),
        ("shuffle", False, "yes", "must be true or false"),
    ],
)
def test_validate_refuses_what_the_description_excludes(name, good, bad, said):
    TrainingConfig(**{name: good})
    with pytest.raises(ConfigError, match=name) as caught:
        TrainingConfig(**{name: bad})
    assert said in str(caught.value) and caught.value.field == name


def test_when_says_which_settings_matter_together():
    specs = setting_specs(TrainingConfig)
    sgd, adam = {"optimizer": "sgd"}, {"optimizer": "adam"}
    assert specs["momentum"].applies(sgd) and not specs["momentum"].applies(adam)
    assert specs["betas"].applies(adam) and not specs["betas"].applies(sgd)
    assert specs["lr"].applies(sgd) and specs["lr"].applies(adam)
    assert specs["t_max"].applies({"scheduler": "cosine"})
    assert not specs["t_max"].applies({"scheduler": "step"})
