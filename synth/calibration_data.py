"""Data for fitting and measuring the verifier's calibration: libraries, claims, feature rows.

The generated labelled set (``synth.labelled``) and the claims people wrote (handwritten ones, the
seed report's) are verified once each to measure their features; scripts/fit_calibrator.py fits on
those rows and bench/verify_quality.py measures the same procedure one paper left out at a time.
``measure_examples`` is the part both do.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from synth.labelled import LabelledExample, build_labelled_set
from synth.library import Library
from synth.records import Verdict

if TYPE_CHECKING:
    from synth.calibrate import TrainingSet
    from synth.verify import Verifier


def seed_report_claims(path: str | Path | None = None) -> tuple[str, ...]:
    """The seed report's claims (cut-off ones too), for ``related_unaddressed``."""
    from synth.audit import audit_report
    from synth.settings import resolve_data_dir

    path = Path(path) if path else resolve_data_dir().parent / "seed" / "000_fea3552473fb1e67.txt"
    if not path.is_file():
        return ()
    return tuple(c.claim.text for c in audit_report(path).claims)


def library_from_papers(papers_dir: str | Path, library_dir: str | Path) -> Library:
    """A library holding every PDF under ``papers_dir``, ingested the way ``claimlab ingest`` does."""
    library = Library(library_dir)
    ingest_all(library, [str(papers_dir)])
    return library


def ingest_all(library: Library, inputs: list[str]) -> dict[str, str]:
    """Ingest every input into ``library``; file stem -> paper id. A failure is an error here:
    fitting and measuring on a set with a paper missing would say something else."""
    from synth.ingest import ingest

    outcomes = ingest(library, inputs)
    failed = [o for o in outcomes if o.failed]
    if failed:
        raise RuntimeError(f"{failed[0].input}: {failed[0].message}")
    return {Path(o.input).stem: o.paper_id or "" for o in outcomes}


def paper_ids_by_folder(papers_dir: str | Path) -> dict[str, str]:
    """Folder name -> library paper id (``pdf:<sha12>`` of the folder's PDF), as ingest names it."""
    out = {}
    for pdf in sorted(Path(papers_dir).glob("*/*.pdf")):
        out.setdefault(pdf.parent.name, "pdf:" + hashlib.sha256(pdf.read_bytes()).hexdigest()[:12])
    return out


def load_handwritten(
    path: str | Path, folders: dict[str, str], source: str = "handwritten"
) -> list[LabelledExample]:
    """Claims written by hand (bench/verify_handwritten.jsonl) as labelled examples.

    Each line has ``id``, ``claim``, ``label`` and optionally ``paper`` (a folder name under the
    papers directory, mapped to its library id by ``folders``; none for claims about no paper),
    ``kind`` and ``page``. They are verified against the whole library (nothing excluded).
    """
    import json

    out = []
    for line in Path(path).read_text().splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        out.append(
            LabelledExample(
                example_id=row["id"], claim=row["claim"], label=row["label"],
                kind=row.get("kind") or "handwritten", paper_id=folders.get(row.get("paper") or "", ""),
                page=row.get("page") or 0, source=source, split="hand",
            )
        )  # fmt: skip
    return out


def feature_names(verifier: object) -> tuple[str, ...]:
    """The features a calibrator for this verifier reads: the NLI ones too with an NLI model."""
    from synth.calibrate import FEATURES, NLI_FEATURES

    return FEATURES + NLI_FEATURES if getattr(verifier, "nli_name", "") else FEATURES


def featurize(
    verifier: object, examples: list[LabelledExample], progress: object | None = None
) -> tuple[np.ndarray, list[Verdict]]:
    """Verify every example (with its exclusions); return feature rows (:func:`feature_names`
    columns) and the verdicts."""
    from synth.calibrate import feature_vector

    verdicts = verifier.verify_many(  # type: ignore[attr-defined]
        [(e.example_id, e.claim) for e in examples],
        exclude=[e.exclude for e in examples],
        progress=progress,
    )
    names = feature_names(verifier)
    rows = (
        np.stack([feature_vector(v.checks, names) for v in verdicts])
        if verdicts
        else np.zeros((0, len(names)))
    )
    return rows, verdicts


# Claims people wrote by reading papers: the shared papers' (handwritten), bench/dev's, and the
# retired held-out sets' (bench/heldout to heldout5: each measured as a held-out set two or three
# times, then fitted on; see synth/calibration_select.py).
REALISTIC_SOURCES = frozenset({"handwritten", "dev", "retired"})
# The bench/ folders of those retired held-out sets: one list for the script that fits on them
# (scripts/fit_calibrator.py) and the bench that must not measure them as held-out
# (bench/verify_quality.py).
RETIRED_HELDOUT: tuple[str, ...] = (
    "heldout",
    "heldout2",
    "heldout3",
    "heldout4",
    "heldout5",
    "heldout6",
    "heldout7",
    "heldout8",
    "heldout9",
    "heldout10",
    "heldout11",
    "heldout12",
    "heldout13",
    "heldout14",
    "heldout15",
    "heldout16",
    "heldout17",
    "heldout18",
    "heldout19",
    "heldout20",
    "heldout21",
)


