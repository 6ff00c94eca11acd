"""helpers.spark: the Java that Spark runs on, the session's settings, and a real local session.

Most tests need neither Spark nor Java: they check how the helper finds and
judges Java, which settings it gives a session, and what it refuses before
it starts anything. The tests at the end start one real local session
(from a few seconds to a minute) and check what the helper promises: the
workers run this Python, the session stays on 127.0.0.1, Spark's messages
go to the log and not to the output, and a second call returns the same
session. They skip where the ``spark`` extra or Java is missing, and fail
instead under CI, where ``make test`` installs both.
"""

import os
import subprocess
import sys

import numpy as np
import pytest
from scipy.cluster.vq import vq

from helpers import spark
from helpers.spark import Java, find_java, java_problem, scratch_folder, session_settings, spark_session

# -- find_java: the Java that Spark's launcher would run ------------------------------


@pytest.mark.parametrize("text, major", [
    ('openjdk version "17.0.15" 2025-04-15', 17),
    ('java version "1.8.0_392"', 8),
    ('openjdk version "21-ea" 2023-09-19', 21),
    ('openjdk version "25" 2025-09-16', 25),
    ('Picked up JAVA_TOOL_OPTIONS: -Xmx1g\nopenjdk version "11.0.2" 2019-01-15', 11),
    ("Error: could not find libjava.so", None),
])
def test_every_form_of_java_version_gives_its_major_version(text, major):
    assert spark._java_major(text) == major


