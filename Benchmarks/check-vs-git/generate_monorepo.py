#!/usr/bin/env python3
"""Generates the synthetic monorepo of the check-vs-git benchmark, deterministically.

100,000 files in 2,000 services (path rules and a dependency graph in blastwall.yml), then a range of
commits on a branch that changes 10,000 files (edits, additions, renames, deletions), some commits
carrying AI trailers; and on branch `one`, one ordinary commit of three files. Written with `git fast-import`, which takes seconds instead of minutes.
"""
import argparse
import os
import random
import subprocess

FILES = 100_000
SERVICES = 2_000
CHANGED = 10_000
COMMITS = 20


def file_body(index, revision):
    lines = [f"// file {index} revision {revision}"]
    lines += [f"let value{n} = {index * 7 + n + revision}" for n in range(8)]
    return "\n".join(lines) + "\n"


def service_of(index):
    return index % SERVICES


def path_of(index):
    service = service_of(index)
    kind = ["src", "src", "src", "tests", "config", "migrations"][index % 6]
    extension = {"src": "swift", "tests": "swift", "config": "yml", "migrations": "sql"}[kind]
    return f"services/svc-{service:04d}/{kind}/f{index:06d}.{extension}"


def configuration(rng):
    out = ["version: 1", "services:"]
    for service in range(SERVICES):
        out.append(f"  svc-{service:04d}:")
        out.append(f'    paths: ["/services/svc-{service:04d}/", "/docs/svc-{service:04d}/"]')
        out.append(f'    owners: ["@org/team-{service % 150:03d}"]')
        out.append(f"    tier: {1 + service % 3}")
        if service > 0:
            dependencies = sorted({f"svc-{rng.randrange(service):04d}" for _ in range(rng.randint(1, 3))})
            out.append(f"    depends_on: [{', '.join(dependencies)}]")
    out += [
        "groups:",
        '  senior: ["@alice", "@org/staff"]',
        "rules:",
        "  - name: owners",
        "    when: size(change.services) > 0",
        "    require: { approvals: 1, owners: all }",
        "  - name: ai-needs-two",
        '    when: change.provenance.kind != "human"',
        "    require: { approvals: 2, groups: { senior: 1 } }",
        "  - name: wide-blast",
        "    when: blast.count > 50 && blast.max_tier == 1",
        "    require: { canary: true, max_initial_weight: 5 }",
        "  - name: migrations-by-ai",
        "    when: \"'schema-migration' in change.classes && change.provenance.kind == 'ai-authored'\"",
        "    warn: check the migration",
    ]
    return "\n".join(out) + "\n"


def blob(stream, data):
    encoded = data.encode()
    stream.write(b"blob\ndata %d\n" % len(encoded) + encoded + b"\n")


def commit(stream, branch, message, author, operations, parent=None, when=1_700_000_000):
    encoded = message.encode()
    stream.write(f"commit refs/heads/{branch}\n".encode())
    stream.write(f"author {author} {when} +0000\ncommitter {author} {when} +0000\n".encode())
    stream.write(b"data %d\n" % len(encoded) + encoded + b"\n")
    if parent:
        stream.write(f"from {parent}\n".encode())
    for operation in operations:
        stream.write(operation.encode() + b"\n")
    stream.write(b"\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory")
    arguments = parser.parse_args()
    rng = random.Random(20261123)
    os.makedirs(arguments.directory, exist_ok=True)
    subprocess.run(["git", "init", "--quiet", "--initial-branch=main", arguments.directory], check=True)
    process = subprocess.Popen(["git", "-C", arguments.directory, "fast-import", "--quiet"], stdin=subprocess.PIPE)
    stream = process.stdin

    operations = []
    for index in range(FILES):
        stream.write(f"blob\nmark :{index + 1}\n".encode())
        data = file_body(index, 0).encode()
        stream.write(b"data %d\n" % len(data) + data + b"\n")
        operations.append(f"M 100644 :{index + 1} {path_of(index)}")
    config = configuration(rng).encode()
    stream.write(b"blob\nmark :999999\ndata %d\n" % len(config) + config + b"\n")
    operations.append("M 100644 :999999 blastwall.yml")
    commit(stream, "main", "Initial import\n", "Dana Reyes <dana@example.com>", operations)

    # The change: COMMITS commits that together touch CHANGED distinct files.
    changed = rng.sample(range(FILES), CHANGED)
    per_commit = CHANGED // COMMITS
    trailers = [
        "\n\nCo-authored-by: Claude <noreply@anthropic.com>\n",
        "\n\nAssisted-by: claude-code:claude-opus-4-1 [bash]\n",
        "\n\nGenerated-by: devin\n",
        "\n",
    ]
    parent = "refs/heads/main"
    for number in range(COMMITS):
        operations = []
        for position, index in enumerate(changed[number * per_commit:(number + 1) * per_commit]):
            roll = position % 20
            if roll == 0:
                operations.append(f"D {path_of(index)}")
            elif roll == 1:
                operations.append(f"R {path_of(index)} {path_of(index).replace('/f', '/moved-f')}")
            else:
                body = file_body(index, number + 1)
                if path_of(index).endswith(".sql") and roll == 2:
                    body += "ALTER TABLE accounts DROP COLUMN legacy;\n"
                data = body.encode()
                operations.append(f"M 100644 inline {path_of(index)}\ndata {len(data)}\n{body}")
        author = "Sam Patel <sam@example.com>" if number % 3 else "copilot-swe-agent[bot] <bot@example.com>"
        message = f"Change batch {number}" + trailers[number % len(trailers)]
        commit(stream, "change", message, author, operations, parent=parent, when=1_700_000_000 + number * 60)
        parent = None
    # One ordinary commit on its own branch: three files of one service edited.
    operations = [f"M 100644 inline {path_of(index)}\ndata {len(file_body(index, 99))}\n{file_body(index, 99)}" for index in (6, 2_006, 4_006)]
    commit(stream, "one", "fix(svc-0006): handle an empty cart\n\nCo-authored-by: Claude <noreply@anthropic.com>\n", "Sam Patel <sam@example.com>",
           operations, parent="refs/heads/main", when=1_700_100_000)
    stream.close()
    if process.wait() != 0:
        raise SystemExit("git fast-import failed")
    subprocess.run(["git", "-C", arguments.directory, "checkout", "--quiet", "change"], check=True)


if __name__ == "__main__":
    main()
