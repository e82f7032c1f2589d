import BlastwallTestSupport
import Foundation
import LinearRegex
import Testing

/// Compares LinearRegex with Google's RE2 (the google-re2 package on PyPI) on generated patterns and texts:
/// both must refuse the pattern, or both must agree on whether it matches.
@Suite struct DifferentialTests {
    static let pairCount = 4000
    static let seed: UInt64 = ProcessInfo.processInfo.environment["BLASTWALL_DIFFERENTIAL_SEED"].flatMap { UInt64($0) } ?? 20_261_201
    static let re2 = PythonRequirement(module: "re2", package: "google-re2")

    static var scriptPath: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Differential/re2_search.py").path
    }

    @Test func agreesWithRE2() async throws {
        guard await Self.re2.check() else { return }
        var generator = PatternGenerator(seed: Self.seed)
        let pairs = (0..<Self.pairCount).map { _ in [generator.pattern(depth: 3), generator.text()] }
        let input = try JSONSerialization.data(withJSONObject: pairs)
        let result = try await ProcessRunner.python([Self.scriptPath], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let theirs = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [Any])
        try #require(theirs.count == pairs.count)

        var disagreements: [String] = []
        var insideUTF8Sequence = 0
        var refusedByBoth = 0
        var matched = 0
        for (pair, other) in zip(pairs, theirs) {
            let ours: String
            do {
                let regex = try LinearRegex(pair[0])
                ours = regex.matches(in: pair[1]) ? "true" : "false"
            } catch {
                ours = "error"
            }
            let expected = (other as? Bool).map { $0 ? "true" : "false" } ?? "error"
            if ours == "error", expected == "error" { refusedByBoth += 1 }
            if ours == "true", expected == "true" { matched += 1 }
            if ours == "false", expected == "true", pair[0].contains(#"\B"#), pair[1].unicodeScalars.contains(where: { !$0.isASCII }) {
                // RE2 searches UTF-8 bytes: `\B` holds between the two bytes of `É`, a position LinearRegex never visits.
                insideUTF8Sequence += 1
            } else if ours != expected {
                disagreements.append("\(pair[0].debugDescription) on \(pair[1].debugDescription): ours \(ours), RE2 \(expected)")
            }
        }
        print(
            "LinearRegex DifferentialTests: \(pairs.count) pairs (seed \(Self.seed)), \(matched) matches, "
                + "\(refusedByBoth) refused by both, \(insideUTF8Sequence) \\B only inside a UTF-8 sequence, "
                + "\(disagreements.count) disagreements")
        for line in disagreements.prefix(20) { print("  \(line)") }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreements; first: \(disagreements.first ?? "")")
    }
}

/// Random RE2 patterns over a small alphabet, so that generated texts often match; includes invalid ones.
struct PatternGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func int(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    private mutating func pick(_ items: [String]) -> String { items[int(items.count)] }

    static let atoms = [
        "a", "b", "c", "A", "é", ".", "\\d", "\\w", "\\s", "\\W", "[ab]", "[^a]", "[a-c]", "[[:alpha:]]", "[\\d\\s]",
        "\\pL", "\\p{Lu}", "^", "$", "\\b", "\\B", "\\A", "\\z", "\\.", "\\n", "\\x41", "[]a]", "[a-]", "\\Qa.\\E",
    ]
    static let quantifiers = ["*", "+", "?", "{2}", "{1,2}", "{0,}", "*?", "+?", "{2,1}", "**", "{,2}"]
    static let groups = ["(", "(?:", "(?i)", "(?i:", "(?m)", "(?s:", "(?P<n>", "(?=", "(?-i:"]

    mutating func pattern(depth: Int) -> String {
        var result = ""
        for _ in 0..<(1 + int(4)) {
            var piece: String
            if depth > 0, int(4) == 0 {
                let opening = pick(Self.groups)
                piece = opening.hasSuffix(")") ? opening + pattern(depth: depth - 1) : opening + pattern(depth: depth - 1) + ")"
            } else {
                piece = pick(Self.atoms)
            }
            if int(3) == 0 { piece += pick(Self.quantifiers) }
            result += piece
            if int(6) == 0 { result += "|" }
        }
        if int(40) == 0 { result += pick([")", "[", "\\", "(?"]) }
        return result
    }

    mutating func text() -> String {
        let alphabet = ["a", "b", "c", "A", "B", "é", "É", " ", "\n", ".", "1", "_", "-"]
        return (0..<int(12)).map { _ in pick(alphabet) }.joined()
    }
}