def is_realistic(example: LabelledExample) -> bool:
    """Claims people wrote (handwritten ones, the dev set's, the seed report's), not template
    perturbations."""
    return example.source in REALISTIC_SOURCES or example.example_id.endswith("-related")


def add_dev_set(
    library: Library, dev_dir: str | Path, source: str = "dev"
) -> list[LabelledExample]:
    """Ingest a dev set's papers (``<dev>/papers/*.md``) into ``library`` and read its claims
    (``<dev>/verify_claims.jsonl``, the held-out set's format) as realistic examples."""
    dev = Path(dev_dir)
    ids = ingest_all(library, [str(f) for f in sorted((dev / "papers").glob("*.md"))])
    return load_handwritten(dev / "verify_claims.jsonl", ids, source=source)


def training_set(
    verifier: object, examples: list[LabelledExample]
) -> tuple[TrainingSet, list[Verdict]]:
    """Feature rows of the examples, grouped by paper, realistic ones marked; and the verdicts."""
    from synth.calibrate import TrainingSet

    x, verdicts = featurize(verifier, examples)
    data = TrainingSet(
        x=x,
        y=np.array([e.label for e in examples]),
        groups=np.array([e.paper_id for e in examples]),
        hand=np.array([is_realistic(e) for e in examples]),
    )
    return data, verdicts


@dataclass
class Measured:
    """A library of the papers, the claims about them, and every claim's feature row."""

    library: Library
    verifier: Verifier
    generated: list[LabelledExample]  # the generated labelled set, then the seed report's claims
    handwritten: list[LabelledExample]  # about the shared papers, then the dev set's
    data: TrainingSet  # rows in the order generated + handwritten

    @property
    def examples(self) -> list[LabelledExample]:
        return self.generated + self.handwritten


def measure_examples(
    papers_dir: str | Path,
    handwritten: str | Path,
    work_dir: str | Path,
    nli_model: str | None = None,
    dev: str | Path | None = None,
    retired: Sequence[str | Path] = (),
) -> Measured:
    """Parse the papers into a library under ``work_dir``, build the generated labelled set (with
    the seed report's claims as related-but-unaddressed ones), read the handwritten claims, and
    verify all of them once with the prior calibrator (features do not depend on its weights).
    With ``nli_model``, rows also hold the NLI features (``synth.calibrate.NLI_FEATURES``, after
    the others). With ``dev`` (bench/dev), its papers join the library after the generated set is
    built (the generated set stays about the shared papers) and its claims join the handwritten
    ones; so do those of each ``retired`` held-out set (source ``retired``). The caller closes
    ``library``."""
    from synth.calibrate import prior_calibrator
    from synth.verify import Verifier, VerifySettings

    work = Path(work_dir)
    library = library_from_papers(papers_dir, work / "library")
    generated = build_labelled_set(library, related_unaddressed=seed_report_claims())
    hand = load_handwritten(handwritten, paper_ids_by_folder(papers_dir))
    if dev and (Path(dev) / "verify_claims.jsonl").is_file():
        hand += add_dev_set(library, dev)
    origin = [""] * (len(generated) + len(hand))
    for folder in retired:
        claims = add_dev_set(library, folder, source="retired")
        hand += claims
        origin += [Path(folder).name] * len(claims)
    prior = work / "prior.json"
    prior_calibrator().save(prior)
    verifier = Verifier(library, VerifySettings(calibrator=str(prior), nli_model=nli_model))
    data, _ = training_set(verifier, generated + hand)
    # Which retired set each row came from: the temperature rule reads the newest ones.
    data = replace(data, sets=np.array(origin))
    return Measured(library, verifier, generated, hand, data)


def save_dump(m: Measured, out: str | Path, calibrated: Sequence[str]) -> None:
    """Every claim's features as ``bench/keep_rule.py`` reads them (its ``dump``): the calibrated
    columns and all of them, with each claim's id, label, paper, source, kind, text and retired
    set. ``scripts/fit_calibrator.py --dump`` saves the same file from the rows it fits on."""
    names = feature_names(m.verifier)
    data = m.data.columns(names, tuple(calibrated))
    ex = m.examples
    np.savez(
        out,
        x=data.x,
        x_all=m.data.x,
        names=np.array(list(calibrated)),
        names_all=np.array(names),
        y=data.y,
        groups=data.groups,
        hand=data.hand,
        ids=np.array([e.example_id for e in ex]),
        source=np.array([e.source for e in ex]),
        kind=np.array([e.kind for e in ex]),
        claim=np.array([e.claim for e in ex]),
        sets=np.array([str(s) for s in data.sets]) if data.sets is not None else np.array([]),
    )
