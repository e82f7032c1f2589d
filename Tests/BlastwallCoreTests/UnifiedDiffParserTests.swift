import PropertyBased
import Testing

@testable import BlastwallCore

@Suite struct UnifiedDiffParserTests {
    func parse(_ text: String) throws -> [FileChange] {
        try UnifiedDiffParser.parse(Array(text.utf8))
    }

    @Test func gitDiffWithModificationAdditionDeletionRenameAndBinary() throws {
        let diff = """
            diff --git a/src/app.swift b/src/app.swift
            index 1111111..2222222 100644
            --- a/src/app.swift
            +++ b/src/app.swift
            @@ -1,0 +2,2 @@
            +let a = 1
            +let b = 2
            @@ -10 +11,0 @@
            --- a line that starts with two dashes
            diff --git a/new.sql b/new.sql
            new file mode 100644
            index 0000000..3333333
            --- /dev/null
            +++ b/new.sql
            @@ -0,0 +1 @@
            +DROP TABLE users;
            diff --git a/gone.txt b/gone.txt
            deleted file mode 100644
            index 4444444..0000000
            --- a/gone.txt
            +++ /dev/null
            @@ -1,2 +0,0 @@
            -x
            -y
            diff --git a/old name.txt b/new name.txt
            similarity index 90%
            rename from old name.txt
            rename to new name.txt
            index 5555555..6666666 100644
            --- a/old name.txt\t
            +++ b/new name.txt\t
            @@ -3 +3 @@
            -old
            +new
            diff --git a/logo.png b/logo.png
            index 7777777..8888888 100644
            Binary files a/logo.png and b/logo.png differ

            """
        let files = try parse(diff)
        #expect(files.map(\.path) == ["src/app.swift", "new.sql", "gone.txt", "new name.txt", "logo.png"])
        #expect(files.map(\.status) == [.modified, .added, .deleted, .renamed, .modified])
        #expect(files[0].linesAdded == 2 && files[0].linesRemoved == 1)
        #expect(files[0].addedLines == [AddedLine(number: 2, text: "let a = 1"), AddedLine(number: 3, text: "let b = 2")])
        #expect(files[1].addedLines.first?.text == "DROP TABLE users;")
        #expect(files[2].linesRemoved == 2)
        #expect(files[3].oldPath == "old name.txt")
        #expect(files[4].isBinary)
    }

    @Test func quotedAndNonUTF8Paths() throws {
        let diff = """
            diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"
            --- "a/caf\\303\\251.txt"
            +++ "b/caf\\303\\251.txt"
            @@ -1 +1 @@
            -a
            +b
            diff --git "a/bad\\377name" "b/bad\\377name"
            new file mode 100644
            --- /dev/null
            +++ "b/bad\\377name"
            @@ -0,0 +1 @@
            +x

            """
        let files = try parse(diff)
        #expect(files.map(\.path) == ["café.txt", "bad\\377name"])
        #expect(files[1].status == .added)
    }

    @Test func modeOnlyChangeAndCopy() throws {
        let diff = """
            diff --git a/run.sh b/run.sh
            old mode 100644
            new mode 100755
            diff --git a/a.txt b/b.txt
            similarity index 100%
            copy from a.txt
            copy to b.txt

            """
        let files = try parse(diff)
        #expect(files.map(\.path) == ["run.sh", "b.txt"])
        #expect(files.map(\.status) == [.modified, .copied])
        #expect(files[1].oldPath == "a.txt")
    }

    @Test func plainDiffUWithTimestampsAndCRLF() throws {
        let diff =
            "--- a/config/app.ini\t2026-01-01 00:00:00\r\n+++ b/config/app.ini\t2026-01-02 00:00:00\r\n@@ -1,2 +1,2 @@\r\n key=1\r\n-old=2\r\n+new=3\r\n--- ./other.txt\n+++ ./other.txt\n@@ -1 +1 @@\n-a\n+b\n"
        let files = try parse(diff)
        #expect(files.map(\.path) == ["config/app.ini", "other.txt"])
        #expect(files[0].addedLines == [AddedLine(number: 2, text: "new=3")])
    }

    @Test func hugeFilesAreCountedButKeptWithinLimits() throws {
        let count = DiffLimits.maxScannedLinesPerFile + 10
        var diff = "diff --git a/big.txt b/big.txt\n--- a/big.txt\n+++ b/big.txt\n@@ -0,0 +1,\(count) @@\n"
        diff += String(repeating: "+line\n", count: count)
        let files = try parse(diff)
        #expect(files[0].linesAdded == count)
        #expect(files[0].addedLines.count == DiffLimits.maxScannedLinesPerFile)
        #expect(files[0].isTruncated)
    }

    @Test func malformedHunkHeaderIsAnErrorWithItsLine() {
        let diff = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -a +b @@\n"
        #expect(throws: DiffParseError(line: 4, message: "malformed hunk header; expected '@@ -start,count +start,count @@'")) {
            try parse(diff)
        }
    }

    @Test func gitQuotingRoundTrip() {
        #expect(GitPathQuoting.unquote(Array("a\\tb\\\\c\\\"d\\101".utf8)[...]) == Array("a\tb\\c\"dA".utf8))
        #expect(GitPathQuoting.displayString([0x61, 0xFF, 0x62]) == "a\\377b")
    }
}

/// Feeding a diff in arbitrary pieces, as git's output arrives, gives the same files as parsing it whole.
@Suite struct IncrementalDiffParsingTests {
    static let sample = """
        diff --git a/src/app.swift b/src/app.swift
        --- a/src/app.swift
        +++ b/src/app.swift
        @@ -1,2 +1,3 @@
        -old line
        +new line
        +another
         context
        diff --git "a/caf\\303\\251 dir/x.txt" "b/caf\\303\\251 dir/x.txt"
        new file mode 100644
        --- /dev/null
        +++ "b/caf\\303\\251 dir/x.txt"
        @@ -0,0 +1,2 @@
        +DROP TABLE users;\r
        +two
        diff --git a/old.txt b/new.txt
        similarity index 90%
        rename from old.txt
        rename to new.txt
        --- a/old.txt
        +++ b/new.txt
        @@ -3 +3 @@
        --- starts with dashes
        ++++ starts with pluses
        diff --git a/bin.png b/bin.png
        Binary files a/bin.png and b/bin.png differ

        """

    @Test func anyChunkingGivesTheSameFiles() async throws {
        let bytes = Array(Self.sample.utf8)
        let whole = try UnifiedDiffParser.parse(bytes)
        #expect(whole.count == 4)
        await propertyCheck(count: 300, input: Gen.int(in: 1...40).array(of: 1...60)) { sizes in
            var parser = UnifiedDiffParser()
            var files: [FileChange] = []
            var offset = 0
            var index = 0
            while offset < bytes.count {
                let size = sizes[index % sizes.count]
                let end = min(bytes.count, offset + size)
                try? bytes[offset..<end].withUnsafeBytes { try parser.feed($0) }
                files.append(contentsOf: parser.takeCompletedFiles())
                offset = end
                index += 1
            }
            files.append(contentsOf: (try? parser.finish()) ?? [])
            #expect(files == whole, "chunk sizes \(sizes)")
        }
    }
}
