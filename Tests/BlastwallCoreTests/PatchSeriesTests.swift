import Testing

@testable import BlastwallCore

@Suite struct PatchSeriesTests {
    static let series = """
        From 1111111111111111111111111111111111111111 Mon Sep 17 00:00:00 2001
        From: =?UTF-8?q?Jos=C3=A9=20Garc=C3=ADa?= <jose@example.com>
        Date: Mon, 23 Nov 2026 10:00:00 +0000
        Subject: [PATCH 1/2] Add the ledger migration that
         drops legacy tables

        The old tables are unused.

        Co-authored-by: Claude <noreply@anthropic.com>
        ---
         db/migrate/002.sql | 1 +
         1 file changed, 1 insertion(+)

        diff --git a/db/migrate/002.sql b/db/migrate/002.sql
        new file mode 100644
        --- /dev/null
        +++ b/db/migrate/002.sql
        @@ -0,0 +1 @@
        +DROP TABLE legacy;
        --
        2.39.5

        From 2222222222222222222222222222222222222222 Mon Sep 17 00:00:00 2001
        From: "copilot-swe-agent[bot]" <bot@example.com>
        Subject: [PATCH 2/2] =?UTF-8?B?Rml4IHR5cG8=?=

        ---
        diff --git a/README.md b/README.md
        --- a/README.md
        +++ b/README.md
        @@ -1 +1 @@
        -teh
        +the

        """

    @Test func readsAuthorsSubjectsAndTrailers() throws {
        let commits = PatchSeries.commits(in: Array(Self.series.utf8))
        #expect(commits.map(\.sha) == [String(repeating: "1", count: 40), String(repeating: "2", count: 40)])
        #expect(commits[0].author == Identity(name: "José García", email: "jose@example.com"))
        #expect(
            commits[0].message
                == "Add the ledger migration that drops legacy tables\n\nThe old tables are unused.\n\nCo-authored-by: Claude <noreply@anthropic.com>\n"
        )
        #expect(commits[1].author.name == "copilot-swe-agent[bot]")
        #expect(commits[1].message == "Fix typo\n")
        let detector = ProvenanceDetector(settings: ProvenanceSettings())
        #expect(commits.map { detector.provenance(of: $0).kind } == [.aiAssisted, .aiAuthored])
        let files = try UnifiedDiffParser.parse(Array(Self.series.utf8))
        #expect(files.map(\.path) == ["db/migrate/002.sql", "README.md"])
        #expect(files[0].linesAdded == 1, "the '-- ' signature line after the hunk is not a removed line")
    }

    @Test func plainDiffsHaveNoCommits() {
        #expect(PatchSeries.commits(in: Array("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n".utf8)).isEmpty)
    }

    @Test func aFileThatSeveralPatchesTouchIsOneFile() {
        func file(_ path: String, _ status: FileChange.Status, from oldPath: String? = nil, added: Int = 1) -> FileChange {
            FileChange(path: path, oldPath: oldPath, status: status, linesAdded: added, linesRemoved: 1)
        }
        let combined = PatchSeries.combined([
            file("api/x.txt", .modified), file("api/x.txt", .modified, added: 2),
            file("new.txt", .added), file("new.txt", .modified),
            file("gone.txt", .added), file("gone.txt", .deleted),
            file("b.txt", .renamed, from: "a.txt"), file("b.txt", .modified), file("c.txt", .renamed, from: "b.txt"),
            file("back.txt", .renamed, from: "here.txt"), file("here.txt", .renamed, from: "back.txt"),
            file("old.txt", .renamed, from: "older.txt"), file("old.txt", .deleted),
            file("copy.txt", .copied, from: "api/x.txt"),
        ])
        #expect(combined.map(\.path) == ["api/x.txt", "new.txt", "c.txt", "here.txt", "older.txt", "copy.txt"])
        #expect(combined.map(\.status) == [.modified, .added, .renamed, .modified, .deleted, .copied])
        #expect(combined[0].linesAdded == 3 && combined[0].linesRemoved == 2)
        #expect(combined[2].oldPath == "a.txt" && combined[3].oldPath == nil && combined[1].oldPath == nil)
    }
}
