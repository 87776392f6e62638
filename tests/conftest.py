"""Shared fixtures: offline flags, the real data folder, throwaway libraries."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = (REPO / ".." / "shared" / "data").resolve()
SEED_REPORT = (REPO / ".." / "shared" / "seed" / "000_fea3552473fb1e67.txt").resolve()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture()
def library_dir(tmp_path: Path) -> Path:
    return tmp_path / "library"


@pytest.fixture(scope="session")
def papers_library(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library directory with the real papers of ../shared/data/papers ingested (once a session)."""
    from synth.calibration_data import library_from_papers

    directory = tmp_path_factory.mktemp("papers") / "library"
    library_from_papers(shared_data / "papers", directory).close()
    return directory


@pytest.fixture(scope="session")
def recall_bench():
    """bench/extract_recall.py as a module: tests measure exactly what the bench reports."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "extract_recall", REPO / "bench" / "extract_recall.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
