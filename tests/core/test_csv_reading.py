"""Reading a CSV file: what is read right (quoting, BOM, CRLF, blank lines) and what is refused
with the file, the line (as an editor counts them) and the column at fault."""

from __future__ import annotations

import pytest
import torch
from csv_support import load, refused, samples  # tests/core is on sys.path under pytest

from nodeml.core.training import DatasetError, TrainingConfig, load_dataset

PLAIN = "a,b,kind\n1,2,cat\n3,4.5,dog\n-5,6e1,cat\n"


def test_plain_file_gives_its_numbers_and_classes(tmp_path):
    data = load(tmp_path, PLAIN)
    x, y = samples(data)
    assert x.tolist() == [[1.0, 2.0], [3.0, 4.5], [-5.0, 60.0]]
    assert y.tolist() == [0, 1, 0] and data.info.classes == ("cat", "dog")
    assert data.info.sample_shape == (2,) and data.info.task == "classification"


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbf" + PLAIN.encode(),  # a BOM, as Excel's "CSV UTF-8" writes
        PLAIN.replace("\n", "\r\n").encode(),  # Windows line ends
        PLAIN.replace("\n", "\r").encode(),  # classic Mac line ends
        (PLAIN + "\n\n  \n,,\n").encode(),  # blank lines and an all-blank row below the data
        b'"a","b","kind"\n"1",2,"cat"\n3,"4.5",dog\n"-5", 6e1 ,"cat"\n',  # quoting, spaces
        ("\n" + PLAIN.replace("\n3,", "\n\n3,")).encode(),  # blank lines before and inside
    ],
    ids=["bom", "crlf", "cr", "trailing-blank", "quoted", "inner-blank"],
)
def test_layout_variants_read_the_same(tmp_path, content):
    x, y = samples(load(tmp_path, content))
    assert x.tolist() == [[1.0, 2.0], [3.0, 4.5], [-5.0, 60.0]] and y.tolist() == [0, 1, 0]


def test_a_quoted_line_break_stays_in_its_cell_and_lines_keep_counting(tmp_path):
    content = 'a,note,y\n1,"two\nlines",cat\n2,x,dog\n'
    assert samples(load(tmp_path, content, features=["a"]))[0].tolist() == [[1.0], [2.0]]
    # the blank cell of 'a' is on line 5: the quoted break made record 1 span lines 2-3
    refused(
        tmp_path, content + ",y,cat\n", r"data\.csv line 5, column 'a' is blank", features=["a"]
    )


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("NaN", "holds 'NaN', a missing value"),
        ("nan", "holds 'nan', a missing value"),
        ("NA", "holds 'NA', a missing value"),
        ("inf", "holds 'inf', not a finite number"),
        ("-Infinity", "holds '-Infinity', not a finite number"),
        ("", "is blank"),
        ("   ", "is blank"),
        ("1e39", "holds '1e39', beyond the range of float32"),
        ("1,5", r"holds '1,5', not a number; write decimals with a point \(1\.5\)"),
        ("abc", "holds 'abc', not a number; features must be numbers"),
    ],
)
def test_a_bad_feature_cell_is_refused_naming_file_line_and_column(tmp_path, cell, says):
    content = f'a,b,y\n1,2,cat\n3,4,dog\n5,"{cell}",cat\n'
    message = refused(tmp_path, content, rf"data\.csv line 4, column 'b' {says}")
    assert str(tmp_path) in message


def test_the_first_bad_cell_in_the_file_is_the_one_named(tmp_path):
    content = "a,b,y\n1,2,x\n3,inf,z\n4,5,x\nfour,6,z\n"
    refused(tmp_path, content, r"line 3, column 'b' holds 'inf'")
    refused(tmp_path, content.replace("inf", "7"), r"line 5, column 'a' holds 'four'")


def test_a_missing_value_says_how_to_fix_it(tmp_path):
    message = refused(tmp_path, "a,b,y\n1,,2.5\n", r"line 2, column 'b' is blank")
    assert "fill it in or delete the line" in message


@pytest.mark.parametrize("cell", ["", "NaN", "inf", "-inf"])
@pytest.mark.parametrize("task", ["auto", "regression", "classification"])
def test_a_bad_target_cell_is_refused_naming_its_line(tmp_path, cell, task):
    rows = "".join(f"{i},{i * 1.5 + 0.25}\n" for i in range(30))
    content = f'x,price\n{rows}7,"{cell}"\n'
    refused(tmp_path, content, r"data\.csv line 32, column 'price'", task=task)


