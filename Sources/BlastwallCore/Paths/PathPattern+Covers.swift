extension PathPattern {
    /// Whether every path this pattern matches is also matched by `later`.
    ///
    /// Conservative: `true` only when that is certain, so a warning built on it is never wrong; some
    /// coverings (such as one pattern covered by two others together) go unnoticed.
    public func isCovered(by later: PathPattern) -> Bool {
        CoverageShape(self).isCovered(by: CoverageShape(later))
    }

    /// A pattern as a sequence of "one segment like this" and "at least this many segments of anything",
    /// made once per pattern when many are compared.
    struct CoverageShape {
        fileprivate let pieces: [Piece]

        init(_ pattern: PathPattern) {
            pieces = PathPattern.shape(of: pattern.segments)
        }

        func isCovered(by wide: CoverageShape) -> Bool {
            !pieces.isEmpty && PathPattern.covers(wide.pieces[...], pieces[...])
        }
    }

    fileprivate enum Piece: Equatable {
        case one(Segment)
        case anything(atLeast: Int)
    }

    private static func shape(of segments: [Segment]) -> [Piece] {
        var pieces: [Piece] = []
        func appendAnything(_ minimum: Int) {
            if case .anything(let existing) = pieces.last {
                pieces[pieces.count - 1] = .anything(atLeast: existing + minimum)
            } else {
                pieces.append(.anything(atLeast: minimum))
            }
        }
        for (index, segment) in segments.enumerated() {
            let isLast = index == segments.count - 1
            switch segment {
            case .anyDepth:
                // Mirrors `match`: a final `**` needs one segment; `**/` alone needs a directory before it.
                let directoryOnly = index == 0 && segments.count == 2 && segments[1] == .anyDepth
                appendAnything(isLast || directoryOnly ? 1 : 0)
            case .anySegment:
                pieces.append(.one(segment))
            case .literal, .glob:
                pieces.append(.one(segment))
                // A final name also matches everything inside a directory of that name.
                if isLast { appendAnything(0) }
            }
        }
        return mergingWildSegments(pieces)
    }

    /// `**/*` is "one segment or more": a lone `*` next to a run of anything joins it, so that shapes
    /// that mean the same compare the same.
    private static func mergingWildSegments(_ pieces: [Piece]) -> [Piece] {
        var merged: [Piece] = []
        var pendingWild = 0
        for piece in pieces {
            switch piece {
            case .one(.anySegment):
                if case .anything(let atLeast) = merged.last {
                    merged[merged.count - 1] = .anything(atLeast: atLeast + 1)
                } else {
                    pendingWild += 1
                }
            case .anything(let atLeast):
                if case .anything(let previous) = merged.last {
                    merged[merged.count - 1] = .anything(atLeast: previous + atLeast + pendingWild)
                } else {
                    merged.append(.anything(atLeast: atLeast + pendingWild))
                }
                pendingWild = 0
            case .one:
                merged += Array(repeating: .one(.anySegment), count: pendingWild)
                pendingWild = 0
                merged.append(piece)
            }
        }
        merged += Array(repeating: .one(.anySegment), count: pendingWild)
        return merged
    }

    private static func covers(_ wide: ArraySlice<Piece>, _ narrow: ArraySlice<Piece>) -> Bool {
        guard let first = wide.first else { return narrow.isEmpty }
        switch first {
        case .anything(let minimum):
            // `wide`'s run of anything may absorb any prefix of `narrow` that is sure to be long enough.
            var absorbed = 0
            var rest = narrow
            while true {
                if absorbed >= minimum, covers(wide.dropFirst(), rest) { return true }
                guard let next = rest.first else { return false }
                switch next {
                case .one: absorbed += 1
                case .anything(let atLeast): absorbed += atLeast
                }
                rest = rest.dropFirst()
            }
        case .one(let wideSegment):
            guard case .one(let narrowSegment)? = narrow.first, covers(wideSegment, narrowSegment) else { return false }
            return covers(wide.dropFirst(), narrow.dropFirst())
        }
    }

    private static func covers(_ wide: Segment, _ narrow: Segment) -> Bool {
        switch (wide, narrow) {
        case (.anySegment, .literal), (.anySegment, .glob), (.anySegment, .anySegment): return true
        case (.literal(let a), .literal(let b)): return a == b
        case (.glob(let tokens), .literal(let name)): return glob(tokens[...], matches: Array(name.utf8)[...])
        case (.glob(let a), .glob(let b)): return a == b || a.allSatisfy { $0 == .star }
        case (.glob(let tokens), .anySegment): return tokens.allSatisfy { $0 == .star }
        default: return false
        }
    }
}

/// Patterns, indexed so that the ones that may cover a given pattern are found without comparing them all:
/// a pattern covers another only if its leading literal segments begin the other's.
struct PathCoverageIndex<Payload: Comparable> {
    private var byLiteralPrefix: [String: [(pattern: PathPattern, shape: PathPattern.CoverageShape, payload: Payload)]] = [:]

    mutating func insert(_ pattern: PathPattern, _ payload: Payload) {
        byLiteralPrefix[pattern.literalPrefix.joined(separator: "/"), default: []].append(
            (pattern, PathPattern.CoverageShape(pattern), payload))
    }

    /// The covering pattern with the smallest payload (for services: the nearest later one), if any.
    func earliestCovering(_ pattern: PathPattern) -> (pattern: PathPattern, payload: Payload)? {
        let prefix = pattern.literalPrefix
        let shape = PathPattern.CoverageShape(pattern)
        var best: (pattern: PathPattern, payload: Payload)?
        for length in 0...prefix.count {
            for candidate in byLiteralPrefix[prefix.prefix(length).joined(separator: "/")] ?? []
            where best.map({ candidate.payload < $0.payload }) ?? true && shape.isCovered(by: candidate.shape) {
                best = (candidate.pattern, candidate.payload)
            }
        }
        return best
    }
}
