import Foundation
import PropertyBased
import Testing

@testable import BlastwallCore

/// GitHub's CODEOWNERS matching rules, case by case (pattern, path, expected).
let codeownersCases: [(String, String, Bool)] = [
    ("foo", "foo", true), ("foo", "foo.txt", false), ("foo", "foo/bar", true), ("foo", "bar/foo", true),
    ("foo", "bar/foo.txt", false), ("foo", "bar/baz", false), ("foo", "bar/foo/baz", true),
    ("/foo", "foo", true), ("/foo", "fool.txt", false), ("/foo", "foo/bar", true), ("/foo", "bar/foo", false),
    ("/foo", "foo/bar/baz", true), ("/foo", "bar/foo/baz", false),
    ("foo/", "foo", false), ("foo/", "foo/bar", true), ("foo/", "bar/foo", false), ("foo/", "bar/foo/baz", true),
    ("foo/", "bar/foo/baz/qux", true),
    ("/foo/", "foo", false), ("/foo/", "foo/bar", true), ("/foo/", "bar/foo/baz", false),
    ("foo/bar", "foo/bar", true), ("foo/bar", "foo/bart", false), ("foo/bar", "foo/bar/baz", true),
    ("foo/bar", "baz/foo/bar", false), ("/foo/bar", "baz/foo/bar/qux", false),
    ("foo/bar/", "foo/bar", false), ("foo/bar/", "foo/bar/baz", true), ("/foo/bar/", "foo/bar/baz/qux", true),
    ("*", "foo", true), ("*", "foo/bar", true), ("*", "bar/foo/baz", true),
    ("f*", "foo", true), ("f*", "foo/bar/baz", true), ("f*", "bar/foo", true), ("f*", "bar/baz", false), ("f*", "xfoo", false),
    ("/*", "foo", true), ("/*", "foo/bar", false),
    ("/f*", "foo/bar", true), ("/f*", "bar/foo", false),
    ("f*/", "foo", false), ("f*/", "foo/bar", true), ("f*/", "bar/foo/baz", true),
    ("/*/", "foo", false), ("/*/", "foo/bar", true), ("/*/", "bar/foo/baz", true),
    ("/f*/", "foo/bar", true), ("/f*/", "bar/foo/baz", false),
    ("f\\*o", "foo", false), ("f\\*o", "f*o", true),
    ("foo/*", "foo", false), ("foo/*", "foo/bar", true), ("foo/*", "foo/bar/baz", false), ("foo/*", "bar/foo/baz", false),
    ("foo/*.txt", "foo/bar.txt", true), ("foo/*.txt", "foo/bar/baz.txt", false), ("foo/*.txt", "qux/foo/bar.txt", false),
    ("foo/*/baz", "foo/bar", false), ("foo/*/baz", "foo/baz", false), ("foo/*/baz", "foo/bar/baz", true),
    ("foo/*/baz", "foo/bar/baz/qux", true),
    ("f?o", "foo", true), ("f?o", "fo", false), ("f?o", "fooo", false), ("f\\?o", "foo", false), ("f\\?o", "f?o", true),
    ("**/foo/bar", "foo/bar", true), ("**/foo/bar", "qux/foo/bar", true), ("**/foo/bar", "qux/foo/bar/baz", true),
    ("**/foo/bar", "foo/baz/bar", false),
    ("**/*bar*", "bar", true), ("**/*bar*", "foo/rebar", true), ("**/*bar*", "foo/qux/bar", true),
    ("foo/bar/**", "foo/bar", false), ("foo/bar/**", "foo/bar/baz", true), ("foo/bar/**", "foo/bar/baz/qux", true),
    ("foo/bar/**", "qux/foo/bar/baz", false),
    ("foo/**/bar", "foo/bar", true), ("foo/**/bar", "foo/qux/quux/bar/baz", true), ("foo/**/bar", "qux/foo/bar", false),
    ("foo/**/", "foo", false), ("foo/**/", "foo/bar", true), ("foo/**/", "foo/bar/baz", true),
    ("foo/**/bar/b*", "foo/bar", false), ("foo/**/bar/b*", "foo/bar/baz", true), ("foo/**/bar/b*", "foo/bar/qux", false),
    ("foo/**/bar/b*", "foo/qux/bar/baz", true),
    ("*.js", "web/app.js", true), ("*.js", "web/app.jsx", false), ("docs/*", "docs/getting-started.md", true),
    ("docs/*", "docs/build-app/troubleshooting.md", false), ("apps/", "x/apps/y", true), ("/", "anything", false),
    ("**/", "b", false), ("**/", "a/b", true),
]

@Suite struct PathPatternTests {
    @Test func matchesGitHubCodeownersSemantics() throws {
        for (pattern, path, expected) in codeownersCases {
            #expect(try PathPattern(pattern).matches(path) == expected, "\(pattern) vs \(path)")
        }
    }

    @Test func rejectsUnsupportedSyntaxWithAReason() {
        for pattern in ["!foo", "[ab]c", "a/***/b", ""] {
            #expect(throws: PathPatternError.self, "\(pattern)") { try PathPattern(pattern) }
        }
        do {
            _ = try PathPattern("!secret")
            Issue.record("negation accepted")
        } catch {
            #expect(error.reason.contains("negation"))
        }
    }

