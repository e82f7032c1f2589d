import LinearRegex
import PropertyBased
import Testing

/// Whatever a policy author or a submitter writes, compiling either succeeds or throws, and a search ends.
@Suite struct RegexPropertyTests {
    static let pieces: [String] = [
        "a", "é", "(", ")", "[", "]", "{", "}", "{2}", "{1,", ",", "*", "+", "?", "|", "^", "$", ".", "\\", "\\d", "\\p",
        "\\x", "{", "-", ":", "[:", ":]", "(?", "(?i", "P<", ">", "\\Q", "\\E", "0", "9", "\n",
    ]
    static let patterns = Gen<String?>.element(of: pieces).map { $0! }.array(of: 0...30).map { $0.joined() }
    static let texts = Gen<String?>.element(of: ["a", "b", "é", "\n", " ", "9", "-", "{"]).map { $0! }.array(of: 0...40)
        .map { $0.joined() }

    @Test(.timeLimit(.minutes(1))) func arbitraryPatternsCompileOrFailAndSearchesEnd() async {
        await propertyCheck(count: 3000, input: Self.patterns, Self.texts) { pattern, text in
            guard let regex = try? LinearRegex(pattern) else { return }
            _ = regex.matches(in: text)
            #expect(regex.size <= 20_000)
        }
    }

    /// A literal text, escaped, matches itself and nothing shorter.
    @Test func quotedTextMatchesItself() async {
        await propertyCheck(count: 1000, input: Self.texts) { text in
            guard !text.contains("\\E") else { return }
            let regex = try LinearRegex("^\\Q" + text + "\\E$")
            #expect(regex.matches(in: text))
            if !text.isEmpty { #expect(!regex.matches(in: String(text.dropLast()))) }
        }
    }
}
