"""helpers._validation's first step: reading any input as an array of real numbers.

The public helpers' own tests check what each one refuses; these check the
shared conversion underneath, with the input's type named in the message.
"""

from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from helpers._validation import as_linkage, as_samples


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
