"""helpers._validation's first step: reading any input as an array of real numbers.

The public helpers' own tests check what each one refuses; these check the
shared conversion underneath, with the input's type named in the message.
"""

from decimal import Decimal
from fractions import Fraction

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import _validation
from helpers._validation import as_distance, as_labels, as_linkage, as_samples, check_axes


@pytest.mark.parametrize("bad, type_name, cause", [
    # NumPy cannot make an array of rows of different lengths at all.
    ([[1.0, 2.0], [3.0]], "list", "inhomogeneous"),
    # It makes an array of strings, which then cannot become floats.
    ([["a", "b"], ["c", "d"]], "list", "could not convert string to float"),
    ((("1", "x"), ("2", "3")), "tuple", "could not convert string to float"),
])
def test_what_cannot_be_read_as_numbers_is_refused_naming_its_type(bad, type_name, cause):
    with pytest.raises(TypeError) as info:
        as_samples(bad)
    message = str(info.value)
    assert message.startswith("X must be an array of numbers with shape (n, m); "
                              f"could not read {type_name} as numbers (")
    assert cause in message and message.endswith(").")
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_the_name_and_what_to_pass_come_from_the_caller():
    with pytest.raises(TypeError, match=r"^Z must be a linkage matrix.*could not read list as numbers"):
        as_linkage([[0, 1, "x", 2]])


def test_complex_numbers_hidden_in_an_object_array_are_refused():
    mixed = np.array([[1.0, 2.0], [3.0, 1j]], dtype=object)
    with pytest.raises(TypeError, match=r"^X holds complex numbers; .*Pass X\.real"):
        as_samples(mixed)


@pytest.mark.parametrize("numbers", [
    np.array([[1, 2], [3, 4]], dtype=object),
    [[Fraction(1, 2), 2], [3, 4]],
    [[Decimal("0.5"), 2], [3, 4]],
    [[True, 2], [3, 4]],
])
def test_real_numbers_of_any_python_type_are_read_as_floats(numbers):
    arr = as_samples(numbers)
    assert arr.dtype == np.float64
    assert arr.tolist() == [[float(numbers[0][0]), 2.0], [3.0, 4.0]]


@pytest.mark.parametrize("complex_type", [np.complex64, np.complex128, np.clongdouble, complex])
def test_complex_numbers_of_every_type_in_an_object_array_are_refused(complex_type):
    mixed = np.array([[1.0, 2.0], [3.0, complex_type(1 + 1j)]], dtype=object)
    with pytest.raises(TypeError, match=r"^X holds complex numbers"):
        as_samples(mixed)
    with pytest.raises(TypeError, match=r"^labels holds complex numbers"):
        as_labels(np.array([1, complex_type(2 + 0j)], dtype=object), 2)


def test_labels_of_kinds_that_cannot_be_ordered_are_refused_by_name():
    with pytest.raises(TypeError, match=r"^labels mixes values that cannot be compared .*int, str.*"
                                        r"\[str\(v\) for v in labels\]"):
        as_labels(np.array([1, "a", 1], dtype=object), 3)
    assert as_labels(np.array([1, 2.5, 1], dtype=object), 3).tolist() == [1, 2.5, 1]


@pytest.mark.parametrize("huge", [10**400, -(10**400)])
def test_a_distance_beyond_the_largest_float_is_refused_by_name(huge):
    with pytest.raises(ValueError, match=r"^max_d is too large to be a distance: a number of 401 digits"):
        as_distance(huge, "max_d")


def axes_of(kind):
    fig = plt.figure(figsize=(0, 0) if kind == "empty" else (4, 3))
    if kind == "subfigure":
        return fig, fig.subfigures(1, 2)[0].subplots()
    projection = {"polar": "polar", "3d": "3d", "mollweide": "mollweide"}.get(kind)
    return fig, fig.add_subplot(projection=projection)


@pytest.mark.parametrize("kind, error, words", [
    ("polar", TypeError, r"^ax must be ordinary 2-D axes, with straight x and y axes; got polar axes \(PolarAxes\)"),
    ("3d", TypeError, r"^ax must be ordinary 2-D axes.*got 3d axes \(Axes3D\).*plt\.subplots\(\)"),
    ("mollweide", TypeError, r"^ax must be ordinary 2-D axes.*got mollweide axes"),
    ("empty", ValueError, r"^ax belongs to a figure of 0 x 0 inches.*figsize=\(8, 4\)"),
])
def test_axes_that_would_draw_distorted_or_unseen_are_refused(kind, error, words):
    fig, ax = axes_of(kind)
    try:
        with pytest.raises(error, match=words):
            check_axes(ax)
        plt.figure(fig)
        plt.sca(ax)
        with pytest.raises(error, match=words.replace("^ax", r"^the current axes \(plt\.gca\(\)\)")):
            _validation.current_axes()
    finally:
        plt.close(fig)


def test_axes_of_a_subfigure_are_ordinary_axes():
    fig, ax = axes_of("subfigure")
    try:
        assert check_axes(ax) is ax
    finally:
        plt.close(fig)