    @Test func lastMatchingRuleWins() throws {
        var rules = PathRuleSet<String>()
        rules.append(try PathPattern("*"), "everyone")
        rules.append(try PathPattern("/services/"), "services")
        rules.append(try PathPattern("/services/payments/"), "payments")
        rules.append(try PathPattern("*.md"), "docs")
        #expect(rules.lastMatch(for: "services/payments/api.swift")?.rule.payload == "payments")
        #expect(rules.lastMatch(for: "services/payments/README.md")?.rule.payload == "docs")
        #expect(rules.lastMatch(for: "services/ledger/x.swift")?.rule.payload == "services")
        #expect(rules.lastMatch(for: "Makefile")?.rule.payload == "everyone")
        #expect(rules.allMatches(for: "services/payments/README.md").map(\.payload) == ["everyone", "services", "payments", "docs"])
    }

    static let segmentAlphabet = ["a", "b", "ab", "*", "a*", "*b", "?", "**", "a?", "ba"]
    static let pathAlphabet = ["a", "b", "ab", "ba", "aa", "abb", "b.a"]

    static let patternGenerator = zip(
        Gen<String?>.element(of: segmentAlphabet).map { $0! }.array(of: 1...4), Gen.bool, Gen.bool
    ).map { segments, leading, trailing in
        (leading ? "/" : "") + segments.joined(separator: "/") + (trailing ? "/" : "")
    }

    static let pathGenerator = Gen<String?>.element(of: pathAlphabet).map { $0! }.array(of: 1...5).map { $0.joined(separator: "/") }

    /// An independent implementation: the pattern translated to a regular expression, as GitHub documents it.
    static func referenceMatches(_ pattern: String, _ path: String) -> Bool {
        var segments = pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if segments.first == "" {
            segments.removeFirst()
        } else if segments.count == 1 || (segments.count == 2 && segments[1] == "") {
            if segments[0] != "**" { segments.insert("**", at: 0) }
        }
        segments = segments.enumerated().filter { $0.offset == 0 || !($0.element == "**" && segments[$0.offset - 1] == "**") }.map(
            \.element)
        if segments.count > 1, segments.last == "" { segments[segments.count - 1] = "**" }
        var regex = "^"
        var needSlash = false
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            switch segment {
            case "**":
                if index == 0 && isLast {
                    regex += ".+"
                } else if index == 0 {
                    regex += "(?:.+/)?"
                    needSlash = false
                } else if isLast {
                    regex += "/.*"
                } else {
                    regex += "(?:/.+)?"
                    needSlash = true
                }
            case "*":
                regex += (needSlash ? "/" : "") + "[^/]+"
                needSlash = true
            default:
                regex += needSlash ? "/" : ""
                for character in segment {
                    switch character {
                    case "*": regex += "[^/]*"
                    case "?": regex += "[^/]"
                    default: regex += NSRegularExpression.escapedPattern(for: String(character))
                    }
                }
                if isLast { regex += "(?:/.*)?" }
                needSlash = true
            }
        }
        regex += "$"
        let expression = try! NSRegularExpression(pattern: regex)
        return expression.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
    }

    @Test func agreesWithARegexReferenceOnGeneratedPatterns() async {
        await propertyCheck(count: 3000, input: Self.patternGenerator, Self.pathGenerator) { pattern, path in
            // Patterns made only of `**` are degenerate; the reference treats `**/` as matching nothing.
            guard let compiled = try? PathPattern(pattern), pattern.contains(where: { $0 != "*" && $0 != "/" }) else { return }
            #expect(compiled.matches(path) == Self.referenceMatches(pattern, path), "\(pattern) vs \(path)")
        }
    }

    @Test func indexedLookupAgreesWithALinearScan() async {
        let rulesGenerator = Self.patternGenerator.array(of: 1...12)
        await propertyCheck(count: 500, input: rulesGenerator, Self.pathGenerator.array(of: 1...8)) { patterns, paths in
            var rules = PathRuleSet<Int>()
            let compiled = patterns.compactMap { try? PathPattern($0) }
            for (index, pattern) in compiled.enumerated() { rules.append(pattern, index) }
            for path in paths {
                let linear = compiled.indices.last { compiled[$0].matches(path) }
                #expect(rules.lastMatch(for: path)?.rule.payload == linear, "\(patterns) vs \(path)")
            }
        }
    }

    /// Coverage is what the shadowed-path warning rests on: it must never claim a cover that a path disproves.
    @Test func aCoveringPatternMatchesEveryPathTheCoveredOneDoes() async {
        var covered = 0
        await propertyCheck(count: 3000, input: Self.patternGenerator, Self.patternGenerator, Self.pathGenerator.array(of: 1...12)) {
            narrow, wide, paths in
            guard let narrow = try? PathPattern(narrow), let wide = try? PathPattern(wide), narrow.isCovered(by: wide) else { return }
            covered += 1
            for path in paths where narrow.matches(path) {
                #expect(wide.matches(path), "'\(narrow)' is said to be covered by '\(wide)', but '\(path)' matches only the first")
            }
        }
        #expect(covered > 100, "too few covered pairs were generated to test anything")
    }

    @Test func knowsTheCommonCoverings() throws {
        let covered = [
            ("/api/", "*"), ("/api/", "/api/"), ("/api/v1/*.go", "/api/"), ("docs/*.md", "*.md"), ("/a/b", "**/b"), ("/x/y/", "/x/**"),
        ]
        for (narrow, wide) in covered {
            #expect(try PathPattern(narrow).isCovered(by: PathPattern(wide)), "'\(narrow)' by '\(wide)'")
        }
        let notCovered = [("*", "/api/"), ("/api/", "/api/*"), ("*.md", "docs/*.md"), ("/", "*"), ("/api/", "/web/")]
        for (narrow, wide) in notCovered {
            #expect(try !PathPattern(narrow).isCovered(by: PathPattern(wide)), "'\(narrow)' by '\(wide)'")
        }
    }
}
