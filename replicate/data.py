"""Load any registered task as claimlab example records, local files first or from the hub.

Public API (used by the pipeline):

- :func:`load_examples` -- the examples of one (task, split, language), optionally capped.
- :func:`stratified_cap` -- the seeded, label-stratified cap (the data-volume axis).
- :func:`training_source` -- which (task, split, lang) trains a task here and now, with the reason
  when it is a stand-in (offline there is no MNLI train: SNLI stands in).
- :func:`available` -- whether a (task, split, lang) can be loaded without the hub.
- :class:`DataUnavailable` -- raised with one line naming task, lang and split.

Splits are always called ``train``, ``validation`` and ``test``; the registry maps them onto each
hub dataset's own names. ``source`` chooses the route: ``auto`` (local files when present, else the
hub), ``local`` (never the hub) or ``hub`` (always ``datasets.load_dataset``).
"""

from __future__ import annotations

import os
import random
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field

from replicate.data_hub import load_from_hub
from replicate.data_sources import local_source
from replicate.records import RetrievalSet
from replicate.tasks import get_task
from synth.settings import Settings, resolve_data_dir

Source = Literal["auto", "local", "hub"]
SPLITS = ("train", "validation", "test")


class DataUnavailable(RuntimeError):
    """A (task, split, lang) that cannot be loaded here; the message is one line naming all three."""

    def __init__(
        self, task: str, split: str | None = None, lang: str | None = None, reason: str = ""
    ) -> None:
        self.task, self.split, self.lang, self.reason = task, split, lang, reason
        # A single argument is taken as the whole message (callers that combine several failures).
        message = task if split is None else f"{task} [{lang}] {split}: {reason}"
        super().__init__(" ".join(message.split("\n")))


class DataSettings(Settings):
    """How task data is found; stamped on results so a run records where its data came from."""

    source: Source = Field(
        default="auto",
        description="auto: local files when present, else the hub; local: never the hub; hub: always.",
    )
    data_dir: str | None = Field(
        default=None, description="Real-data folder; None = $CLAIMLAB_DATA or ../shared/data."
    )
    allow_fixtures: bool = Field(
        default=False,
        description="Also use 1-5 item format fixtures (HF dummy data); only for loader tests.",
    )


_HUB_REACHABLE: dict[str, bool] = {}


def _hub_reachable(timeout: float = 2.0) -> bool:
    """One quick TCP connect to the hub endpoint ($HF_ENDPOINT or huggingface.co), cached per process.

    Without it, an unreachable hub costs ~25 s of ``datasets`` retries per missing split.
    """
    endpoint = os.environ.get("HF_ENDPOINT", "https://huggingface.co")
    if endpoint not in _HUB_REACHABLE:
        import socket
        from urllib.parse import urlparse

        url = urlparse(endpoint)
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            with socket.create_connection((url.hostname or "", port), timeout=timeout):
                _HUB_REACHABLE[endpoint] = True
        except OSError:
            _HUB_REACHABLE[endpoint] = False
    return _HUB_REACHABLE[endpoint]


def hub_offline() -> bool:
    """True when the hub must not or cannot be reached.

    Either ``datasets`` is told so (HF_DATASETS_OFFLINE / HF_HUB_OFFLINE) or a quick connect to the
    hub endpoint fails (checked once per process).
    """
    flags = (os.environ.get("HF_DATASETS_OFFLINE", ""), os.environ.get("HF_HUB_OFFLINE", ""))
    if any(v.strip().lower() in ("1", "true", "yes", "on") for v in flags):
        return True
    return not _hub_reachable()


