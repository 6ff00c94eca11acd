"""What the helpers return: frozen dataclasses of numbers and arrays that
compare and print as values.

A dataclass compares its fields as a tuple, and a tuple holding NumPy arrays
cannot be compared (``elbow(Z) == elbow(Z)`` raised "the truth value of an
array ... is ambiguous"), nor hashed. :class:`ArrayResult` gives such a
class equality field by field (arrays by shape and value, NaN equal to NaN),
a hash that agrees with it, and a one-line repr with the arrays shortened
by NumPy's print options.
"""

from __future__ import annotations

import dataclasses

import numpy as np

__all__ = ["ArrayResult"]


def _same(a, b):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        if a.shape != b.shape:
            return False
        try:
            return bool(np.array_equal(a, b, equal_nan=True))
        except TypeError:  # a dtype that NaN cannot be looked for in
            return bool(np.array_equal(a, b))
    return bool(a == b)


def _hashable(value):
    if isinstance(value, np.ndarray):
        return (value.shape, value.tobytes())
    return value


class ArrayResult:
    """Equality, hash and repr for a frozen dataclass whose fields may be arrays.

    Decorate the subclass with ``@dataclass(frozen=True, eq=False, repr=False)``
    so that the dataclass keeps these.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True, eq=False, repr=False)
    ... class Result(ArrayResult):
    ...     k: int
    ...     heights: np.ndarray
    >>> a, b = Result(2, np.array([3.0, 1.5])), Result(2, np.array([3.0, 1.5]))
    >>> a == b, a == Result(2, np.array([3.0])), hash(a) == hash(b)
    (True, False, True)
    >>> a
    Result(k=2, heights=[3. , 1.5])
    """

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(_same(getattr(self, f.name), getattr(other, f.name)) for f in dataclasses.fields(self))

    def __hash__(self):
        return hash((type(self).__name__,) + tuple(_hashable(getattr(self, f.name))
                                                   for f in dataclasses.fields(self)))

    def __repr__(self):
        parts = []
        for field in dataclasses.fields(self):
            value = getattr(self, field.name)
            if isinstance(value, np.ndarray):
                text = np.array2string(value, separator=", ", threshold=8, edgeitems=3,
                                       max_line_width=10**6)
            else:
                text = repr(value)
            parts.append(f"{field.name}={text}")
        return f"{type(self).__name__}({', '.join(parts)})"
