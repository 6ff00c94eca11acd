"""Apache Spark for chapter 13: a session with the course's settings, and the Java it needs.

Spark is optional: the ``spark`` extra installs it (``make spark``, or
``pip install -e ".[spark]"``), and Spark itself runs on Java, which pip
cannot install. This module imports nothing but the standard library until
a session is asked for, so that the rest of the course, and
``python -m helpers``, work without Spark; ``python -m helpers.spark`` says
whether Java is there.

Starting Spark from a notebook trips over a few things that have nothing to
do with clustering. :func:`spark_session` handles them, so that the chapter
can start with the clustering:

- **Which Python runs your functions.** Spark starts Python worker
  processes to run the functions you give it (``mapInPandas``), with the
  interpreter named by ``PYSPARK_PYTHON``, or else with ``python3`` from the
  ``PATH``, which may be another Python without NumPy or SciPy. For a local
  session it sets ``PYSPARK_PYTHON`` to the notebook's own interpreter.
- **pandas 3.** pyspark 4.3's pandas functions fail with pandas 3; the
  ``spark`` extra asks for pandas 2, and the session refuses to start with
  pandas 3 rather than fail later in a worker.
- **The network.** A local session talks to itself over the loopback
  address, 127.0.0.1, and shows no web page, so that nothing depends on the
  machine's network name and nothing listens beyond the machine.
- **The noise.** Spark's Java side writes its start-up messages and
  warnings to its own output, which Jupyter would show in whichever cell runs
  at the time. They go to a log file instead (the session's ``log``).

One more belongs to the code you write, not to the session: a column's type
in a schema is written as a type object, ``IntegerType()``, or in a full
schema string (``"id long, cluster int"``): ``StructType.add("cluster",
"int")`` fails in pyspark 4.3 (it cannot parse the name on its own). The
chapter does so.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import NamedTuple

__all__ = ["MINIMUM_JAVA", "Java", "find_java", "java_problem", "session_settings", "spark_session",
           "scratch_folder"]

#: The oldest Java that Spark 4 runs on.
MINIMUM_JAVA = 17

#: How to install what Spark needs from pip, said by every message that asks for it.
INSTALL_SPARK = 'make spark, or pip install -e ".[spark]" from the course folder'

#: How to install Java, said by every message that asks for it.
INSTALL_JAVA = (
    f"install Java {MINIMUM_JAVA} or newer (Debian and Ubuntu: sudo apt-get install "
    f"default-jre-headless; macOS: brew install openjdk@{MINIMUM_JAVA}; Windows: "
    f"an OpenJDK {MINIMUM_JAVA} installer, such as Eclipse Temurin's), or set JAVA_HOME to "
    f"the folder of one"
)

#: A master URL for one machine: ``local``, ``local[4]``, ``local[*]`` (with
#: retries: ``local[4,2]``).
_LOCAL = re.compile(r"local(\[(\d+|\*)(,\d+)?\])?")
#: The cluster managers Spark 4 knows, and Spark Connect (``sc://``).
_REMOTE = re.compile(r"(spark|k8s|sc)://\S+|yarn")


class Java(NamedTuple):
    """A Java found on this machine: its path and its major version (None if unreadable)."""

    path: str
    version: int | None


def find_java():
    """The Java that Spark would start, and its major version.

    Spark's launcher runs ``$JAVA_HOME/bin/java`` when ``JAVA_HOME`` is set,
    and else the ``java`` on the ``PATH``; so does this function.

    Returns
    -------
    Java or None
        ``Java(path, version)``, with the major version as an int (17 for
        "17.0.15", 8 for "1.8.0_392"; None if ``java -version`` could not be
        read), or None when there is no Java to run.

    See Also
    --------
    java_problem : what is wrong with it for Spark, if anything.

    Examples
    --------
    >>> java = find_java()
    >>> java is None or java.version is None or java.version >= 1
    True
    """
    home = os.environ.get("JAVA_HOME")
    if home:
        path = Path(home) / "bin" / ("java.exe" if os.name == "nt" else "java")
        path = str(path) if path.is_file() else None
    else:
        path = shutil.which("java")
    if path is None:
        return None
    try:
        result = subprocess.run([path, "-version"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return Java(path, _java_major(result.stderr + result.stdout))


def _java_major(text):
    """The major version in the output of ``java -version``, or None."""
    match = re.search(r'version "(\d+)(?:\.(\d+))?', text)
    if match is None:
        return None
    major = int(match.group(1))
    if major == 1 and match.group(2) is not None:  # "1.8.0_392" is Java 8
        major = int(match.group(2))
    return major


def java_problem(java):
    """What stops Spark from running on `java` (from :func:`find_java`), or None.

    Parameters
    ----------
    java : Java or None
        What :func:`find_java` returned.

    Returns
    -------
    str or None
        A sentence that says what is wrong and how to put it right, or None
        when Spark can run on it.

    Examples
    --------
    >>> print(java_problem(Java("/usr/bin/java", 8)))  # doctest: +ELLIPSIS
    Spark needs Java 17 or newer, and /usr/bin/java is Java 8: install Java 17 or newer (...
    >>> java_problem(Java("/usr/bin/java", 21)) is None
    True
    """
    where = "JAVA_HOME's bin/java" if os.environ.get("JAVA_HOME") else "java on the PATH"
    if java is None:
        return f"Spark needs Java {MINIMUM_JAVA} or newer, and there is no {where}: {INSTALL_JAVA}."
    if java.version is None:
        return (f"Spark needs Java {MINIMUM_JAVA} or newer, and {java.path} does not say its version "
                f"(java -version): {INSTALL_JAVA}.")
    if java.version < MINIMUM_JAVA:
        return (f"Spark needs Java {MINIMUM_JAVA} or newer, and {java.path} is Java {java.version}: "
                f"{INSTALL_JAVA}.")
    return None


def _check_master(master):
    if not isinstance(master, str):
        raise TypeError(f"master must be a master URL, a str such as 'local[2]'; "
                        f"got {master!r} of type {type(master).__name__}.")
    if not (_LOCAL.fullmatch(master) or _REMOTE.fullmatch(master)):
        raise ValueError(
            f"master must be a Spark master URL: 'local[2]' (this computer, two cores), 'local[*]' "
            f"(every core), 'spark://HOST:7077' (a standalone cluster), 'yarn', 'k8s://https://HOST:443', "
            f"or 'sc://HOST:15002' (a Spark Connect server); got {master!r}.")
    return master


def session_settings(master="local[2]", app_name="dendrogram-course", config=None):
    """The Spark settings :func:`spark_session` starts a session with.

    Parameters
    ----------
    master : str, default 'local[2]'
        Where Spark runs: ``'local[N]'`` on this computer with N cores
        (``'local[*]'``: all of them), or a cluster's master URL
        (``'spark://HOST:7077'``, ``'yarn'``, ``'k8s://https://HOST:443'``).
    app_name : str, default 'dendrogram-course'
        The application's name, as a cluster's web pages list it.
    config : dict, optional
        More Spark settings (``{"spark.driver.memory": "2g"}``); they win
        over the course's own.

    Returns
    -------
    dict
        Setting name to value, both str. A local session listens on
        127.0.0.1 only and starts no web page (``spark.ui.enabled``); on a
        cluster, the workers must reach the driver, so the course sets
        neither.

    Raises
    ------
    TypeError
        If `master` or `app_name` is not a str, or `config` not a dict.
    ValueError
        If `master` is not a master URL.

    Examples
    --------
    >>> settings = session_settings("local[2]")
    >>> settings["spark.master"], settings["spark.driver.host"], settings["spark.ui.enabled"]
    ('local[2]', '127.0.0.1', 'false')
    >>> "spark.driver.host" in session_settings("spark://head-node:7077")
    False
    """
    _check_master(master)
    if not isinstance(app_name, str):
        raise TypeError(f"app_name must be a str; got {type(app_name).__name__}.")
    if config is not None and not isinstance(config, dict):
        raise TypeError(f"config must be a dict of Spark settings, such as "
                        f"{{'spark.driver.memory': '2g'}}; got {type(config).__name__}.")
    settings = {"spark.master": master, "spark.app.name": app_name,
                # Spark's progress bars would go to the log file anyway.
                "spark.ui.showConsoleProgress": "false"}
    if _LOCAL.fullmatch(master):
        settings.update({
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.ui.enabled": "false",
        })
    for key, value in (config or {}).items():
        settings[str(key)] = str(value).lower() if isinstance(value, bool) else str(value)
    return settings


def _import_pyspark():
    """pyspark, with pandas 2 and pyarrow checked; ImportError saying what to install otherwise."""
    if sys.version_info < (3, 11):
        raise ImportError(f"chapter 13 needs Python 3.11 or newer (pyspark 4.3 does); this is Python "
                          f"{sys.version_info[0]}.{sys.version_info[1]}.")
    try:
        import pandas
        import pyarrow  # noqa: F401  (pyspark's pandas functions need it)
        import pyspark
    except ImportError as error:
        raise ImportError(f"Spark is not installed here ({error}): {INSTALL_SPARK}.") from error
    if int(pandas.__version__.split(".")[0]) >= 3:
        raise ImportError(f"pyspark's pandas functions (mapInPandas) fail with pandas {pandas.__version__}: "
                          f"install pandas 2 (pip install 'pandas>=2.2,<3'), or {INSTALL_SPARK}.")
    return pyspark


def default_log():
    """The log file of this process's Spark session: ``spark-PID.log`` in the temporary folder."""
    return Path(tempfile.gettempdir()) / f"spark-{os.getpid()}.log"


def spark_session(master="local[2]", app_name="dendrogram-course", config=None, log=None):
    """Start a Spark session, or return the one this Python already runs.

    The one line of a notebook that changes between this computer and a
    cluster: ``spark_session("local[2]")`` runs Spark here, on two cores;
    ``spark_session("spark://HOST:7077")`` runs the same code on a cluster,
    and ``spark_session("sc://HOST:15002")`` on a Spark Connect server.

    Parameters
    ----------
    master : str, default 'local[2]'
        Where Spark runs (see :func:`session_settings`), or ``'sc://HOST:PORT'``
        for a Spark Connect server (which needs ``pip install "pyspark[connect]"``).
    app_name : str, default 'dendrogram-course'
        The application's name.
    config : dict, optional
        More Spark settings, which win over the course's own.
    log : str or path, optional
        The file that receives what Spark's Java side prints (start-up
        messages, warnings); default :func:`default_log`.

    Returns
    -------
    pyspark.sql.SparkSession

    Raises
    ------
    TypeError, ValueError
        If `master` is not a master URL, or another argument has the wrong type.
    ImportError
        If pyspark, pandas 2 or pyarrow is missing, or pandas is 3 or newer.
    RuntimeError
        If there is no Java 17 or newer to run Spark on, or if a session
        with another master is already running (stop it first:
        ``spark.stop()``).

    See Also
    --------
    session_settings : the settings the session starts with.

    Notes
    -----
    A local session sets ``PYSPARK_PYTHON`` to this interpreter (the one
    whose packages your functions need), so that Spark's Python workers run
    it; on a cluster, the workers' Python is the cluster's to set. Only one
    session runs per Python process: calling this again returns it.

    Examples
    --------
    Starting Spark takes from a few seconds to a minute:

    >>> spark = spark_session()  # doctest: +SKIP
    >>> spark.range(5).count()  # doctest: +SKIP
    5
    >>> spark.stop()  # doctest: +SKIP
    """
    settings = session_settings(master, app_name, config)
    if log is not None and not isinstance(log, (str, os.PathLike)):
        raise TypeError(f"log must be a file name (a str or a path); got {type(log).__name__}.")
    pyspark = _import_pyspark()
    from pyspark.sql import SparkSession

    if master.startswith("sc://"):
        return _connect(SparkSession, master, settings)
    active = SparkSession.getActiveSession()
    if active is not None:
        running = active.conf.get("spark.master")
        if running != master:
            raise RuntimeError(f"a Spark session with master {running!r} is already running in this "
                               f"Python; stop it first (spark.stop()) to start one with {master!r}.")
        return active
    problem = java_problem(find_java())
    if problem:
        raise RuntimeError(problem)
    if _LOCAL.fullmatch(master):
        os.environ["PYSPARK_PYTHON"] = sys.executable
        # Read by Spark's Java side: no warning about the machine's network name.
        os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    from pyspark.java_gateway import launch_gateway

    conf = pyspark.SparkConf().setAll(list(settings.items()))
    log = Path(log) if log is not None else default_log()
    with open(log, "a") as output:
        # Spark's Java process keeps its own copy of the file's descriptor.
        gateway = launch_gateway(conf, popen_kwargs={"stdout": output, "stderr": subprocess.STDOUT})
    context = pyspark.SparkContext(conf=conf, gateway=gateway)
    return SparkSession(context)


def scratch_folder(spark, prefix="spark-scratch-"):
    """A new, empty temporary folder on this computer, which Spark deletes when it ends.

    For the files a local session reads and writes (data, saved models).
    Spark's Java process deletes the folder when it exits, which it does when
    the Python that started it ends, however that ends: a notebook's kernel
    that is shut down is often stopped before Python can clean up after
    itself (a ``tempfile.TemporaryDirectory`` would stay behind).

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
        A local session, from :func:`spark_session`.
    prefix : str, default 'spark-scratch-'
        The start of the folder's name.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    TypeError
        If `spark` is not a Spark session, or `prefix` not a str.
    ValueError
        If the session is not local: on a cluster, the executors cannot
        read a folder of this computer, and data belong in shared storage
        (``hdfs://...``, ``s3a://...``).

    Examples
    --------
    >>> folder = scratch_folder(spark_session())  # doctest: +SKIP
    >>> folder.is_dir(), list(folder.iterdir())  # doctest: +SKIP
    (True, [])
    """
    if not (hasattr(spark, "conf") and hasattr(spark, "sparkContext")):
        raise TypeError(f"spark must be a Spark session, from spark_session(); got {type(spark).__name__}.")
    if not isinstance(prefix, str):
        raise TypeError(f"prefix must be a str; got {type(prefix).__name__}.")
    master = spark.conf.get("spark.master")
    if not _LOCAL.fullmatch(master):
        raise ValueError(f"a scratch folder on this computer serves only a local session, and this one runs "
                         f"on {master!r}: keep the data in storage that every executor reads "
                         f"(hdfs://..., s3a://...).")
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    jvm = spark.sparkContext._jvm
    jvm.org.apache.spark.util.ShutdownHookManager.registerShutdownDeleteDir(jvm.java.io.File(str(folder)))
    return folder


def _connect(SparkSession, master, settings):
    """A Spark Connect session (the server has its own settings; the application's name is passed on)."""
    try:
        return SparkSession.builder.remote(master).appName(settings["spark.app.name"]).getOrCreate()
    except ImportError as error:
        raise ImportError(f"Spark Connect needs more packages ({error}): "
                          f'pip install "pyspark[connect]".') from error


def _main():
    """``python -m helpers.spark``: OK or FAIL for the Java that Spark would run on."""
    java = find_java()
    problem = java_problem(java)
    if problem:
        print(f"FAIL  java: {problem}")
        return 1
    print(f"OK    java {java.version} ({java.path}; Spark needs {MINIMUM_JAVA} or newer)")
    return 0


if __name__ == "__main__":
    sys.exit(_main())
