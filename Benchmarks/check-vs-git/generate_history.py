#!/usr/bin/env python3
"""Generates the real-shaped history of the check-vs-git benchmark, deterministically.

What real histories have and the synthetic monorepo lacks: a CODEOWNERS of hundreds of rules (directory,
nested and glob rules over 50 owner sets) that `blastwall init` turns into the services; files of mixed sizes
(one line to a few thousand); and 2,000 commits on a branch, each touching a few files, with real-shaped
messages: conventional subjects, bodies, squash merges that list their commits, AI trailers in the trailer
block and in the body, dependabot and Copilot authors, renames, additions and deletions.

Written with `git fast-import`. The history goes on branch `history`, from `main`, which holds the tree,
CODEOWNERS and (after `--blastwall BINARY init`) blastwall.yml.
"""
import argparse
import os
import random
import subprocess

AREAS = ["api", "web", "mobile", "billing", "ledger", "search", "auth", "infra", "data", "ml", "docs", "tools"]
FILES = 24_000
COMMITS = 2_000
OWNER_SETS = 50


def owners(number):
    team = f"@acme/team-{number:02d}"
    return f"{team} @acme/leads" if number % 7 == 0 else team


def tree(rng):
    """Paths of the base tree: areas, packages, nested folders, several languages."""
    paths = []
    extensions = ["go", "ts", "tsx", "py", "swift", "proto", "sql", "yml", "md", "json"]
    while len(paths) < FILES:
        area = rng.choice(AREAS)
        package = f"pkg{rng.randrange(40):02d}"
        depth = rng.choice([0, 1, 1, 2, 3])
        folders = [rng.choice(["internal", "handlers", "models", "util", "v1", "v2", "testdata", "fixtures"]) for _ in range(depth)]
        extension = rng.choice(extensions)
        name = f"{rng.choice(['index', 'main', 'service', 'client', 'types', 'store', 'router'])}{len(paths)}.{extension}"
        paths.append("/".join([area, package] + folders + [name]))
    return paths


def codeowners(rng):
    """About 400 rules: a catch-all, areas, packages, nested overrides and globs, later rules winning."""
    lines = ["# Code owners: the last matching rule wins.", f"* {owners(0)}"]
    for index, area in enumerate(AREAS):
        lines.append(f"/{area}/ {owners(1 + index)}")
    for _ in range(330):
        area = rng.choice(AREAS)
        package = f"pkg{rng.randrange(40):02d}"
        lines.append(f"/{area}/{package}/ {owners(rng.randrange(OWNER_SETS))}")
    for _ in range(40):
        area = rng.choice(AREAS)
        lines.append(f"/{area}/pkg{rng.randrange(40):02d}/{rng.choice(['internal', 'v1', 'v2'])}/ {owners(rng.randrange(OWNER_SETS))}")
    globs = ["*.proto", "*.sql", "*.md", "/docs/**/*.md", "**/testdata/", "*.tsx", "/infra/**/*.yml", "Makefile", "go.mod"]
    for pattern in globs:
        lines.append(f"{pattern} {owners(rng.randrange(OWNER_SETS))}")
    return "\n".join(lines) + "\n"


def body(rng, path, revision):
    """Mixed sizes: mostly small files, some large ones, as real trees have."""
    size = int(min(4000, rng.lognormvariate(3.5, 1.3)))
    comment = "#" if path.endswith((".py", ".yml")) else "--" if path.endswith(".sql") else "//"
    lines = [f"{comment} {path} revision {revision}"]
    lines += [f"value_{n} = {rng.randrange(1_000_000)}" for n in range(max(1, size))]
    return "\n".join(lines) + "\n"


SUBJECTS = [
    "fix({area}): handle empty {thing} in {name}",
    "feat({area}): add {thing} support",
    "refactor({area}): split {name}",
    "chore(deps): bump {thing} from 1.{a}.0 to 1.{b}.0",
    "docs({area}): explain {thing}",
    "test({area}): cover {thing} edge cases",
    "perf({area}): cache {thing} lookups",
    "Revert \"feat({area}): add {thing} support\"",
]
THINGS = ["retries", "pagination", "timeouts", "rate limits", "webhooks", "currency codes", "sessions", "exports"]


