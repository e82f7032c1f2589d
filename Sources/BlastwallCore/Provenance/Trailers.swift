/// Git trailers (`Key: value` lines in a message's last paragraph), parsed as `git interpret-trailers` reads them.
public enum Trailers {
    public struct Trailer: Sendable, Equatable {
        public var key: String
        public var value: String
    }

    /// The trailers of a commit message; empty when the last paragraph is not a trailer block.
    public static func parse(_ message: String) -> [Trailer] {
        let lines = message.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? $0.dropLast() : $0
        }
        var end = lines.count
        while end > 0, lines[end - 1].allSatisfy(\.isWhitespace) { end -= 1 }
        var start = end
        while start > 0, !lines[start - 1].allSatisfy(\.isWhitespace) { start -= 1 }
        // A message that is a single paragraph is a subject, not trailers.
        guard start > 0, start < end else { return [] }
        var trailers: [Trailer] = []
        var otherLines = 0
        for line in lines[start..<end] {
            if let first = line.first, first == " " || first == "\t", !trailers.isEmpty {
                trailers[trailers.count - 1].value += " " + line.trimmingWhitespace()
                continue
            }
            if let trailer = trailer(in: line) {
                trailers.append(trailer)
            } else {
                otherLines += 1
            }
        }
        // git accepts a block when at least a quarter of its lines are trailers.
        guard !trailers.isEmpty, trailers.count * 3 >= otherLines else { return [] }
        return trailers
    }

    private static func trailer(in line: Substring) -> Trailer? {
        guard let colon = line.firstIndex(of: ":") else { return nil }
        let key = line[..<colon]
        guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
        return Trailer(key: String(key), value: String(line[line.index(after: colon)...]).trimmingWhitespace())
    }
}

extension Substring {
    func trimmingWhitespace() -> String { String(self).trimmingWhitespace() }
}
