"""Shared fixtures for the course's tests (the Agg backend is chosen in the root conftest.py)."""

import matplotlib.pyplot as plt
import pytest
from scipy.cluster.hierarchy import linkage

from browser import browser  # noqa: F401  (the headless Chromium fixture, for every test module)
from helpers.data import five_clusters, two_clusters


@pytest.fixture(scope="session")
def X():
    return two_clusters()


@pytest.fixture(scope="session")
def Z(X):
    return linkage(X, "ward")


@pytest.fixture(scope="session")
def X2():
    return five_clusters()


@pytest.fixture(scope="session")
def Z2(X2):
    return linkage(X2, "ward")


@pytest.fixture
def ax():
    fig, ax = plt.subplots()
    yield ax
    plt.close(fig)


@pytest.fixture
def two_axes():
    """Two axes, the second current: a helper given the first must not touch the second."""
    fig, (ax, other) = plt.subplots(1, 2)
    plt.sca(other)
    yield ax, other
    assert plt.gca() is other
    assert not other.collections and not other.lines and not other.texts
    assert other.get_legend() is None and not other.get_title()
    plt.close(fig)