def message(rng, number, area, name):
    subject = rng.choice(SUBJECTS).format(area=area, thing=rng.choice(THINGS), name=name, a=number % 9, b=number % 9 + 1)
    kind = number % 10
    if kind == 0:
        # A squash merge: the squashed commits, each with its own trailers, then the co-author paragraph.
        items = "\n".join(
            f"* {rng.choice(SUBJECTS).format(area=area, thing=rng.choice(THINGS), name=name, a=1, b=2)}\n\n"
            f"  Co-Authored-By: Claude Sonnet 4.5 <noreply@anthropic.com>"
            for _ in range(rng.randint(2, 4)))
        return f"{subject} (#{4000 + number})\n\n{items}\n\nCo-authored-by: Lee Park <lee@example.com>\n"
    if kind in (1, 2):
        return f"{subject}\n\nThe previous behaviour dropped the last page.\n\nAssisted-by: claude-code:claude-opus-4-1\nSigned-off-by: Sam Patel <sam@example.com>\n"
    if kind == 3:
        return f"{subject}\n\nCo-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>\n"
    if kind == 4:
        return f"{subject}\n\nCo-authored-by: aider (openai/gpt-5) <aider@aider.chat>\n"
    return f"{subject}\n\nWhy: the {rng.choice(THINGS)} path was slow under load.\r\n" if kind == 5 else f"{subject}\n"


def author(number):
    if number % 25 == 0:
        return "dependabot[bot] <49699333+dependabot[bot]@users.noreply.github.com>"
    if number % 31 == 0:
        return "Copilot <198982749+Copilot@users.noreply.github.com>"
    return ["Sam Patel <sam@example.com>", "Dana Reyes <dana@example.com>", "Lee Park <lee@example.com>"][number % 3]


def fast_import(directory, chunks):
    process = subprocess.Popen(["git", "-C", directory, "fast-import", "--quiet", "--force"], stdin=subprocess.PIPE)
    for chunk in chunks:
        process.stdin.write(chunk)
    process.stdin.close()
    if process.wait() != 0:
        raise SystemExit("git fast-import failed")


def data(text):
    encoded = text.encode()
    return b"data %d\n" % len(encoded) + encoded + b"\n"


def commit(branch, text, who, when, operations, parent=None):
    chunk = f"commit refs/heads/{branch}\nauthor {who} {when} +0000\ncommitter {who} {when} +0000\n".encode() + data(text)
    if parent:
        chunk += f"from {parent}\n".encode()
    return chunk + "".join(operations).encode() + b"\n"


def inline(path, text):
    encoded = text.encode()
    return f"M 100644 inline {path}\ndata {len(encoded)}\n{text}\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory")
    parser.add_argument("--blastwall", help="the binary whose `init` writes blastwall.yml from CODEOWNERS")
    arguments = parser.parse_args()
    rng = random.Random(20261202)
    directory = arguments.directory
    os.makedirs(directory, exist_ok=True)
    subprocess.run(["git", "init", "--quiet", "--initial-branch=main", directory], check=True)

    paths = tree(rng)
    base = [inline(path, body(rng, path, 0)) for path in paths]
    base.append(inline(".github/CODEOWNERS", codeowners(rng)))
    fast_import(directory, [commit("main", "Initial import\n", author(1), 1_700_000_000, base)])
    subprocess.run(["git", "-C", directory, "checkout", "--quiet", "main"], check=True)
    if arguments.blastwall:
        subprocess.run([arguments.blastwall, "init", "--repo", directory], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run(["git", "-C", directory, "add", "blastwall.yml", "blastwall.tests.yml"], check=True)
        subprocess.run(
            ["git", "-C", directory, "-c", "user.name=Dana Reyes", "-c", "user.email=dana@example.com", "commit", "--quiet", "-m", "Add Blastwall"],
            check=True)

    live = list(paths)
    chunks = []
    parent = "refs/heads/main"
    for number in range(COMMITS):
        touched = max(1, min(60, int(rng.lognormvariate(1.8, 0.8))))
        operations = []
        seen = set()
        for _ in range(touched):
            roll = rng.random()
            if roll < 0.04:
                path = f"{rng.choice(AREAS)}/pkg{rng.randrange(40):02d}/new{number}_{len(live)}.{rng.choice(['go', 'ts', 'py'])}"
                live.append(path)
                operations.append(inline(path, body(rng, path, number)))
                continue
            index = rng.randrange(len(live))
            path = live[index]
            if path in seen:
                continue
            seen.add(path)
            if roll < 0.06 and len(live) > 1000:
                live[index] = live[-1]
                live.pop()
                operations.append(f"D {path}\n")
            elif roll < 0.09:
                moved = path.rsplit("/", 1)[0] + "/renamed_" + path.rsplit("/", 1)[1]
                live[index] = moved
                operations.append(f"R {path} {moved}\n")
            else:
                operations.append(inline(path, body(rng, path, number + 1)))
        area = live[rng.randrange(len(live))].split("/")[0]
        chunks.append(commit("history", message(rng, number, area, f"handler{number}"), author(number), 1_700_100_000 + number * 600, operations, parent))
        parent = None
    fast_import(directory, chunks)
    subprocess.run(["git", "-C", directory, "checkout", "--quiet", "history"], check=True)


if __name__ == "__main__":
    main()