def load_examples(
    task: str,
    split: str,
    lang: str = "en",
    cap: int | None = None,
    seed: int = 0,
    data_dir: str | Path | None = None,
    source: Source = "auto",
    allow_fixtures: bool = False,
    settings: DataSettings | None = None,
) -> list | RetrievalSet:
    """Load one task split in one language as example records.

    Args:
        task: Registry name (``snli``, ``xnli``, ``tatoeba``, ...).
        split: ``train``, ``validation`` or ``test``.
        lang: XTREME language code (Tatoeba: ``zh``, not ``cmn``; AmericasNLI: ``quy``, ...).
        cap: Keep at most this many examples: seeded and label-stratified for classification and
            multiple choice, a seeded sample otherwise; file order is kept. None keeps all.
        seed: Seed of the cap; the same (seed, cap) always gives the same examples.
        data_dir: Real-data folder; None resolves ``$CLAIMLAB_DATA`` or ``../shared/data``.
        source: ``auto`` (local first, then hub), ``local`` or ``hub``.
        allow_fixtures: Let ``local`` reads use the 1-5 item format fixtures.
        settings: A DataSettings; when given, its source/data_dir/allow_fixtures win.

    Returns:
        A list of ClassificationExample / MultipleChoiceExample / QAExample / TaggingExample, or
        one RetrievalSet for retrieval tasks (``sources`` in ``lang``, ``targets`` in English).

    Raises:
        DataUnavailable: no local file and the hub is off or unreachable, or an unknown split or
            language; the message is one line naming task, lang and split.
    """
    if settings is not None:
        source, data_dir = settings.source, settings.data_dir
        allow_fixtures = settings.allow_fixtures
    spec = get_task(task)
    lang = xtreme_code(task, lang)
    if split not in SPLITS:
        raise DataUnavailable(task, split, lang, f"unknown split; use one of {', '.join(SPLITS)}")
    root = resolve_data_dir(data_dir)
    examples = _load_uncapped(spec, split, lang, root, source, allow_fixtures)
    if cap is None:
        return examples
    if isinstance(examples, RetrievalSet):
        keep = _sample_indices(len(examples.sources), cap, seed)
        return RetrievalSet(
            examples.lang,
            tuple(examples.sources[i] for i in keep),
            tuple(examples.targets[i] for i in keep),
        )
    return stratified_cap(examples, cap, seed)


def xtreme_code(task: str, lang: str) -> str:
    """The XTREME code for a dataset code (Tatoeba ``cmn`` -> ``zh``); other codes pass through."""
    spec = get_task(task)
    if lang in spec.languages:
        return lang
    reverse = {code: xtreme for xtreme, code in spec.lang_codes.items()}
    return reverse.get(lang, lang)


def _load_uncapped(spec, split: str, lang: str, root: Path, source: Source, allow_fixtures: bool):
    if source != "hub":
        local = local_source(spec.name, split, lang, allow_fixtures)
        if local is not None:
            try:
                return local.reader(root, lang, split)
            except FileNotFoundError as exc:
                if source == "local":
                    raise DataUnavailable(
                        spec.name, split, lang, f"missing file {exc.filename}"
                    ) from None
        if source == "local":
            raise DataUnavailable(spec.name, split, lang, _no_local_reason(spec, split))
    if lang not in spec.languages:
        known = ", ".join(spec.languages)
        raise DataUnavailable(spec.name, split, lang, f"not a language of {spec.name} ({known})")
    if split not in spec.hf_splits:
        raise DataUnavailable(
            spec.name, split, lang, f"no {split} split (has {', '.join(spec.hf_splits)})"
        )
    if hub_offline():
        local_part = "" if source == "hub" else _no_local_reason(spec, split) + "; "
        raise DataUnavailable(
            spec.name, split, lang, local_part + "hub is off (HF_DATASETS_OFFLINE)"
        )
    try:
        return load_from_hub(spec, split, lang)
    except KeyError as exc:
        raise DataUnavailable(spec.name, split, lang, str(exc).strip("'\"")) from None
    except Exception as exc:  # noqa: BLE001 - datasets raises many types; the line names the cause
        reason = f"hub {spec.hf_id}:{spec.config_for(lang)} failed ({type(exc).__name__}: {exc})"
        raise DataUnavailable(spec.name, split, lang, reason.splitlines()[0]) from exc


def _no_local_reason(spec, split: str) -> str:
    reason = "no local data"
    if spec.offline_standin and split == "train":
        reason += f" (offline stand-in: {spec.offline_standin[0]} [{spec.offline_standin[1]}])"
    return reason


