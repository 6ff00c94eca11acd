"""Shared fixtures and settings for the course's tests."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from scipy.cluster.hierarchy import linkage  # noqa: E402

from helpers.data import five_clusters, two_clusters  # noqa: E402


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