def a_java(folder, says):
    """An executable `java` in `folder` that prints `says` to standard error, as java -version does."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "java"
    path.write_text(f"#!/bin/sh\necho '{says}' >&2\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def no_java_home(monkeypatch):
    monkeypatch.delenv("JAVA_HOME", raising=False)


def test_the_java_on_the_path_is_found_with_its_version(tmp_path, monkeypatch, no_java_home):
    java = a_java(tmp_path / "bin", 'openjdk version "21.0.1" 2023-10-17')
    monkeypatch.setenv("PATH", str(java.parent))
    assert find_java() == Java(str(java), 21)


def test_java_home_wins_over_the_path(tmp_path, monkeypatch):
    on_path = a_java(tmp_path / "bin", 'openjdk version "21.0.1" 2023-10-17')
    home = a_java(tmp_path / "jdk8" / "bin", 'java version "1.8.0_392"')
    monkeypatch.setenv("PATH", str(on_path.parent))
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "jdk8"))
    assert find_java() == Java(str(home), 8)


def test_a_java_home_without_java_is_no_java(tmp_path, monkeypatch):
    a_java(tmp_path / "bin", 'openjdk version "21.0.1" 2023-10-17')
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.setenv("JAVA_HOME", str(tmp_path / "empty"))
    assert find_java() is None


def test_no_java_on_the_path_is_no_java(tmp_path, monkeypatch, no_java_home):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_java() is None


def test_a_java_that_cannot_start_is_no_java(tmp_path, monkeypatch, no_java_home):
    broken = tmp_path / "java"
    broken.write_text("#!/no/such/interpreter\n")
    broken.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_java() is None


def test_a_java_that_says_no_version_is_found_without_one(tmp_path, monkeypatch, no_java_home):
    java = a_java(tmp_path, "Error: could not find libjava.so")
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_java() == Java(str(java), None)


# -- java_problem: what stops Spark, and how to put it right ---------------------------


@pytest.mark.parametrize("java, words", [
    (None, "there is no java on the PATH"),
    (Java("/usr/bin/java", 11), "/usr/bin/java is Java 11"),
    (Java("/usr/bin/java", 8), "/usr/bin/java is Java 8"),
    (Java("/usr/bin/java", None), "/usr/bin/java does not say its version"),
])
def test_a_missing_old_or_unreadable_java_is_a_problem_that_says_how_to_install(java, words, no_java_home):
    problem = java_problem(java)
    assert problem.startswith("Spark needs Java 17 or newer")
    assert words in problem
    assert "sudo apt-get install default-jre-headless" in problem and "JAVA_HOME" in problem


def test_with_java_home_set_the_problem_names_it(monkeypatch):
    monkeypatch.setenv("JAVA_HOME", "/opt/nothing")
    assert "there is no JAVA_HOME's bin/java" in java_problem(None)


@pytest.mark.parametrize("version", [17, 21, 25])
def test_java_17_and_newer_is_no_problem(version):
    assert java_problem(Java("/usr/bin/java", version)) is None


def test_python_dash_m_helpers_spark_says_ok_or_fail_for_java(monkeypatch, capsys):
    monkeypatch.setattr(spark, "find_java", lambda: Java("/usr/bin/java", 21))
    assert spark._main() == 0
    assert capsys.readouterr().out == "OK    java 21 (/usr/bin/java; Spark needs 17 or newer)\n"
    monkeypatch.setattr(spark, "find_java", lambda: None)
    assert spark._main() == 1
    assert capsys.readouterr().out.startswith("FAIL  java: Spark needs Java 17 or newer")


# -- session_settings: what a session starts with ---------------------------------------


def test_a_local_session_stays_on_loopback_and_opens_no_web_page():
    settings = session_settings("local[2]", app_name="chapter")
    assert settings == {
        "spark.master": "local[2]",
        "spark.app.name": "chapter",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.ui.enabled": "false",
    }


@pytest.mark.parametrize("master", ["spark://head-node:7077", "yarn", "k8s://https://kubernetes-api:443"])
def test_on_a_cluster_the_network_and_the_web_page_are_the_clusters(master):
    settings = session_settings(master)
    assert settings["spark.master"] == master
    assert not {"spark.driver.host", "spark.driver.bindAddress", "spark.ui.enabled"} & set(settings)


def test_the_callers_settings_win_and_are_written_as_spark_reads_them():
    settings = session_settings("local[*]", config={"spark.ui.enabled": True, "spark.driver.memory": "2g",
                                                    "spark.sql.shuffle.partitions": 4})
    assert settings["spark.ui.enabled"] == "true"
    assert settings["spark.driver.memory"] == "2g"
    assert settings["spark.sql.shuffle.partitions"] == "4"


@pytest.mark.parametrize("master", ["local", "local[1]", "local[16]", "local[*]", "local[4,2]",
                                    "spark://10.0.0.1:7077", "yarn", "k8s://https://host:443", "sc://host:15002"])
def test_every_kind_of_master_url_is_accepted(master):
    assert session_settings(master)["spark.master"] == master


@pytest.mark.parametrize("master, error, words", [
    (2, TypeError, "master must be a master URL, a str such as 'local\\[2\\]'; got 2 of type int"),
    (None, TypeError, "got None of type NoneType"),
    ("", ValueError, "master must be a Spark master URL"),
    ("locale", ValueError, "got 'locale'"),
    ("local[two]", ValueError, "'local\\[\\*\\]' \\(every core\\)"),
    ("local[2", ValueError, "got 'local\\[2'"),
    ("spark://", ValueError, "'spark://HOST:7077' \\(a standalone cluster\\)"),
    ("mesos://host:5050", ValueError, "'sc://HOST:15002' \\(a Spark Connect server\\)"),
])
def test_a_bad_master_is_refused_with_the_forms_it_may_take(master, error, words):
    with pytest.raises(error, match=words):
        session_settings(master)


@pytest.mark.parametrize("arguments, words", [
    ({"app_name": 3}, "app_name must be a str; got int"),
    ({"config": [("spark.driver.memory", "2g")]}, "config must be a dict of Spark settings.*got list"),
])
def test_a_bad_app_name_or_config_is_refused(arguments, words):
    with pytest.raises(TypeError, match=words):
        session_settings("local[2]", **arguments)


# -- spark_session: what it refuses before starting anything ----------------------------


def test_a_bad_master_is_refused_before_pyspark_is_imported(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # importing it would fail
    with pytest.raises(ValueError, match="master must be a Spark master URL"):
        spark_session("locale")


def test_a_log_that_is_not_a_file_name_is_refused(monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(TypeError, match="log must be a file name \\(a str or a path\\); got int"):
        spark_session(log=3)


def test_without_pyspark_it_says_what_to_install(monkeypatch):
    monkeypatch.setattr(spark.sys, "version_info", (3, 11, 0))  # on 3.10 it would say that first
    monkeypatch.setitem(sys.modules, "pyspark", None)
    words = 'Spark is not installed here .*: make spark, or pip install -e ".\\[spark\\]"'
    with pytest.raises(ImportError, match=words):
        spark_session()


def test_on_a_python_older_than_3_11_it_says_so(monkeypatch):
    monkeypatch.setattr(spark.sys, "version_info", (3, 10, 14))
    with pytest.raises(ImportError, match="chapter 13 needs Python 3.11 or newer .*this is Python 3.10"):
        spark_session()


def test_pandas_3_is_refused_before_spark_starts(monkeypatch):
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    pytest.importorskip("pyspark")
    monkeypatch.setattr(pandas, "__version__", "3.0.1")
    words = "fail with pandas 3.0.1: install pandas 2 \\(pip install 'pandas>=2.2,<3'\\)"
    with pytest.raises(ImportError, match=words):
        spark_session()


def test_without_java_it_says_how_to_install_java(monkeypatch, no_java_home):
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
    from pyspark.sql import SparkSession

    if SparkSession.getActiveSession() is not None:
        pytest.skip("a Spark session is running in this process")
    monkeypatch.setattr(spark, "find_java", lambda: None)
    with pytest.raises(RuntimeError, match="Spark needs Java 17 or newer, and there is no java on the PATH"):
        spark_session()


# -- A real local session ----------------------------------------------------------------


def need_spark():
    """Skip (fail under CI) unless pyspark, pandas 2, pyarrow and Java are all here.

    On Python 3.10 the ``spark`` extra installs nothing (pyspark 4.3 needs 3.11),
    so the tests skip there, under CI too.
    """
    if sys.version_info < (3, 11):
        pytest.skip("Spark test skipped: pyspark 4.3 needs Python 3.11 or newer")
    try:
        spark._import_pyspark()
        problem = java_problem(find_java())
    except ImportError as error:
        problem = str(error)
    if problem is None:
        return
    if os.environ.get("CI"):
        pytest.fail(f"the Spark tests must run under CI, but {problem}")
    pytest.skip(f"Spark test skipped: {problem}")


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    need_spark()
    log = tmp_path_factory.mktemp("spark") / "spark.log"
    started = spark_session("local[1]", app_name="helpers-test", log=log)
    started.test_log = log
    yield started
    started.stop()


def test_a_local_session_runs_this_python_on_loopback(session):
    assert os.environ["PYSPARK_PYTHON"] == sys.executable
    assert session.conf.get("spark.master") == "local[1]"
    assert session.conf.get("spark.app.name") == "helpers-test"
    assert session.conf.get("spark.driver.host") == "127.0.0.1"
    assert session.conf.get("spark.ui.enabled") == "false"


def test_map_in_pandas_labels_rows_with_an_integer_column_as_numpy_does(session):
    from pyspark.sql.types import IntegerType

    rng = np.random.default_rng(0)
    points, centres = rng.normal(size=(500, 2)), rng.normal(size=(3, 2))
    import pandas as pd

    frame = session.createDataFrame(pd.DataFrame({"id": np.arange(500), "x": points[:, 0], "y": points[:, 1]}))

    def label(batches):
        for batch in batches:
            nearest, _ = vq(batch[["x", "y"]].to_numpy(), centres)
            yield batch[["id"]].assign(cluster=nearest.astype(np.int32), python=sys.executable)

    schema = frame.select("id").schema.add("cluster", IntegerType()).add("python", "string")
    result = frame.mapInPandas(label, schema).toPandas().sort_values("id")
    assert np.array_equal(result["cluster"], vq(points, centres)[0])
    assert set(result["python"]) == {sys.executable}  # the workers run this Python


def test_a_type_name_alone_is_refused_by_struct_type_add_as_the_chapter_says(session):
    # The reason chapter 13 writes IntegerType(): if this starts to pass, pyspark
    # has fixed it, and the chapter and the helper's notes can say "int" again.
    from pyspark.errors import PySparkValueError
    from pyspark.sql.types import StructType

    with pytest.raises(PySparkValueError, match="CANNOT_PARSE_DATATYPE"):
        StructType().add("cluster", "int")


def test_what_spark_and_its_workers_print_goes_to_the_log_not_to_the_output(session, capfd):
    def shout(batches):
        for batch in batches:
            print("a message from a Python worker", file=sys.stderr, flush=True)
            yield batch

    assert session.range(3).mapInPandas(shout, "id long").count() == 3
    captured = capfd.readouterr()
    assert "a message from a Python worker" not in captured.out + captured.err
    assert "a message from a Python worker" in session.test_log.read_text()


def test_asking_again_returns_the_running_session_and_another_master_is_refused(session):
    assert spark_session("local[1]") is session
    with pytest.raises(RuntimeError, match="a Spark session with master 'local\\[1\\]' is already running"):
        spark_session("local[2]")


def test_python_dash_m_helpers_spark_runs_from_a_terminal():
    result = subprocess.run([sys.executable, "-m", "helpers.spark"], capture_output=True, text=True)
    assert result.returncode in (0, 1)
    assert result.stdout.startswith(("OK    java ", "FAIL  java: "))


def test_a_scratch_folder_is_new_empty_and_left_for_spark_to_delete(session):
    folder = scratch_folder(session, prefix="test-scratch-")
    assert folder.is_dir() and folder.name.startswith("test-scratch-") and not any(folder.iterdir())
    jvm = session.sparkContext._jvm
    assert jvm.org.apache.spark.util.ShutdownHookManager.hasShutdownDeleteDir(jvm.java.io.File(str(folder)))
    assert scratch_folder(session) != folder


class NotLocal:
    """Enough of a session on a cluster for scratch_folder to refuse it."""

    sparkContext = None

    class conf:
        @staticmethod
        def get(key):
            return "spark://head-node:7077"


@pytest.mark.parametrize("spark, prefix, error, words", [
    ("local[2]", "x", TypeError, "spark must be a Spark session, from spark_session\\(\\); got str"),
    (NotLocal(), 3, TypeError, "prefix must be a str; got int"),
    (NotLocal(), "x", ValueError, "serves only a local session, and this one runs on 'spark://head-node:7077'"),
])
def test_a_scratch_folder_is_refused_without_a_local_session(spark, prefix, error, words):
    with pytest.raises(error, match=words):
        scratch_folder(spark, prefix=prefix)