def test_a_non_numeric_feature_names_the_numeric_columns_to_keep(tmp_path):
    message = refused(tmp_path, "id,name,h,y\n1,ann,2,a\n2,bob,3,b\n", r"column 'name' holds 'ann'")
    assert "training.dataset_options.features (e.g. ['id', 'h'])" in message


def test_a_row_with_the_wrong_number_of_values_is_refused(tmp_path):
    refused(
        tmp_path,
        "a,b,y\n1,2,x\n1,2\n",
        r"data\.csv line 3: 2 values, but the header \(line 1\) names 3 columns",
    )
    refused(tmp_path, "a,b,y\n1,2,x\n1,2,x,\n", r"line 3: 4 values.*a delimiter at the end")
    refused(tmp_path, 'a,b,y\n1,"2,x\n3,4,y\n', r"line 2: 2 values.*a quote \" left open")


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        ("", r"data\.csv is empty"),
        ("\n\n \n", r"data\.csv is empty"),
        ("a,b,y\n", r"has a header \(line 1\) but no data rows"),
        ("a,b,y\n\n,,\n", r"has a header \(line 1\) but no data rows"),
        ("a,b,a\n1,2,3\n", r"line 1: column name 'a' appears twice \(columns 1 and 3\)"),
        ("a, b ,b\n1,2,3\n", r"line 1: column name 'b' appears twice"),
        ("a;b;y\n1;2;3\n", r"line 1: the header names one column.*delimiter to ';'"),
        ("1,2,3\n4,5,6\n", r"line 1 should name the columns but holds numbers"),
        (",b,y\n0,2,x\n1,3,z\n", r"line 1: column 1 has no name.*index=False"),
        ("a,b,y\n1,2,x\n3,4,\x00\n", r"data\.csv line 3 holds a NUL byte"),
    ],
)
def test_a_malformed_file_is_refused_in_one_line(tmp_path, content, pattern):
    refused(tmp_path, content, pattern)


def test_bytes_that_are_not_utf8_are_refused_naming_their_line(tmp_path):
    content = "a,b,city\n1,2,Paris\n3,4,Montr\xe9al\n".encode("latin-1")
    refused(tmp_path, content, r"data\.csv line 3: byte 0xe9 is not UTF-8.*save the file as UTF-8")
    refused(tmp_path, "a,b\n1,2\n".encode("utf-16"), r"is UTF-16 text")


def test_options_are_checked(tmp_path):
    refused(tmp_path, PLAIN, r"features: lists the target column 'kind'", features=["a", "kind"])
    refused(tmp_path, PLAIN, r"features: lists 'a' twice", features=["a", "a"])
    refused(tmp_path, PLAIN, r"features: .*no column 'c'", features=["c"])
    refused(tmp_path, PLAIN, r"features: must be a list of column names", features="a")
    refused(tmp_path, PLAIN, r"target: .*no column 'knid'; did you mean 'kind'", target="knid")
    refused(tmp_path, PLAIN, r"delimiter: must be one character", delimiter=";;")
    refused(tmp_path, PLAIN, r"task: must be auto, classification or regression", task="class")
    with pytest.raises(DatasetError, match=r"path: cannot read .*missing\.csv"):
        load_dataset(
            TrainingConfig(dataset="csv", dataset_options={"path": str(tmp_path / "missing.csv")})
        )


def test_the_delimiter_option_and_column_choice(tmp_path):
    data = load(tmp_path, "y\ta\tb\n1.5\t2\t3\n2.5\t4\t5\n", delimiter="\t", target="y")
    x, y = samples(data)
    assert x.tolist() == [[2.0, 3.0], [4.0, 5.0]] and y.flatten().tolist() == [1.5, 2.5]
    x, _ = samples(load(tmp_path, PLAIN, features=["b"]))
    assert x.flatten().tolist() == [2.0, 4.5, 60.0]


def test_an_unnamed_column_left_out_of_the_features_is_fine(tmp_path):
    data = load(tmp_path, ",a,y\n0,1.5,x\n1,2.5,z\n", features=["a"])
    assert samples(data)[0].flatten().tolist() == [1.5, 2.5]


def test_feature_values_are_float32_copies_of_the_text(tmp_path):
    data = load(tmp_path, "a,y\n0.1,1.5\n1e-3,2\n-7.25,3.5\n")
    x, _ = samples(data)
    assert x.dtype == torch.float32
    assert x.flatten().tolist() == torch.tensor([0.1, 1e-3, -7.25], dtype=torch.float32).tolist()
