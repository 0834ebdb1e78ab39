"""The mutation score per module and in total, from `mutmut results --all true` (`make mutation`).

A timeout counts as killed (the mutant broke the code badly enough to hang it); a skipped mutant, or one left out of a
run (`not checked`), was never tested, so it counts for nothing. The survivors' names go to a file, one a line, to look at with `mutmut show NAME`.

    mutmut results --all true | python tests/mutation_score.py mutants/survivors.txt
"""
import collections
import re
import sys

KILLED = {"killed", "timeout"}
NOT_RUN = {"skipped", "not checked"}
RESULT_LINE = re.compile(r"^\s*(\S+__mutmut_\d+): (.+?)\s*$", re.M)  # factcheck.cli.x_main__mutmut_7: survived


def tally(results):
    """{module: Counter of statuses}; a mutant's module is its name up to the last dot."""
    counts = collections.defaultdict(collections.Counter)
    for name, status in RESULT_LINE.findall(results):
        counts[name.rsplit(".", 1)[0]][status] += 1
    return counts


def score(statuses):
    """(killed, counted) for one Counter of statuses."""
    counted = sum(n for status, n in statuses.items() if status not in NOT_RUN)
    return sum(statuses[status] for status in KILLED), counted


def survivors(results):
    return [name for name, status in RESULT_LINE.findall(results) if status == "survived"]


def report(counts):
    lines = []
    for module, statuses in sorted(counts.items()):
        killed, counted = score(statuses)
        lines.append(f"  {module:<36} {killed:4d} of {counted:4d} killed ({100 * killed / max(counted, 1):5.1f} %)")
    killed, counted = score(sum(counts.values(), collections.Counter()))
    lines.append(f"mutation score: {killed} of {counted} mutants killed ({100 * killed / max(counted, 1):.1f} %)")
    return "\n".join(lines)


def main(argv=None):
    survivors_file, = sys.argv[1:] if argv is None else argv
    results = sys.stdin.read()
    with open(survivors_file, "w", encoding="utf-8") as out:
        out.writelines(f"{name}\n" for name in survivors(results))
    print(report(tally(results)))
    print(f"survivors in {survivors_file}")


if __name__ == "__main__":
    main()