def available(task: str, split: str, lang: str = "en", data_dir: str | Path | None = None) -> bool:
    """Whether (task, split, lang) loads from local files (no fixtures, no hub)."""
    source = local_source(task, split, lang)
    if source is None:
        return False
    try:
        source.reader(resolve_data_dir(data_dir), lang, split)
    except (FileNotFoundError, KeyError):
        return False
    return True


@dataclass(frozen=True)
class TrainingSource:
    """Where a task's English training data comes from in this environment."""

    task: str  # the task whose data is read (may be a stand-in)
    split: str
    lang: str
    note: str = ""  # empty when it is the task's own train split; else what stands in and why

    @property
    def is_standin(self) -> bool:
        return bool(self.note)


def training_source(
    task: str, data_dir: str | Path | None = None, source: Source = "auto"
) -> TrainingSource:
    """Choose what trains ``task`` (English): its own train split, else a recorded stand-in.

    Order: the task's own ``train`` (local, or the hub when allowed and online); the offline
    stand-in's local ``train`` (Social IQa for COPA); the task's own local ``validation``; the
    stand-in's local ``validation`` (SNLI dev for MNLI). The note says what was substituted.

    Raises:
        DataUnavailable: nothing at all can train it here.
    """
    spec = get_task(task)
    if available(task, "train", "en", data_dir) or (
        source != "local" and not hub_offline() and spec.hf_id and "train" in spec.hf_splits
    ):
        return TrainingSource(task, "train", "en")
    standin = spec.offline_standin
    candidates = []
    if standin:
        candidates.append((standin[0], "train", standin[1]))
    candidates.append((task, "validation", "en"))
    if standin:
        candidates.append((standin[0], "validation", standin[1]))
    for name, split, lang in candidates:
        if available(name, split, lang, data_dir):
            note = f"{task} train not available offline; using {name} [{lang}] {split}"
            return TrainingSource(name, split, lang, note)
    raise DataUnavailable(task, "train", "en", _no_local_reason(spec, "train") + "; hub is off")


# === Caps =======================================================================================


def _label_of(example) -> int | None:
    return getattr(example, "label", None)


def stratified_cap(examples: list, cap: int, seed: int = 0) -> list:
    """Keep ``cap`` examples, seeded, with each label's share as in the full set.

    Each label's examples are shuffled with ``random.Random(seed)``; then places are filled one
    at a time from the label furthest below its share (ties: label order), so every label ends
    within one example of ``share * cap``. Smaller caps are prefixes of larger ones with the same
    seed (cap 1,000 contains cap 100), which keeps points on the data-volume axis comparable.
    Examples without labels (QA, tagging) get a seeded sample with the same nesting. The result
    keeps file order; the same (examples, cap, seed) always gives the same list.
    """
    if cap >= len(examples):
        return list(examples)
    if cap <= 0:
        return []
    by_label: dict[object, list[int]] = defaultdict(list)
    for i, ex in enumerate(examples):
        by_label[_label_of(ex)].append(i)
    if len(by_label) == 1:
        return [examples[i] for i in _sample_indices(len(examples), cap, seed)]
    rng = random.Random(seed)
    labels = sorted(by_label, key=repr)
    queues = {}
    for label in labels:
        queues[label] = list(by_label[label])
        rng.shuffle(queues[label])
    share = {label: len(by_label[label]) / len(examples) for label in labels}
    taken = dict.fromkeys(labels, 0)
    keep = []
    for step in range(1, cap + 1):
        label = max(labels, key=lambda k: share[k] * step - taken[k])  # first max wins ties
        keep.append(queues[label][taken[label]])
        taken[label] += 1
    return [examples[i] for i in sorted(keep)]


def _sample_indices(n: int, cap: int, seed: int) -> list[int]:
    if cap >= n:
        return list(range(n))
    order = list(range(n))
    random.Random(seed).shuffle(order)  # a full permutation, so smaller caps are prefixes
    return sorted(order[:cap])
