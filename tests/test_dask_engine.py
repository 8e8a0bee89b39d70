"""`sco-graph build --engine dask`: a build on a Dask cluster is the local build.

The corpus (with an unreadable file and a link out of the folder among it) is
built on a local cluster of two single-threaded worker processes and in this
process, and the two graph.trig compared byte for byte; these tests need the
model (slow). The errors of an engine that cannot be used need none.
"""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import dask
import pytest
from click.testing import CliRunner
from conftest import CORPUS
from distributed import Client, LocalCluster

import sco_graph
from sco_graph import dask_engine
from sco_graph.cli import main
from sco_graph.dask_engine import LOOPBACK_ANY_PORT, dask_extractions
from sco_graph.errors import EngineError, ModelNotFoundError
from sco_graph.graph.store import CANONICAL_FILE
from sco_graph.nlp import model
from sco_graph.pipeline import build

UNREADABLE = "002a_binary.txt"  # sorts among the corpus files: its problem keeps its place


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=LOOPBACK_ANY_PORT) as cluster:
        yield cluster


@pytest.fixture(scope="module")
def client(cluster):
    with Client(cluster, set_as_default=False) as client:
        yield client


@pytest.fixture
def texts(tmp_path: Path) -> Path:
    folder = tmp_path / "texts"
    shutil.copytree(CORPUS, folder)
    (folder / UNREADABLE).write_bytes(b"\x00\x01\x02\x89PNG\x00\x00")
    (tmp_path / "outside.txt").write_text("Text outside the folder.\n")
    (folder / "003a_link.txt").symlink_to(tmp_path / "outside.txt")
    return folder


@pytest.mark.slow
def test_the_corpus_built_on_a_cluster_is_the_local_build(
    texts, tmp_path, cluster, client, monkeypatch,
):
    # one input a task: more tasks than the cluster may hold at once, all taken in order
    monkeypatch.setattr(dask_engine, "CHUNK_FILES", 1)
    local = build([texts], tmp_path / "local")
    on_cluster = build([texts], tmp_path / "dask", engine="dask",
                       scheduler=cluster.scheduler_address)

    trig = (tmp_path / "dask" / CANONICAL_FILE).read_bytes()
    assert trig == (tmp_path / "local" / CANONICAL_FILE).read_bytes()
    assert (on_cluster.articles, on_cluster.sources, on_cluster.skipped) == (13, 5, 1)
    assert on_cluster.problems == local.problems
    # a folder's links are named as it is listed, before its files are read
    assert [(Path(p.path).name, p.fatal) for p in on_cluster.problems] == [
        ("003a_link.txt", False), (UNREADABLE, True),
    ]
    # the workers ran this tree's code, and each loaded the model once
    assert set(client.run(lambda: sco_graph.__file__).values()) == {sco_graph.__file__}
    assert max(client.run(lambda: model._load.cache_info().misses).values()) == 1


@pytest.mark.slow
def test_the_cli_builds_files_and_stdin_on_a_cluster(tmp_path, cluster):
    first, second = sorted(CORPUS.glob("*.txt"))[:2]
    runs = {}
    for engine in ("local", "dask"):
        options = ["--engine", engine]
        if engine == "dask":
            options += ["--scheduler", cluster.scheduler_address]
        result = CliRunner().invoke(
            main, ["build", str(first), "-", "--out", str(tmp_path / engine), *options],
            input=second.read_bytes(),
        )
        assert result.exit_code == 0, result.output
        runs[engine] = result.output.replace(str(tmp_path / engine), "OUT")
    assert runs["dask"] == runs["local"]
    assert "from 2 files" in runs["dask"]
    assert ((tmp_path / "dask" / CANONICAL_FILE).read_bytes()
            == (tmp_path / "local" / CANONICAL_FILE).read_bytes())


@pytest.mark.slow
def test_an_error_on_a_worker_is_raised_in_the_driver_as_itself(cluster):
    with pytest.raises(ModelNotFoundError, match="'no_such_pipeline' is not installed"):
        list(dask_extractions([CORPUS], glob="*.txt", model="no_such_pipeline",
                              follow_symlinks=False, scheduler=cluster.scheduler_address,
                              problems=[], sources=[]))


@pytest.mark.slow
def test_without_a_scheduler_a_local_cluster_of_one_thread_per_worker_is_started():
    with dask_engine._client(None) as started:
        threads = started.nthreads()
        assert threads and set(threads.values()) == {1}
    assert started.status == "closed"


def test_an_unreachable_scheduler_is_an_engine_error(tmp_path):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{probe.getsockname()[1]}"
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        result = CliRunner().invoke(main, ["build", str(CORPUS), "--out", str(tmp_path / "o"),
                                           "--engine", "dask", "--scheduler", address])
    assert result.exit_code == EngineError.exit_code == 11
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: Dask scheduler {address}: cannot be reached (")
    assert line.endswith("); start one there with 'dask scheduler' and give the address it "
                         "prints (tcp://HOST:8786)")
    assert not (tmp_path / "o").exists()


def test_a_scheduler_is_only_for_the_dask_engine(tmp_path):
    result = CliRunner().invoke(main, ["build", str(CORPUS), "--out", str(tmp_path / "o"),
                                       "--scheduler", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --scheduler is the address of a Dask scheduler: add --engine dask")


def test_workers_are_for_the_local_engine(tmp_path):
    result = CliRunner().invoke(main, ["build", str(CORPUS), "--out", str(tmp_path / "o"),
                                       "--engine", "dask", "--workers", "2"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: --workers is for the local engine: a Dask cluster has its own workers")


def test_a_scheduler_without_workers_is_an_engine_error(monkeypatch):
    monkeypatch.setattr(dask_engine, "WORKERS_TIMEOUT", 0.2)
    with LocalCluster(n_workers=0, processes=False,
                      dashboard_address=LOOPBACK_ANY_PORT) as empty:
        address = empty.scheduler_address
        with pytest.raises(EngineError) as raised:
            list(dask_extractions([CORPUS], glob="*.txt", model=None, follow_symlinks=False,
                                  scheduler=address, problems=[], sources=[]))
    assert str(raised.value) == (
        f"Dask scheduler {address}: no worker joined it in 0.2 s; start workers with "
        f"'dask worker {address}' (sco-graph and its model installed)")


@pytest.mark.parametrize(("engine", "scheduler", "message"), [
    ("spark", None, "unknown engine 'spark': choose one of local, dask"),
    ("local", "tcp://127.0.0.1:8786",
     "a scheduler (tcp://127.0.0.1:8786) is for the dask engine, not 'local'"),
])
def test_the_library_refuses_an_engine_it_does_not_have(tmp_path, engine, scheduler, message):
    with pytest.raises(EngineError) as raised:
        build([CORPUS], tmp_path / "o", engine=engine, scheduler=scheduler)
    assert str(raised.value) == message
    assert not (tmp_path / "o").exists()
