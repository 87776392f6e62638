"""How bench/extract_recall.py prints its figures: the per-paper table, totals, misses, trade-offs."""

from __future__ import annotations

# The budget grid of the trade-off table (shares of prose sentences, floors of claims per paper).
SHARES = (0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.50)
FLOORS = (0, 20, 30, 40)


def report(out: dict, show_misses: bool) -> None:
    """Print the per-paper table, the totals and the misses."""
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 160))
    table = Table(
        title=f"claim extraction vs {out['gold_dir']} (cover >= {out['cover_threshold']})"
    )
    cols = ("paper", "gold", "found", "recall", "claims", "prose sent.", "ratio", "all sent.",
            "precision*", "P@10*", "R@N", "R@2N", "type agr.", "cut")  # fmt: skip
    for col in cols:
        table.add_column(col, justify="left" if col == "paper" else "right")

    def fmt(x: float | None) -> str:
        return "-" if x is None else f"{x:.2f}"

    for key, r in out["papers"].items():
        table.add_row(key, str(r["gold"]), str(r["recovered"]), fmt(r["recall"]),
                      str(r["extracted"]), str(r["prose_sentences"]), fmt(r["ratio_prose"]),
                      str(r["sentences"]), fmt(r["precision"]), fmt(r["precision_at_10"]),
                      fmt(r["recall_at_gold"]), fmt(r["recall_at_2gold"]),
                      fmt(r["type_agreement"]), str(r["cut_mid_sentence"]))  # fmt: skip
    t = out["total"]
    table.add_row("all", str(t["gold"]), str(t["recovered"]), fmt(t["recall"]), str(t["extracted"]),
                  str(t["prose_sentences"]), fmt(t["ratio_prose"]), str(t["sentences"]), "",
                  "", fmt(t["recall_at_gold"]), fmt(t["recall_at_2gold"]),
                  fmt(t["type_agreement"]),
                  str(t["cut_mid_sentence"]), style="bold")  # fmt: skip
    console.print(table)
    console.print("* precision against gold lists that are not exhaustive: informative only; "
                  "P@10: of the 10 top-scored claims; R@N / R@2N: recall of the N / 2N top-scored "
                  "claims, N = the paper's gold count")  # fmt: skip
    base = Table(title="baselines: recall / ratio of simple sentence selections (same matching)")
    base.add_column("paper")
    names = list(next(iter(out["papers"].values()), {}).get("baselines", {}))
    for name in ["claimlab claims", *names]:
        base.add_column(name, justify="right")
    for key, r in out["papers"].items():
        cells = [f"{fmt(r['recall'])} / {fmt(r['ratio_prose'])}"]
        cells += [f"{fmt(b['recall'])} / {fmt(b['ratio_prose'])}" for b in r["baselines"].values()]
        base.add_row(key, *cells)
    console.print(base)
    if not show_misses:
        return
    for key, r in out["papers"].items():
        for m in r["misses"]:
            where = "selection" if m["sentence_in_library"] else "not a library sentence"
            console.print(f"[bold]{key}[/] miss ({where}, {m['type']}, p.{m['page']}): "
                          f"{m['quote']}", markup=True, highlight=False)  # fmt: skip
        for c in r["cut"]:
            console.print(f"[red]{key} cut ({c['why']}):[/] {c['claim']}", highlight=False)


def print_tradeoff(rows: list[dict], scoring: str) -> None:
    """The budget trade-off table: recall and share of prose listed per (share, floor)."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"budget trade-off ({scoring}): recall / share of prose sentences listed")
    table.add_column("budget share")
    for floor in FLOORS:
        table.add_column(f"floor {floor}", justify="right")
    for share in SHARES:
        cells = [
            f"{r['recall']:.3f} / {r['ratio_prose']:.2f} (min {r['min_paper_recall']:.2f})"
            for floor in FLOORS
            for r in rows
            if r["share"] == share and r["floor"] == floor
        ]
        table.add_row(f"{share:.2f}", *cells)
    Console(width=160).print(table)
