/// An ordered list of path patterns with payloads, matched CODEOWNERS-style: the last matching rule wins.
///
/// Patterns are indexed in a trie by their leading literal segments, so a lookup only tests the
/// patterns that share a path's leading directories, not every rule.
public struct PathRuleSet<Payload: Sendable>: Sendable {
    public struct Rule: Sendable {
        public var pattern: PathPattern
        public var payload: Payload
    }

    public private(set) var rules: [Rule] = []
    private var root = TrieNode()
    /// Unanchored single-name patterns (`apps/`, `Dockerfile`) keyed by that name.
    private var anyDepthNames: [[UInt8]: [Int]] = [:]

    private struct TrieNode: Sendable {
        var children: [[UInt8]: TrieNode] = [:]
        /// Indices of rules whose literal prefix ends here, in ascending order.
        var rules: [Int] = []
    }

    public init() {}

    public mutating func append(_ pattern: PathPattern, _ payload: Payload) {
        let index = rules.count
        rules.append(Rule(pattern: pattern, payload: payload))
        if pattern.segments.count >= 2, pattern.segments[0] == .anyDepth, case .literal(let name) = pattern.segments[1] {
            anyDepthNames[Array(name.utf8), default: []].append(index)
            return
        }
        let prefix = pattern.literalPrefix.map { Array($0.utf8) }
        Self.insert(index, at: prefix[...], into: &root)
    }

    private static func insert(_ index: Int, at prefix: ArraySlice<[UInt8]>, into node: inout TrieNode) {
        guard let first = prefix.first else {
            node.rules.append(index)
            return
        }
        insert(index, at: prefix.dropFirst(), into: &node.children[first, default: TrieNode()])
    }

    /// The index and payload of the last rule that matches `path`, or nil when none does.
    public func lastMatch(for path: String) -> (index: Int, rule: Rule)? {
        let segments = Self.segments(path)
        var best: Int?
        forEachCandidate(segments) { index in
            if index > (best ?? -1), rules[index].pattern.matches(segments: segments) { best = index }
        }
        return best.map { ($0, rules[$0]) }
    }

    /// Every rule that matches `path`, in rule order.
    public func allMatches(for path: String) -> [Rule] {
        let segments = Self.segments(path)
        var matched: [Int] = []
        forEachCandidate(segments) { index in
            if rules[index].pattern.matches(segments: segments) { matched.append(index) }
        }
        return matched.sorted().map { rules[$0] }
    }

    private static func segments(_ path: String) -> [[UInt8]] {
        path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true).map(Array.init)
    }

    private func forEachCandidate(_ segments: [[UInt8]], _ body: (Int) -> Void) {
        var node = root
        node.rules.forEach(body)
        for segment in segments {
            guard let child = node.children[segment] else { break }
            child.rules.forEach(body)
            node = child
        }
        if anyDepthNames.isEmpty { return }
        var seen = Set<[UInt8]>()
        for segment in segments where seen.insert(segment).inserted {
            anyDepthNames[segment]?.forEach(body)
        }
    }
}
