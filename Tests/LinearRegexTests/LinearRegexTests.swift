import LinearRegex
import Testing

@Suite struct LinearRegexTests {
    /// (pattern, text, matches) — each checked against RE2's documented behaviour.
    static let cases: [(String, String, Bool)] = [
        ("abc", "xxabcxx", true), ("abc", "ab", false), ("", "", true), ("", "anything", true),
        ("^abc", "abcd", true), ("^abc", "xabc", false), ("abc$", "xabc", true), ("abc$", "abc\n", false),
        ("(?m)abc$", "abc\nx", true), ("(?m)^x", "abc\nx", true), ("^x", "abc\nx", false),
        (#"\Aab"#, "ab", true), (#"ab\z"#, "ab", true), (#"ab\z"#, "abc", false),
        ("a.c", "abc", true), ("a.c", "a\nc", false), ("(?s)a.c", "a\nc", true),
        ("a*", "", true), ("a+", "", false), ("a+", "baa", true), ("ba?c", "bc", true), ("ba?c", "bac", true),
        ("a{3}", "aa", false), ("a{3}", "aaa", true), ("^a{2,3}$", "aaaa", false), ("^a{2,3}$", "aaa", true),
        ("^a{2,}$", "aaaaaa", true), ("^a{2,}$", "a", false), ("a{,3}", "a{,3}", true), ("a{x}", "a{x}", true),
        ("cat|dog", "hotdog", true), ("cat|dog", "cow", false), ("^(cat|dog)s?$", "dogs", true),
        ("[abc]", "xbx", true), ("[^abc]", "abc", false), ("[a-c]+$", "zzcab", true), ("[]a]", "]", true),
        ("[a-]", "-", true), (#"[\d]"#, "x5", true), (#"\d\d"#, "a1b", false), (#"\D"#, "123", false),
        (#"\w+@\w+"#, "me@host", true), (#"\s"#, "a\tb", true), (#"\S"#, "  ", false),
        (#"\bword\b"#, "a word here", true), (#"\bword\b"#, "swordfish", false), (#"\Bor\B"#, "word", true),
        ("[[:digit:]]+", "abc123", true), ("[[:^alpha:]]", "abc", false), ("[[:upper:]]", "abC", true),
        ("(?i)hello", "HeLLo", true), ("(?i)[a-z]+$", "ABC", true), ("(?i)k", "\u{212A}", true),
        ("(?i:a)b", "Ab", true), ("(?i:a)b", "AB", false), ("a(?i)b|c", "C", true), ("(?i)a(?-i)b", "AB", false),
        (#"\pL"#, "é", true), (#"\p{Lu}"#, "abc", false), (#"\PL"#, "abc", false), (#"\p{^L}"#, "1", true),
        (#"\p{N}+"#, "٣", true), (#"[\p{Lu}\d]"#, "a7", true),
        (#"\x41"#, "A", true), (#"\x{1F600}"#, "😀", true), (#"\101"#, "A", true), (#"\0"#, "\u{0}", true),
        (#"\."#, "a", false), (#"\."#, ".", true), (#"\Qa.b\E"#, "axb", false), (#"\Qa.b\E"#, "a.b", true),
        (#"\Q*"#, "*", true), (#"\Qab\E?$"#, "a", true), (#"^\Qab\E+$"#, "abab", false), ("(?:ab)+$", "ababab", true),
        ("(?P<year>\\d{4})", "in 2026", true),
        ("(?<y>x)", "x", true), ("a*?b", "aab", true), ("a+?", "a", true), ("(a|)+b", "b", true),
        ("(a*)*$", "b", true), ("(a*)+b", "aaab", true), ("é", "café", true), ("^.$", "é", true),
        ("(?U)a+", "aa", true), ("(a|b)*c", "ababx", false), ("x|", "y", true), ("a(?)b", "ab", true),
    ]

    @Test func matchesAsRE2Does() throws {
        for (pattern, text, expected) in Self.cases {
            let regex = try LinearRegex(pattern)
            #expect(regex.matches(in: text) == expected, "\(pattern) on \(text.debugDescription)")
        }
    }

    /// Patterns RE2 refuses, with the words of the message that tell the author what to do.
    @Test(arguments: [
        ("a**", "repetition of a repetition"), ("*a", "missing argument"), ("(a", "missing closing ')'"),
        ("a)", "unexpected ')'"), ("[a", "missing closing ']'"), ("[z-a]", "bad character class range"),
        (#"\1"#, "backreferences"), ("(?=a)", "lookahead"), ("(?<=a)b", "lookbehind"), ("(?!a)", "lookahead"),
        ("a{1001}", "at most 1000"), ("a{3,2}", "maximum below its minimum"), ("a*+", "possessive"),
        (#"\"#, "trailing backslash"), (#"\q"#, "invalid escape"), (#"\p{Greek}"#, "Unicode class"),
        ("[[:alphabet:]]", "POSIX class"), ("(?x)a", "group syntax"), ("(?i-)", "names no flag"), ("(?P=n)", "backreferences"),
        (#"\xZZ"#, "hexadecimal"), ("(a{1000}){1000}", "too large"),
    ])
    func refusesWhatRE2Refuses(pattern: String, words: String) {
        #expect(throws: RegexSyntaxError.self) { try LinearRegex(pattern) }
        do {
            _ = try LinearRegex(pattern)
        } catch {
            #expect(error.message.contains(words), "\(pattern): \(error)")
        }
    }

    @Test func refusesAPatternLongerThanTheLimit() {
        #expect(throws: RegexSyntaxError.self) { try LinearRegex(String(repeating: "a", count: LinearRegex.maxPatternLength + 1)) }
    }

    @Test func refusesNestingDeeperThanTheLimit() {
        let deep = String(repeating: "(", count: 1001) + "a" + String(repeating: ")", count: 1001)
        #expect(throws: RegexSyntaxError.self) { try LinearRegex(deep) }
        #expect(throws: Never.self) { try LinearRegex(String(repeating: "(", count: 900) + String(repeating: ")", count: 900)) }
    }

    /// The inputs that take a backtracking engine exponential time finish here at once; a backtracking
    /// implementation would not finish within the time limit.
    @Test(.timeLimit(.minutes(1))) func catastrophicPatternsRunInLinearTime() throws {
        let text = String(repeating: "a", count: 5_000) + "!"
        for pattern in ["^(a+)+$", "(a|aa)+$", "(a*)*b", "^(a|a?)+$", "(.*a){20}$", "^(\\w+\\s?)*$"] {
            #expect(try LinearRegex(pattern).matches(in: text) == false, "\(pattern)")
        }
    }
}
