/// Git trailers (`Key: value` lines in a message's last paragraph), parsed as `git interpret-trailers` reads them,
/// and the trailer-shaped lines elsewhere in a message, where squash merges list the trailers of each commit.
public enum Trailers {
    public struct Trailer: Sendable, Equatable {
        public var key: String
        public var value: String
        /// The 1-based line of the message the trailer starts on.
        public var line: Int = 0
        /// Whether it is in the message's final trailer block (else in the body, as a squash merge lists it).
        public var inTrailerBlock: Bool = true

        public init(key: String, value: String, line: Int = 0, inTrailerBlock: Bool = true) {
            self.key = key
            self.value = value
            self.line = line
            self.inTrailerBlock = inTrailerBlock
        }
    }

    /// The trailers of a commit message; empty when the last paragraph is not a trailer block.
    public static func parse(_ message: String) -> [Trailer] {
        let lines = lines(of: message)
        guard let block = trailerBlock(lines) else { return [] }
        return block.trailers
    }

    /// Every trailer-shaped line of the message after its subject: the final trailer block, and lines such as
    /// an indented `Co-authored-by:` in the body of a squash merge. Continuation lines join only in the block.
    public static func everywhere(_ message: String) -> [Trailer] {
        let lines = lines(of: message)
        let block = trailerBlock(lines)
        var found: [Trailer] = []
        for (index, line) in lines.enumerated().dropFirst() {
            if let block, block.range.contains(index) { continue }
            let trimmed = line.drop { $0 == " " || $0 == "\t" || $0 == ">" || $0 == "*" || $0 == "-" }
            if var trailer = trailer(in: trimmed, line: index + 1) {
                trailer.inTrailerBlock = false
                found.append(trailer)
            }
        }
        found += block?.trailers ?? []
        return found.sorted { $0.line < $1.line }
    }

    /// A message's lines without their ends: `\n`, and `\r\n` (one `Character` in Swift, so split by scalars).
    private static func lines(of message: String) -> [Substring] {
        message.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
    }

    private static func trailerBlock(_ lines: [Substring]) -> (range: Range<Int>, trailers: [Trailer])? {
        var end = lines.count
        while end > 0, lines[end - 1].allSatisfy(\.isWhitespace) { end -= 1 }
        var start = end
        while start > 0, !lines[start - 1].allSatisfy(\.isWhitespace) { start -= 1 }
        // A message that is a single paragraph is a subject, not trailers.
        guard start > 0, start < end else { return nil }
        var trailers: [Trailer] = []
        var otherLines = 0
        for index in start..<end {
            let line = lines[index]
            if let first = line.first, first == " " || first == "\t", !trailers.isEmpty {
                trailers[trailers.count - 1].value += " " + line.trimmingWhitespace()
                continue
            }
            if let trailer = trailer(in: line, line: index + 1) {
                trailers.append(trailer)
            } else {
                otherLines += 1
            }
        }
        // git accepts a block when at least a quarter of its lines are trailers.
        guard !trailers.isEmpty, trailers.count * 3 >= otherLines else { return nil }
        return (start..<end, trailers)
    }

    private static func trailer(in line: Substring, line number: Int) -> Trailer? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let key = line[..<colon]
        guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
        return Trailer(key: String(key), value: String(line[line.index(after: colon)...]).trimmingWhitespace(), line: number)
    }
}

extension Substring {
    public func trimmingWhitespace() -> String { String(self).trimmingWhitespace() }
}
